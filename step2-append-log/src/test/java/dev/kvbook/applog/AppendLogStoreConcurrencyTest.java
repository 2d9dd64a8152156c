package dev.kvbook.applog;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 2 under the concurrency category: every write durable on return on the real disk and
 * with slow fsyncs; then durable at sync only with automatic compaction at a low threshold,
 * while {@code compact()} and {@code sync()} loop beside the workers.
 */
class AppendLogStoreConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return AppendLogStore.open(home.resolve("log.db"), AppendLogStore.Options.defaults().withVfs(vfs));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return AppendLogStore.open(home.resolve("log.db"), AppendLogStore.Options.defaults().withVfs(vfs)
                .withSyncEveryWrite(false).withAutoCompaction(0.5, 256));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(AppendLogStoreContractTest.COMPACT, Op.sync());
    }
}
