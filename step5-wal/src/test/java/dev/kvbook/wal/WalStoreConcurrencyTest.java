package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.TransactionalConcurrencyContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

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
 * <p>Every test here fails on today's code (issue #15) and is disabled until the fix lands:
 * delete the overrides below to re-enable them. {@link WalStoreWithoutGroupCommitConcurrencyTest}
 * runs the same category with group commit off, and passes.
 */
class WalStoreConcurrencyTest extends TransactionalConcurrencyContract {

    static final String BUG_15 = "bug #15: with group commit on, a transaction builds on a commit that is appended but not"
            + " yet published, and one that changes nothing (delete of an absent key, a read-only transaction) returns"
            + " at once, so a later read sees the older published state (not linearizable, first round of nearly every"
            + " run); group commit racing checkpoints can hang a put and report false CorruptionException";

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

    @Override
    @Test
    @Disabled(BUG_15)
    protected void concurrentCallsOnTheRealDiskAreLinearizable(TestInfo test) {
        super.concurrentCallsOnTheRealDiskAreLinearizable(test);
    }

    @Override
    @Test
    @Disabled(BUG_15)
    protected void concurrentCallsWithSlowFsyncsAreLinearizable(TestInfo test) {
        super.concurrentCallsWithSlowFsyncsAreLinearizable(test);
    }

    @Override
    @Test
    @Disabled(BUG_15)
    protected void concurrentCallsBesideLoopingMaintenanceAreLinearizable(TestInfo test) {
        super.concurrentCallsBesideLoopingMaintenanceAreLinearizable(test);
    }

    @Override
    @Test
    @Tag("slow")
    @Disabled(BUG_15)
    protected void manyLongerRoundsAreLinearizable(TestInfo test) {
        super.manyLongerRoundsAreLinearizable(test);
    }

    @Override
    @Test
    @Disabled(BUG_15)
    protected void transactionsOnTheRealDiskAreAtomicAndLinearizable(TestInfo test) {
        super.transactionsOnTheRealDiskAreAtomicAndLinearizable(test);
    }

    @Override
    @Test
    @Disabled(BUG_15)
    protected void transactionsBesideLoopingMaintenanceWithSlowFsyncsAreAtomicAndLinearizable(TestInfo test) {
        super.transactionsBesideLoopingMaintenanceWithSlowFsyncsAreAtomicAndLinearizable(test);
    }

    @Override
    @Test
    @Tag("slow")
    @Disabled(BUG_15)
    protected void manyTransactionRoundsAreAtomicAndLinearizable(TestInfo test) {
        super.manyTransactionRoundsAreAtomicAndLinearizable(test);
    }
}
