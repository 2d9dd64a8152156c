package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;

import java.nio.file.Path;

/** {@link WhiteboardPickle} against the steps' ordered contract and the model-based property. */
class WhiteboardPickleContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new WhiteboardPickle(vfs, home.resolve("pickle.db"));
    }
}
