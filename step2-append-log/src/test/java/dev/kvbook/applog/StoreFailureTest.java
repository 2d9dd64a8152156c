package dev.kvbook.applog;

import dev.kvbook.api.StoreFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failed write or fsync fails the store for writes; reads go on; reopening recovers. */
class StoreFailureTest {

    @TempDir
    Path dir;

    private final FailingVfs vfs = new FailingVfs();

    private AppendLogStore open() {
        return AppendLogStore.open(dir.resolve("store.log"), AppendLogStore.Options.defaults().withVfs(vfs));
    }

    @Test
    void failedWriteFailsTheStoreForEveryLaterWrite() {
        AppendLogStore store = open();
        store.put(b("a"), b("1"));
        vfs.arm(FailingVfs.Op.WRITE);
        assertThatThrownBy(() -> store.put(b("b"), b("2")))
                .isInstanceOf(StoreFailedException.class).hasCauseInstanceOf(UncheckedIOException.class);
        vfs.disarm();
        assertThatThrownBy(() -> store.put(b("c"), b("3"))).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(() -> store.delete(b("a"))).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(store::sync).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(store::compact).isInstanceOf(StoreFailedException.class);
        assertThat(store.get(b("a"))).as("reads go on").isEqualTo(b("1"));
        assertThat(store.size()).isEqualTo(1);
        store.close();
        try (AppendLogStore reopened = open()) {
            assertThat(TestLogs.contents(reopened)).isEqualTo(Map.of("a", "1"));
        }
    }

    @Test
    void failedFsyncFailsTheStoreAndIsNeverRetried() {
        AppendLogStore store = open();
        vfs.arm(FailingVfs.Op.SYNC);
        assertThatThrownBy(() -> store.put(b("a"), b("1"))).isInstanceOf(StoreFailedException.class);
        vfs.disarm();
        int syncs = vfs.fileSyncs();
        assertThatThrownBy(store::sync).isInstanceOf(StoreFailedException.class);
        store.close();
        assertThat(vfs.fileSyncs()).as("no fsync after the failed one, not even on close").isEqualTo(syncs);
        try (AppendLogStore reopened = open()) {
            assertThat(reopened.size()).as("before or after, and here the bytes did reach the file").isEqualTo(1);
        }
    }

    @Test
    void failedSyncOnCloseStillReleasesTheStore() {
        AppendLogStore store = AppendLogStore.open(dir.resolve("store.log"),
                AppendLogStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false));
        store.put(b("a"), b("1"));
        vfs.arm(FailingVfs.Op.SYNC);
        assertThatThrownBy(store::close).isInstanceOf(StoreFailedException.class);
        vfs.disarm();
        open().close(); // the lock was released
    }

    @Test
    void failedCompactionFailsTheStoreButLosesNothing() {
        AppendLogStore store = open();
        store.put(b("a"), b("1"));
        store.put(b("a"), b("2"));
        store.put(b("b"), b("3"));
        vfs.arm(FailingVfs.Op.RENAME);
        assertThatThrownBy(store::compact).isInstanceOf(StoreFailedException.class);
        vfs.disarm();
        assertThat(store.get(b("a"))).isEqualTo(b("2"));
        assertThatThrownBy(() -> store.put(b("c"), b("4"))).isInstanceOf(StoreFailedException.class);
        store.close();
        try (AppendLogStore reopened = open()) {
            assertThat(TestLogs.contents(reopened)).isEqualTo(Map.of("a", "2", "b", "3"));
        }
    }

    @Test
    void errorsFromTheFileSystemPropagateUncaught() {
        AppendLogStore store = open();
        vfs.powerLoss().arm(FailingVfs.Op.WRITE);
        assertThatThrownBy(() -> store.put(b("a"), b("1"))).isInstanceOf(FailingVfs.SimulatedPowerLoss.class);
        vfs.arm(FailingVfs.Op.SYNC);
        assertThatThrownBy(() -> store.put(b("a"), b("1"))).isInstanceOf(FailingVfs.SimulatedPowerLoss.class);
        vfs.disarm();
        store.close();
    }
}
