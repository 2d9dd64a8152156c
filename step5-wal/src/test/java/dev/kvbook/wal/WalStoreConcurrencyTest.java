package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.TransactionalConcurrencyContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Step 5 under the concurrency category, plain calls and transactions: the defaults (group
 * commit on, every commit durable) on the real disk and with slow fsyncs; then a two-page cache
 * and a checkpoint whenever the log passes 16 KiB, with {@code checkpoint()} looping beside the
 * workers and a few ~9 KB values. The checker runs on every round's file afterwards.
 *
 * <p>Before the fix of issue #15 every test here failed: 20 of 20 rounds on the real disk were not
 * linearizable (an empty delete answered from a commit still waiting for its fsync), and the
 * stressed rounds also hung a worker after a false CorruptionException from a checkpoint that
 * restarted the log under a commit in flight. {@link WalStoreWithoutGroupCommitConcurrencyTest}
 * runs the same category with group commit off.
 */
class WalStoreConcurrencyTest extends TransactionalConcurrencyContract {

    /** A two-page cache and a checkpoint whenever the log passes 16 KiB: checkpoints race commits all the time. */
    static WalStore.Options stressed(Vfs vfs) {
        return WalStore.Options.defaults().withVfs(vfs).withCachePages(2).withCheckpointWalBytes(16 * 1024);
    }

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return Wals.DURABLE.open(vfs, home);
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return WalStore.open(home.resolve(Wals.FILE), stressed(vfs));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(Wals.checkpoint());
    }

    @AfterEach
    void everyRoundsFilePassesTheChecker() throws IOException {
        assertEveryRoundHealthy(home);
    }

    /** Runs the checker on the store file of every round under {@code home}. */
    static void assertEveryRoundHealthy(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals(Wals.FILE)).toList()) {
                Wals.assertHealthy(Vfs.local(), file);
            }
        }
    }
}
