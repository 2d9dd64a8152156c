package dev.kvbook.btree;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ConcurrencyContract;
import dev.kvbook.testkit.Op;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Step 4 under the concurrency category: the defaults on the real disk and with slow fsyncs;
 * then a three-page cache with writes durable at sync only (evictions write pages in the middle
 * of operations), while {@code sync()} loops beside the workers. The tree checker runs on every
 * round's file afterwards.
 */
class BTreeStoreConcurrencyTest extends ConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return Trees.DURABLE.open(vfs, home);
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return Trees.SYNC_ONLY_TINY_CACHE.open(vfs, home);
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(Op.sync());
    }

    @AfterEach
    void everyRoundsFilePassesTheTreeChecker() throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals(Trees.FILE)).toList()) {
                Trees.assertHealthy(Vfs.local(), file);
            }
        }
    }
}
