package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/** {@link WhiteboardBitcask} under the concurrency category, with 200-byte segments and merges looping beside the workers. */
class WhiteboardBitcaskConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardBitcask").open(vfs, home);
    }

    @Override
    protected List<Op> maintenanceOps() {
        return WhiteboardStores.maintenance("WhiteboardBitcask");
    }

    /** Every write is fsynced (an append and an fsync), so fewer calls a round by default; the slow runs take three times as many. */
    @Override
    protected int callsPerThread() {
        return 50;
    }
}
