package dev.kvbook.lsm;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 6 against the ordered contract and the model-based property once more, with the same tiny
 * thresholds but flushes and compactions on the background thread, racing the test's own calls.
 */
class LsmStoreBackgroundContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return LsmStore.open(home.resolve("db"), LsmStoreContractTest.small(vfs).withBackgroundCompaction(true));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(LsmStoreContractTest.FLUSH, LsmStoreContractTest.COMPACT);
    }
}
