package dev.kvbook.lsm;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 6 under the concurrency category: tiny memtables (a flush every few writes) with
 * flushes and compactions on the writer's thread, on the real disk and with slow fsyncs; then
 * with the background thread flushing and compacting, while {@code flush()} and
 * {@code compact()} loop beside the workers.
 */
class LsmStoreConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return LsmStore.open(home.resolve("db"), LsmStoreContractTest.small(vfs));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return LsmStore.open(home.resolve("db"), LsmStoreContractTest.small(vfs).withBackgroundCompaction(true));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(LsmStoreContractTest.FLUSH, LsmStoreContractTest.COMPACT);
    }
}
