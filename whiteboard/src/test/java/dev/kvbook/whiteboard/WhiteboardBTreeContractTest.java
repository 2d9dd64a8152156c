package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;

/**
 * {@link WhiteboardBTree} against the steps' ordered contract and the model-based property, at order 3,
 * the smallest, so that a handful of keys already splits and merges nodes on several levels.
 */
class WhiteboardBTreeContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardBTree").open(vfs, home);
    }
}
