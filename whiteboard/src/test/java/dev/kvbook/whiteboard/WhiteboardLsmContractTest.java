package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link WhiteboardLsm} against the steps' ordered contract and the model-based property, with thresholds
 * small enough that most tests flush runs (a 200-byte memtable), and its maintenance mixed into the random operations.
 */
class WhiteboardLsmContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardLsm").open(vfs, home);
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return WhiteboardStores.maintenance("WhiteboardLsm");
    }
}
