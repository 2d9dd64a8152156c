package dev.kvbook.applog;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 2 against the whole contract when writes are durable only at {@code sync()} and
 * {@code close()}, and with automatic compaction switched on at a low threshold so that it
 * runs in the middle of the contract's and the model's workloads.
 */
class AppendLogStoreSyncOnlyContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return AppendLogStore.open(home.resolve("log.db"), AppendLogStore.Options.defaults().withVfs(vfs)
                .withSyncEveryWrite(false).withAutoCompaction(0.5, 256));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(AppendLogStoreContractTest.COMPACT);
    }
}
