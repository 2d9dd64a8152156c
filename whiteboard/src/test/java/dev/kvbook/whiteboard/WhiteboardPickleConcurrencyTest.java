package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;

import java.nio.file.Path;

/** {@link WhiteboardPickle} under the concurrency category: one lock, so every history must be linearizable. */
class WhiteboardPickleConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new WhiteboardPickle(vfs, home.resolve("pickle.db"));
    }
}
