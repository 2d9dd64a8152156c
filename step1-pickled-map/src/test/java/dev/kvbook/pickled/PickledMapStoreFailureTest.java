package dev.kvbook.pickled;

import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens when the disk fails mid-rewrite: memory goes back to the map the file holds, the
 * store refuses further writes, reads keep working, and an Error (a simulated power loss) is
 * never caught.
 */
class PickledMapStoreFailureTest {

    /** Plays a power loss: an Error, which no store may catch. */
    static final class PowerLoss extends Error {
        PowerLoss() {
            super("simulated power loss");
        }
    }

    @TempDir
    Path dir;

    final TrippingVfs vfs = new TrippingVfs(Vfs.local());

    Path path() {
        return dir.resolve("store.pickle");
    }

    PickledMapStore open(boolean syncEveryWrite) {
        return PickledMapStore.open(path(),
                PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(syncEveryWrite));
    }

    static UncheckedIOException diskError() {
        return new UncheckedIOException(new IOException("injected: the disk said no"));
    }

    @Test
    void failedRenameLeavesOldMapAndFailsTheStore() {
        try (PickledMapStore store = open(true)) {
            store.put(utf8("k"), utf8("old"));
            UncheckedIOException injected = diskError();
            vfs.failNext(TrippingVfs.Op.RENAME, injected);

            assertThatThrownBy(() -> store.put(utf8("k"), utf8("new")))
                    .isInstanceOf(StoreFailedException.class).hasCause(injected);
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("old")); // reads keep working, on the old map
            assertThat(store.stats().detail("failed")).isEqualTo(true);
            assertThatThrownBy(() -> store.put(utf8("other"), utf8("v"))).isInstanceOf(StoreFailedException.class);
            assertThatThrownBy(() -> store.delete(utf8("k"))).isInstanceOf(StoreFailedException.class);
            assertThatThrownBy(() -> store.batch(b -> { })).isInstanceOf(StoreFailedException.class);
        }
        try (PickledMapStore store = open(true)) {
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("old"));
            assertThat(store.containsKey(utf8("other"))).isFalse();
        }
    }

    @Test
    void failedDirectorySyncAfterTheRenameFailsTheStoreAndReopenFindsOldOrNew() {
        try (PickledMapStore store = open(true)) {
            store.put(utf8("k"), utf8("old"));
            vfs.failNext(TrippingVfs.Op.SYNC_DIRECTORY, diskError());
            assertThatThrownBy(() -> store.put(utf8("k"), utf8("new"))).isInstanceOf(StoreFailedException.class);
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("old"));
        }
        try (PickledMapStore store = open(true)) {
            assertThat(new String(store.get(utf8("k")))).isIn("old", "new");
        }
    }

    @Test
    void failedFileSyncInDeferredModeRollsMemoryBackToTheFile() {
        try (PickledMapStore store = open(false)) {
            store.put(utf8("synced"), utf8("1"));
            store.sync();
            store.put(utf8("synced"), utf8("2"));
            store.put(utf8("unsynced"), utf8("1"));
            vfs.failNext(TrippingVfs.Op.FILE_SYNC, diskError());

            assertThatThrownBy(store::sync).isInstanceOf(StoreFailedException.class);
            assertThat(store.get(utf8("synced"))).isEqualTo(utf8("1"));
            assertThat(store.containsKey(utf8("unsynced"))).isFalse();
            assertThat(store.stats().detail("unsyncedWrites")).isEqualTo(0L);
        }
        try (PickledMapStore store = open(true)) {
            assertThat(store.get(utf8("synced"))).isEqualTo(utf8("1"));
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void aBatchWhoseRewriteFailsLeavesNoneOfItInMemory() {
        try (PickledMapStore store = open(true)) {
            store.put(utf8("a"), utf8("before"));
            vfs.failNext(TrippingVfs.Op.WRITE, diskError());
            assertThatThrownBy(() -> store.batch(b -> {
                b.put(utf8("a"), utf8("after"));
                b.put(utf8("b"), utf8("after"));
                b.delete(utf8("a"));
            })).isInstanceOf(StoreFailedException.class);
            assertThat(store.get(utf8("a"))).isEqualTo(utf8("before"));
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void anErrorFromTheVfsPropagatesUnwrappedAndTheStoreRefusesLaterWrites() {
        PickledMapStore store = open(true);
        store.put(utf8("k"), utf8("old"));
        PowerLoss powerLoss = new PowerLoss();
        vfs.failNext(TrippingVfs.Op.FILE_SYNC, powerLoss);

        assertThatThrownBy(() -> store.put(utf8("k"), utf8("new"))).isSameAs(powerLoss);
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("old"));
        assertThatThrownBy(() -> store.put(utf8("k"), utf8("again")))
                .isInstanceOf(StoreFailedException.class).hasMessageContaining("refuses writes");
        store.close();
    }

    @Test
    void closingAFailedStoreWritesNothingAndReleasesTheLock() {
        PickledMapStore store = open(false);
        store.put(utf8("k"), utf8("v"));
        vfs.failNext(TrippingVfs.Op.RENAME, diskError());
        assertThatThrownBy(store::sync).isInstanceOf(StoreFailedException.class);
        store.close();
        try (PickledMapStore again = open(true)) {
            assertThat(again.size()).isZero();
        }
    }
}
