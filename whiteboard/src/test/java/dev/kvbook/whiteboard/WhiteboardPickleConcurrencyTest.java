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

    /** Every write is fsynced (a whole rewrite of the map), so fewer calls a round by default; the slow runs take three times as many. */
    @Override
    protected int callsPerThread() {
        return 40;
    }
}
