package dev.kvbook.cli.web;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewsTest {

    /** A provider whose inspection fails {@code failures} times (a file gone mid-read), then succeeds. */
    private static StoreProvider flaky(int failures, AtomicInteger calls) {
        return new StoreProvider() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public String description() {
                return "fails to inspect at first";
            }

            @Override
            public KeyValueStore open(Path path, Vfs vfs) {
                throw new UnsupportedOperationException();
            }

            @Override
            public VerifyReport verify(Path path, Vfs vfs) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Inspection inspect(Path path, Vfs vfs) {
                if (calls.incrementAndGet() <= failures) {
                    throw new UncheckedIOException(new NoSuchFileException(path + "/000003.table"));
                }
                return new Inspection(name(), path, "", "", StoreModel.builder(name(), path.toString()).build());
            }

            @Override
            public boolean recognizes(Path path, Vfs vfs) {
                return false;
            }
        };
    }

    @Test
    void anInspectionThatMeetsFilesChangingUnderItIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        StoreModel model = Views.inspect(flaky(Views.INSPECT_TRIES - 1, calls), Path.of("/s"), Vfs.local(), Window.defaults());
        assertThat(model.store()).isEqualTo("flaky");
        assertThat(calls).hasValue(Views.INSPECT_TRIES);
    }

    @Test
    void afterTheLastTryTheFailureIsThrown() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Views.inspect(flaky(Views.INSPECT_TRIES, calls), Path.of("/s"), Vfs.local(), Window.defaults()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("000003.table");
        assertThat(calls).hasValue(Views.INSPECT_TRIES);
    }

    @Test
    void theInspectorsFileSystemTakesNoLocksSoItCanLookAtAStoreThisProcessHoldsOpen() throws Exception {
        Vfs refusing = new dev.kvbook.api.vfs.ForwardingVfs(Vfs.local()) {
            @Override
            public Closeable lock(Path lockFile) {
                throw new StoreLockedException(lockFile);
            }

            @Override
            public Closeable lockShared(Path lockFile) {
                throw new StoreLockedException(lockFile);
            }
        };
        Vfs inspecting = Views.withoutLocks(refusing);
        inspecting.lock(Path.of("/x.lock")).close();
        inspecting.lockShared(Path.of("/x.lock")).close();
    }

    @Test
    void aStoreWithoutAModelIsDrawnAsANote() {
        assertThat(Views.svg(null, dev.kvbook.api.inspect.Highlight.none())).startsWith("<svg").contains("no structured model");
    }
}
