package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/** {@link WhiteboardBTree} under the concurrency category, at order 3, with {@code sync()} (a whole rewrite) looping beside the workers. */
class WhiteboardBTreeConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WhiteboardStores.small("WhiteboardBTree").open(vfs, home);
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(Op.sync());
    }
}
