package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalVfsTest {

    @TempDir
    Path dir;

    private final Vfs vfs = Vfs.local();

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void positionalWritesAndReadsRoundTrip() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("hello world"));
            f.write(6, text("WORLD"));
            ByteBuffer back = ByteBuffer.allocate(11);
            f.readFully(0, back);
            assertThat(new String(back.array(), StandardCharsets.UTF_8)).isEqualTo("hello WORLD");
            assertThat(f.size()).isEqualTo(11);
            f.truncate(5);
            f.sync();
            assertThat(f.size()).isEqualTo(5);
        }
    }

    @Test
    void aDataSyncWorksOnAWritableFileAndIsRefusedOnAReadOnlyOne() {
        Path path = dir.resolve("f");
        try (VfsFile f = vfs.open(path, true)) {
            f.write(0, text("data"));
            f.syncData();
            assertThat(f.size()).isEqualTo(4);
        }
        try (VfsFile f = vfs.openReadOnly(path)) {
            assertThatThrownBy(f::syncData).isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void readingPastTheEndThrowsAnEofError() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("abc"));
            assertThatThrownBy(() -> f.readFully(2, ByteBuffer.allocate(5)))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        }
    }

    @Test
    void openingAMissingFileWithoutCreateFails() {
        assertThatThrownBy(() -> vfs.open(dir.resolve("missing"), false))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renameReplacesTheTargetAndListingIsSorted() {
        try (VfsFile f = vfs.open(dir.resolve("b.tmp"), true)) {
            f.write(0, text("new"));
        }
        try (VfsFile f = vfs.open(dir.resolve("a"), true)) {
            f.write(0, text("old"));
        }
        vfs.rename(dir.resolve("b.tmp"), dir.resolve("a"));
        vfs.syncDirectory(dir);
        assertThat(vfs.list(dir)).containsExactly(dir.resolve("a"));
        try (VfsFile f = vfs.open(dir.resolve("a"), false)) {
            ByteBuffer back = ByteBuffer.allocate(3);
            f.readFully(0, back);
            assertThat(back.array()).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
        }
        vfs.delete(dir.resolve("a"));
        vfs.delete(dir.resolve("a")); // deleting twice is not an error
        assertThat(vfs.exists(dir.resolve("a"))).isFalse();
        assertThat(vfs.list(dir.resolve("no-such-dir"))).isEmpty();
    }

    @Test
    void aSecondLockInTheSameJvmFailsFast() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        Closeable first = vfs.lock(lockFile);
        assertThatThrownBy(() -> vfs.lock(lockFile))
                .isInstanceOf(StoreLockedException.class).hasMessageContaining("LOCK");
        first.close();
        vfs.lock(lockFile).close();
    }

    @Test
    void countingVfsCountsBytesCallsAndSyncs() {
        CountingVfs counting = new CountingVfs(vfs);
        Path f = dir.resolve("f");
        try (VfsFile file = counting.open(f, true)) {
            file.write(0, text("12345"));
            file.write(5, text("678"));
            file.readFully(0, ByteBuffer.allocate(4));
            file.sync();
        }
        counting.syncDirectory(dir);
        CountingVfs.IoCounts total = counting.total();
        assertThat(total.bytesWritten()).isEqualTo(8);
        assertThat(total.writes()).isEqualTo(2);
        assertThat(total.bytesRead()).isEqualTo(4);
        assertThat(total.syncs()).isEqualTo(2);
        assertThat(total.metadataOps()).isEqualTo(1); // the create
        assertThat(counting.perFile().get(f).syncs()).isEqualTo(1);
        counting.reset();
        assertThat(counting.total()).isEqualTo(CountingVfs.IoCounts.ZERO);
        try (VfsFile file = counting.open(f, false)) {
            file.write(0, text("x"));
        }
        assertThat(counting.total().bytesWritten()).isEqualTo(1);
    }

    @Test
    void readHeadReturnsTheFirstBytesOrNothingWhereThereIsNoFile() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("KVP1 and more"));
        }
        assertThat(vfs.readHead(dir.resolve("f"), 4)).isEqualTo("KVP1".getBytes(StandardCharsets.UTF_8));
        assertThat(vfs.readHead(dir.resolve("f"), 100)).hasSize(13);
        assertThat(vfs.readHead(dir.resolve("missing"), 4)).isEmpty();
        assertThat(vfs.readHead(dir, 4)).isEmpty(); // a directory is not a readable file
    }

    @Test
    void readHeadSaysPermissionDeniedRatherThanNothingForAFileItMayNotRead() {
        Path secret = dir.resolve("secret");
        try (VfsFile f = vfs.open(secret, true)) {
            f.write(0, text("KVP1"));
        }
        Vfs denying = new ForwardingVfs(vfs) { // as root may read anything, the kernel's refusal is played
            @Override
            public VfsFile openReadOnly(Path path) {
                throw new UncheckedIOException("cannot open " + path, new AccessDeniedException(path.toString()));
            }
        };
        assertThatThrownBy(() -> denying.readHead(secret, 4))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void withSharedLockHoldsTheReadersLockWhileWorkRunsAndReleasesItAfterAFailure() throws IOException {
        Path lockFile = dir.resolve("LOCK");
        assertThatThrownBy(() -> vfs.withSharedLock(lockFile, () -> {
            assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        assertThat(vfs.withSharedLock(lockFile, () -> "read again")).isEqualTo("read again");
        vfs.lock(lockFile).close();
    }

    // ---- reading without write access (issue #18) ----------------------------------------

    @Test
    void aFileOpenedReadOnlyReadsButRefusesEveryChange() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("hello"));
        }
        try (VfsFile f = vfs.openReadOnly(dir.resolve("f"))) {
            ByteBuffer back = ByteBuffer.allocate(5);
            f.readFully(0, back);
            assertThat(back.array()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(f.size()).isEqualTo(5);
            assertThatThrownBy(() -> f.write(0, text("x"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> f.truncate(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(f::sync).isInstanceOf(IllegalStateException.class);
        }
        assertThat(dir.resolve("f")).hasContent("hello");
    }

    @Test
    void openReadOnlyRefusesAMissingFileAndADirectory() {
        assertThatThrownBy(() -> vfs.openReadOnly(dir.resolve("missing")))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> vfs.openReadOnly(dir))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(FileSystemException.class);
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void readersShareTheLockAndKeepAWriterOutUntilTheLastOneLeaves() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        Closeable first = vfs.lockShared(lockFile);
        Closeable second = vfs.lockShared(lockFile);
        assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
        first.close();
        first.close(); // a second close releases nothing more: the other reader still holds it
        assertThatThrownBy(() -> vfs.lock(lockFile)).as("one reader still reads")
                .isInstanceOf(StoreLockedException.class);
        second.close();
        vfs.lock(lockFile).close();
    }

    @Test
    void aWriterKeepsReadersOut() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        Closeable writer = vfs.lock(lockFile);
        assertThatThrownBy(() -> vfs.lockShared(lockFile))
                .isInstanceOf(StoreLockedException.class).hasMessageContaining("LOCK");
        assertThatThrownBy(() -> vfs.lockShared(Path.of(dir + "/./LOCK"))).as("another spelling of it")
                .isInstanceOf(StoreLockedException.class);
        writer.close();
        vfs.lockShared(lockFile).close();
    }

    @Test
    void aReaderCreatesAMissingLockFileSoThatAWriterArrivingLaterFindsItsLock() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        try (Closeable reader = vfs.lockShared(lockFile)) {
            assertThat(reader).as("the readers' lock, held by this test").isNotNull();
            assertThat(lockFile).exists();
            assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
        }
    }

    /**
     * What another process gets is the operating system's answer: here a second reader of this
     * JVM comes and goes while the first still reads. Had the second opened and closed a channel
     * of its own, POSIX would have dropped this process's lock, and the other process would get
     * the writer's lock under the first reader.
     */
    @Test
    void anotherProcessSharesAReadersLockButIsRefusedAWritersLock() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        try (Closeable reader = vfs.lockShared(lockFile)) {
            assertThat(reader).as("the first reader's lock, held by this test").isNotNull();
            vfs.lockShared(lockFile).close(); // a second reader here, come and gone
            assertThat(probeInAnotherProcess(lockFile, "exclusive", "shared")).containsExactly("locked", "got it");
        }
        try (Closeable writer = vfs.lock(lockFile)) {
            assertThat(writer).as("the writer's lock, held by this test").isNotNull();
            assertThat(probeInAnotherProcess(lockFile, "shared", "exclusive")).containsExactly("locked", "locked");
        }
        assertThat(probeInAnotherProcess(lockFile, "exclusive")).containsExactly("got it");
    }

    /** Runs {@link LockProbe} in a child JVM with this JVM's class path; returns its lines. */
    private static List<String> probeInAnotherProcess(Path lockFile, String... locks) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), lockFile.toString()));
        command.addAll(List.of(locks));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("the probe ended: %s", lines).isTrue();
            return lines;
        } finally {
            child.destroyForcibly();
        }
    }
}
