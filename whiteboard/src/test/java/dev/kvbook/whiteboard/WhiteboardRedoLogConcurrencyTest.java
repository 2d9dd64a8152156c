package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/** {@link WhiteboardRedoLog} under the concurrency category, with small thresholds and its maintenance looping beside the workers. */
class WhiteboardRedoLogConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardRedoLog").open(vfs, home);
    }

    @Override
    protected List<Op> maintenanceOps() {
        return WhiteboardStores.maintenance("WhiteboardRedoLog");
    }

    /** Every write is fsynced (an append and an fsync), so fewer calls a round by default; the slow runs take three times as many. */
    @Override
    protected int callsPerThread() {
        return 50;
    }
}
