package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;

import java.nio.file.Path;

/** {@link WhiteboardLog} under the concurrency category: one lock, an fsync per write. */
class WhiteboardLogConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new WhiteboardLog(vfs, home.resolve("log.db"));
    }

    /** Every write is fsynced (an append and an fsync), so fewer calls a round by default; the slow runs take three times as many. */
    @Override
    protected int callsPerThread() {
        return 50;
    }
}
