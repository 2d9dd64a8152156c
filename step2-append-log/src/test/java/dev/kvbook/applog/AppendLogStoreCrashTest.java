package dev.kvbook.applog;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.Workloads;
import dev.kvbook.testkit.crash.CorruptionReport;
import dev.kvbook.testkit.crash.CorruptionSweep;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import dev.kvbook.testkit.crash.FaultDriver;
import dev.kvbook.testkit.crash.FaultReport;
import dev.kvbook.testkit.crash.StoreChecker;
import dev.kvbook.testkit.process.ProcessKillHarness;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 2's crash promise at every I/O call: after a crash the log holds exactly a prefix of the
 * writes, including every write acknowledged as durable; a crash anywhere inside
 * {@code compact()} leaves the same keys and resurrects nothing. Also I/O errors at every call,
 * a corruption sweep, and real process kills.
 */
class AppendLogStoreCrashTest {

    static final StoreOpener DURABLE = (vfs, home) -> open(vfs, home, true);
    static final StoreOpener SYNC_ONLY = (vfs, home) -> open(vfs, home, false);
    static final StoreChecker VERIFY = (vfs, home) -> new AppendLogStoreProvider().verify(home.resolve("log.db"), vfs).problems();

    static KeyValueStore open(Vfs vfs, Path home, boolean syncEveryWrite) {
        return AppendLogStore.open(home.resolve("log.db"),
                AppendLogStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(syncEveryWrite));
    }

    /** Appends, an overwrite, tombstones, a compaction in the middle, a sync and a reopen. */
    static final List<Op> WORKLOAD = List.of(
            Op.put("apple", "red"), Op.put("banana", "yellow"), Op.put("apple", "green"),
            Op.delete("banana"), AppendLogStoreContractTest.COMPACT, Op.put("cherry", "dark red"),
            Op.sync(), Op.reopen(), Op.delete("apple"), AppendLogStoreContractTest.COMPACT,
            Op.put("banana", "back"), Op.put("", ""));

    @TempDir
    Path dir;

    @Test
    @Tag("lab:step2.build-format")
    void aCrashAtEveryIoCallLeavesAPrefixWithEveryDurableWrite() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertPromiseKept();
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step2 durable: " + report.summary());
    }

    @Test
    @Tag("lab:step2.build-format")
    void harshCrashesThatTearTheTailStillLeaveAPrefix() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).harsh(seed).run().assertPromiseKept();
            System.out.println("step2 harsh seed " + seed + ": " + report.summary());
        }
    }

    @Test
    @Tag("lab:step2.build-format")
    void whenDurableOnlyAtSyncACrashLosesAtMostTheWritesSinceTheLastSync() {
        CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD)
                .checker(VERIFY).harsh(9).run().assertPromiseKept();
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step2 sync-only: " + report.summary());
    }

    /** Harsh crashes keep later unsynced sectors and drop earlier ones: open must take that for a torn tail. */
    @Test
    @Tag("lab:step2.build-format")
    void whenDurableOnlyAtSyncUnsyncedWritesReachingTheDiskOutOfOrderStillLeaveAPrefix() {
        for (long seed = 1; seed <= 5; seed++) {
            CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD)
                    .checker(VERIFY).harsh(seed).run().assertPromiseKept();
            assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
            System.out.println("step2 sync-only harsh seed " + seed + ": " + report.summary());
        }
    }

    @Test
    @Tag("lab:step2.build-format")
    void whenDurableOnlyAtSyncALargerRandomWorkloadKeepsThePromiseAtSampledCrashPoints() {
        for (long seed = 1; seed <= 5; seed++) {
            CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false)
                    .workload(randomWorkload(80, seed)).checker(VERIFY).sample(150, 13).harsh(seed).run()
                    .assertPromiseKept();
            System.out.println("step2 sync-only random sampled seed " + seed + ": " + report.summary());
        }
    }

    @Test
    @Tag("lab:step2.build-format")
    void aLargerRandomWorkloadKeepsThePromiseAtSampledCrashPoints() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(randomWorkload(80, 5)).checker(VERIFY)
                .sample(150, 13).harsh(4).run().assertPromiseKept();
        System.out.println("step2 random sampled: " + report.summary());
    }

    @Test
    @Tag("lab:step2.build-format")
    void anIoErrorAtEveryCallFailsTheCallAndLosesNothingAcknowledged() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertAllHandled();
        System.out.println("step2 faults: " + report.summary());
    }

    @Test
    @Tag("lab:step2.build-format")
    void aDiskThatFillsUpAtAnyCallFailsCleanly() {
        new FaultDriver(DURABLE).workload(WORKLOAD).mode(FaultyVfs.Mode.DISK_FULL).checker(VERIFY).run().assertAllHandled();
    }

    @Test
    @Tag("lab:step2.build-format")
    void everyFlippedOrTruncatedByteIsDetectedOrCutAsATornTail() {
        CorruptionReport report = new CorruptionSweep(DURABLE).workload(WORKLOAD.subList(0, 4)).checker(VERIFY)
                .tailLossAllowed(true).run().assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
        System.out.println("step2 corruption: " + report.summary());
    }

    @Test
    @Tag("lab:step2.build-format")
    void whenDurableOnlyAtSyncEveryFlippedOrTruncatedByteStillGivesNoWrongData() {
        List<Op> unsyncedBatch = List.of(Op.put("apple", "red"), Op.sync(), Op.put("banana", "yellow"),
                Op.put("apple", "green"), Op.delete("banana"));
        CorruptionReport report = new CorruptionSweep(SYNC_ONLY).workload(unsyncedBatch).checker(VERIFY)
                .tailLossAllowed(true).run().assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
        System.out.println("step2 sync-only corruption: " + report.summary());
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedWrite() {
        ProcessKillHarness.Report report = new ProcessKillHarness("step2", dir.resolve("kill.log"))
                .kills(5).maxAcksBeforeKill(100).seed(2).run().assertNothingLost();
        System.out.println("step2 process kill: " + report.rounds() + " kills, " + report.acknowledged() + " acknowledged writes, none lost");
    }

    @Test
    void aSecondProcessCannotOpenTheStore() {
        assertThat(new ProcessKillHarness("step2", dir.resolve("locked.log")).secondProcessOpenFailsFast()).isNotNull();
    }

    @Tag("slow")
    @Test
    void aLongRandomWorkloadKeepsThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 5; seed++) {
            new CrashPointDriver(DURABLE).workload(randomWorkload(150, seed)).checker(VERIFY).harsh(seed).run().assertPromiseKept();
        }
    }

    @Tag("slow")
    @Test
    void whenDurableOnlyAtSyncALongRandomWorkloadKeepsThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 5; seed++) {
            new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(randomWorkload(150, seed)).checker(VERIFY)
                    .harsh(seed).run().assertPromiseKept();
        }
    }

    @Tag("slow")
    @Test
    void aHundredKillsLoseNoAcknowledgedWrite() {
        new ProcessKillHarness("step2", dir.resolve("kill100.log")).kills(100).maxAcksBeforeKill(100).seed(100)
                .run().assertNothingLost();
    }

    static List<Op> randomWorkload(int length, long seed) {
        return Workloads.random(length, seed, List.of(AppendLogStoreContractTest.COMPACT));
    }
}
