package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;

import java.nio.file.Path;

/** {@link WhiteboardLog} against the steps' contract and the model-based property (it is not ordered). */
class WhiteboardLogContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new WhiteboardLog(vfs, home.resolve("log.db"));
    }
}
