package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 3 under the concurrency category: 1 KiB segments (rollovers all the time), every write
 * durable on return, on the real disk and with slow fsyncs; then with background merge on as
 * well, while explicit {@code merge()} loops beside the workers.
 */
class HashIndexStoreConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs).withBackgroundMerge(0.2, 0));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(HashIndexStoreContractTest.MERGE);
    }
}
