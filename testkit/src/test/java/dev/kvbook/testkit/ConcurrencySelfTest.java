package dev.kvbook.testkit;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.concurrency.ConcurrencyDriver;
import dev.kvbook.testkit.concurrency.ConcurrencyReport;
import dev.kvbook.testkit.vfs.LatencyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The concurrency category tests itself: a store with a deliberate race must be caught, or a
 * green concurrency test would mean nothing. A race shows up only when the scheduler interleaves
 * the threads badly, so each test runs rounds until one fails, up to a bound far above what it
 * needs, and prints how many it took.
 */
class ConcurrencySelfTest {

    /** Rounds to try before concluding the race was not found: each takes milliseconds. */
    private static final int MAX_ROUNDS = 500;

    @TempDir
    Path home;

    @Test
    void aStoreWhoseWritesSkipTheLockIsCaughtNotLinearizable() {
        ConcurrencyReport report = new ConcurrencyDriver(memory(ToyMemoryStore.Flaw.UNLOCKED_WRITES))
                .label("racy writes").threads(4).keys(3).callsPerThread(200).rounds(MAX_ROUNDS).seed(1).run(home);
        System.out.println(report.summary() + "\n" + report.failures().get(0));
        assertThat(report.found(ConcurrencyReport.Kind.NOT_LINEARIZABLE)).as(report::summary).isTrue();
        assertThatThrownBy(report::assertLinearizable).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no order of the calls explains the answers");
    }

    @Test
    void aStoreWhoseCommitsAreVisibleHalfWayIsCaughtNotLinearizable() {
        ConcurrencyReport report = new ConcurrencyDriver(memory(ToyMemoryStore.Flaw.HALF_VISIBLE_COMMITS))
                .label("half-visible commits").transactions(true).threads(4).keys(3).callsPerThread(40)
                .rounds(MAX_ROUNDS).seed(2).run(home);
        System.out.println(report.summary() + "\n" + report.failures().get(0));
        assertThat(report.found(ConcurrencyReport.Kind.NOT_LINEARIZABLE)).as(report::summary).isTrue();
    }

    @Test
    void aCorrectStoreIsLinearizableRoundAfterRound() {
        ConcurrencyReport report = new ConcurrencyDriver(memory(ToyMemoryStore.Flaw.NONE)).transactions(true)
                .threads(4).keys(3).callsPerThread(40).rounds(20).seed(3).run(home).assertLinearizable();
        assertThat(report.rounds()).isEqualTo(20);
        assertThat(report.histories()).isEqualTo(20);
        assertThat(report.calls()).isEqualTo(20 * 4 * 40);
        assertThat(report.transactions()).isPositive();
    }

    @Test
    void aStoreThatNeverReturnsIsReportedAsAHangWithEveryThreadsStack() {
        ToyMemoryStore store = new ToyMemoryStore(ToyMemoryStore.Flaw.NONE);
        store.begin(); // this thread holds the writer lock and never commits: every write waits forever
        ConcurrencyReport report = new ConcurrencyDriver((vfs, dir) -> store).threads(2).callsPerThread(10)
                .rounds(1).hangAfter(Duration.ofMillis(500)).run(home);
        assertThat(report.found(ConcurrencyReport.Kind.HUNG)).as(report::summary).isTrue();
        assertThat(report.failures().get(0).details())
                .contains("the workers did not finish", "kvbook-concurrency-worker-0", "ToyMemoryStore");
    }

    @Test
    void maintenanceRunsBesideTheWorkersAndIsCounted() {
        ConcurrencyReport report = new ConcurrencyDriver(memory(ToyMemoryStore.Flaw.NONE)).maintenance(List.of(Op.sync()))
                .threads(2).callsPerThread(200).rounds(2).run(home).assertLinearizable();
        assertThat(report.maintenanceRuns()).isPositive();
    }

    @Test
    void aMaintenanceOperationThatChangesDataIsRefused() {
        assertThatThrownBy(() -> new ConcurrencyDriver(memory(ToyMemoryStore.Flaw.NONE)).maintenance(List.of(Op.put("a", "1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("changes the data");
    }

    @Test
    void theLatencyVfsDelaysEveryFsyncOfTheToyFileStoreAndChangesNothingElse() {
        LatencyVfs slow = new LatencyVfs(Vfs.local(), 9, 1);
        new ConcurrencyDriver(ToyStores.correct()).vfs(slow).threads(2).callsPerThread(20).rounds(1).run(home)
                .assertLinearizable();
        assertThat(slow.delayedSyncs()).isPositive();
    }

    private static StoreOpener memory(ToyMemoryStore.Flaw flaw) {
        return (vfs, dir) -> new ToyMemoryStore(flaw);
    }
}
