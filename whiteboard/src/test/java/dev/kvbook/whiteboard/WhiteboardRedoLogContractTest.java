package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;
import java.util.List;

/**
 * {@link WhiteboardRedoLog} against the steps' ordered contract and the model-based property, with thresholds
 * small enough that most tests checkpoint (a 300-byte log), and its maintenance mixed into the random operations.
 */
class WhiteboardRedoLogContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardRedoLog").open(vfs, home);
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return WhiteboardStores.maintenance("WhiteboardRedoLog");
    }
}
