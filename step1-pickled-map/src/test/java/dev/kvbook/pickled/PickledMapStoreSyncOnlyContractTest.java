package dev.kvbook.pickled;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;
import java.util.List;

/** Step 1 against the whole contract when writes are durable only at {@code sync()} and {@code close()}. */
class PickledMapStoreSyncOnlyContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return PickledMapStore.open(home.resolve("map.db"),
                PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(PickledMapStoreContractTest.batchOp());
    }
}
