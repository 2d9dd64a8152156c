package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 3's plain guard ({@link StoreGuard}: one read/write lock, a merge under its write side)
 * under the concurrency category with explicit {@code merge()} looping beside the workers, so the
 * design a reader meets first is held to the same promise as {@link ConcurrentMergeGuard}, which
 * {@link HashIndexStoreConcurrencyTest}'s stressed rounds run (background merge on).
 */
class HashIndexStoreOneLockMergeConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return open(vfs, home);
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(HashIndexStoreContractTest.MERGE);
    }
}
