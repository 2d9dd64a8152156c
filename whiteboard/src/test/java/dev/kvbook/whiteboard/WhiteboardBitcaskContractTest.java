package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link WhiteboardBitcask} against the steps' contract and the model-based property, with 200-byte
 * segments so that most tests roll over, and merges mixed into the random operations.
 */
class WhiteboardBitcaskContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardBitcask").open(vfs, home);
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return WhiteboardStores.maintenance("WhiteboardBitcask");
    }
}
