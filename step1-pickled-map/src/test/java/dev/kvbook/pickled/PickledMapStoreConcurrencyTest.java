package dev.kvbook.pickled;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 1 under the concurrency category: every write durable on return on the real disk and
 * with slow fsyncs; then writes durable only at sync, with {@code sync()} (a whole-file rewrite)
 * looping beside the workers.
 */
class PickledMapStoreConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return PickledMapStore.open(home.resolve("map.db"), PickledMapStore.Options.defaults().withVfs(vfs));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return PickledMapStore.open(home.resolve("map.db"),
                PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(Op.sync());
    }
}
