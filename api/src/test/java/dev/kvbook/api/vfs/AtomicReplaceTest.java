package dev.kvbook.api.vfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replace recipe on the real disk, with a Vfs that fails each step in turn. */
class AtomicReplaceTest {

    /** The I/O calls of the recipe, in order; the failing Vfs fails the chosen one. */
    enum Step { DELETE, CREATE, WRITE, FILE_SYNC, CLOSE, RENAME, DIRECTORY_SYNC }

    private static final String OLD = "the old contents, longer than the new";
    private static final String NEW = "the new contents";

    @TempDir
    Path dir;

    private Path target() {
        return dir.resolve("store");
    }

    private Path temp() {
        return dir.resolve("store.new");
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void replaceLeavesExactlyTheNewContentsAndNoTemp() throws IOException {
        Files.writeString(target(), OLD);
        AtomicReplace.replace(Vfs.local(), target(), temp(), text(NEW));
        assertThat(read(target())).isEqualTo(NEW);
        assertThat(temp()).doesNotExist();
    }

    @Test
    void replaceCreatesATargetThatDidNotExist() throws IOException {
        AtomicReplace.replace(Vfs.local(), target(), temp(), text(NEW));
        assertThat(read(target())).isEqualTo(NEW);
    }

    @Test
    void aStaleTempLeftByACrashIsDeletedFirstSoNoOldTailSurvives() throws IOException {
        Files.writeString(temp(), OLD + OLD);
        AtomicReplace.replace(Vfs.local(), target(), temp(), text(NEW));
        assertThat(read(target())).isEqualTo(NEW);
    }

    @Test
    void theWritersResultIsReturnedAndTheRecipeSyncsFileAndDirectory() throws IOException {
        FailingVfs vfs = new FailingVfs(null);
        long end = AtomicReplace.replace(vfs, target(), temp(), file -> {
            file.write(0, text(NEW));
            return file.size();
        });
        assertThat(end).isEqualTo(NEW.length());
        assertThat(vfs.calls).containsExactly(Step.CREATE, Step.WRITE, Step.FILE_SYNC, Step.CLOSE, Step.RENAME,
                Step.DIRECTORY_SYNC);
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aFailureAtAnyStepLeavesTheOldFileOrTheNewOneNeverAMixAndTheTempClosed(Step failing) throws IOException {
        Files.writeString(target(), OLD);
        Files.writeString(temp(), "stale"); // so that the delete is a real step
        FailingVfs vfs = new FailingVfs(failing);

        assertThatThrownBy(() -> AtomicReplace.replace(vfs, target(), temp(), text(NEW)))
                .isSameAs(vfs.injected);

        String now = read(target());
        if (failing.compareTo(Step.RENAME) < 0) {
            assertThat(now).as("before the rename the target is untouched").isEqualTo(OLD);
        } else {
            assertThat(now).as("old or new, never a mix").isIn(OLD, NEW);
        }
        assertThat(vfs.openFiles).as("the temp file is closed after the failure").isZero();
        if (Files.exists(temp())) {
            assertThat(failing).as("a temp file is left only when the rename did not happen").isLessThanOrEqualTo(Step.RENAME);
        }
        AtomicReplace.replace(Vfs.local(), target(), temp(), text(NEW)); // and a retry on a new store works
        assertThat(read(target())).isEqualTo(NEW);
    }

    @Test
    void aWriterThatThrowsLeavesTheTargetUntouchedAndTheTempClosed() throws IOException {
        Files.writeString(target(), OLD);
        FailingVfs vfs = new FailingVfs(null);
        IllegalStateException gaveUp = new IllegalStateException("the writer gave up");
        assertThatThrownBy(() -> AtomicReplace.replace(vfs, target(), temp(), file -> {
            file.write(0, text("half"));
            throw gaveUp;
        })).isSameAs(gaveUp);
        assertThat(read(target())).isEqualTo(OLD);
        assertThat(vfs.openFiles).isZero();
        assertThat(vfs.calls).doesNotContain(Step.RENAME, Step.FILE_SYNC);
    }

    @Test
    void createTempThenPublishIsTheSameRecipeInTwoHalves() throws IOException {
        Files.writeString(target(), OLD);
        FailingVfs vfs = new FailingVfs(null);
        VfsFile file = AtomicReplace.createTemp(vfs, temp());
        file.write(0, text("the new "));
        file.write(8, text("contents"));
        AtomicReplace.publish(vfs, target(), temp(), file);
        assertThat(read(target())).isEqualTo(NEW);
        assertThat(vfs.openFiles).isZero();
        assertThat(vfs.calls).endsWith(Step.FILE_SYNC, Step.CLOSE, Step.RENAME, Step.DIRECTORY_SYNC);
    }

    /** The real disk, recording the recipe's calls and failing one kind of them once. */
    private static final class FailingVfs extends ForwardingVfs {
        final Step failing;
        final UncheckedIOException injected = new UncheckedIOException(new IOException("injected: the disk said no"));
        final List<Step> calls = new ArrayList<>();
        int openFiles;
        boolean failed;

        FailingVfs(Step failing) {
            super(Vfs.local());
            this.failing = failing;
        }

        void step(Step step) {
            calls.add(step);
            if (step == failing && !failed) {
                failed = true;
                throw injected;
            }
        }

        @Override
        public VfsFile open(Path path, boolean create) {
            step(Step.CREATE);
            VfsFile file = delegate.open(path, create);
            openFiles++;
            return new ForwardingVfs.File(file) {
                @Override
                public void write(long position, ByteBuffer src) {
                    step(Step.WRITE);
                    delegate.write(position, src);
                }

                @Override
                public void sync() {
                    step(Step.FILE_SYNC);
                    delegate.sync();
                }

                @Override
                public void syncData() {
                    step(Step.FILE_SYNC);
                    delegate.syncData();
                }

                @Override
                public void close() {
                    openFiles--;
                    delegate.close();
                    step(Step.CLOSE); // closed, but the caller is told it failed
                }
            };
        }

        @Override
        public void delete(Path path) {
            if (delegate.exists(path)) {
                step(Step.DELETE);
            }
            delegate.delete(path);
        }

        @Override
        public void rename(Path from, Path to) {
            step(Step.RENAME);
            delegate.rename(from, to);
        }

        @Override
        public void syncDirectory(Path dir) {
            step(Step.DIRECTORY_SYNC);
            delegate.syncDirectory(dir);
        }
    }
}
