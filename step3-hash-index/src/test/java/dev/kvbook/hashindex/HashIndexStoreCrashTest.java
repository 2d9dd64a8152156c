package dev.kvbook.hashindex;

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
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.hashindex.HashIndexStoreContractTest.MERGE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 3's crash promise at every I/O call of puts, rollovers (tiny segments) and merges: after
 * a crash the store holds a prefix of the writes with every durable one, the same keys after an
 * interrupted merge, and no deleted key back. Also I/O errors at every call, a corruption sweep
 * over every file (hint files included), and real process kills.
 */
@Tag("lab:step3.build-hints-merge")
class HashIndexStoreCrashTest {

    static final StoreOpener DURABLE = (vfs, home) -> open(vfs, home, true);
    static final StoreOpener SYNC_ONLY = (vfs, home) -> open(vfs, home, false);
    static final StoreChecker VERIFY = (vfs, home) -> new HashIndexStoreProvider().verify(home.resolve("db"), vfs).problems();

    /** 128-byte segments: nearly every put of the workload rolls over. */
    static KeyValueStore open(Vfs vfs, Path home, boolean syncEveryWrite) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStore.Options.defaults().withVfs(vfs)
                .withSegmentSize(128).withSyncEveryWrite(syncEveryWrite));
    }

    /** Puts that roll segments over, overwrites, deletes, two merges, a sync and a reopen. */
    static final List<Op> WORKLOAD = List.of(
            Op.put("apple", "red"), Op.put("banana", "yellow".repeat(20)), Op.put("apple", "green"),
            Op.delete("banana"), MERGE, Op.put("cherry", "dark red".repeat(20)),
            Op.sync(), Op.reopen(), Op.delete("apple"), Op.put("date", "brown"), MERGE,
            Op.put("banana", "back"), Op.put("", ""));

    @TempDir
    Path dir;

    @Test
    void aCrashAtEveryIoCallLeavesAPrefixWithEveryDurableWrite() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertPromiseKept();
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step3 durable: " + report.summary());
    }

    @Test
    void harshCrashesKeepThePromiseAndNeverResurrectADeletedKey() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).harsh(seed).run()
                    .assertPromiseKept();
            System.out.println("step3 harsh seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashLosesAtMostTheWritesSinceTheLastSync() {
        CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD)
                .checker(VERIFY).harsh(9).run().assertPromiseKept();
        System.out.println("step3 sync-only: " + report.summary());
    }

    @Test
    void aLargerRandomWorkloadWithMergesKeepsThePromiseAtSampledCrashPoints() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(randomWorkload(80, 5)).checker(VERIFY)
                .sample(150, 13).harsh(4).run().assertPromiseKept();
        System.out.println("step3 random sampled: " + report.summary());
    }

    /**
     * Background merge on (a merge whenever garbage is a quarter of the bytes on disk), but run on
     * the writer's thread ({@code Runnable::run}), inside the put or delete that passed the ratio.
     *
     * <p>Why not the real merge thread: the driver replays the workload once per I/O call,
     * crashing at call p, which needs the same calls in the same order every run. With a second
     * thread the writer's and the merge's calls interleave differently from run to run, so "call
     * p" names a different call each time (or none: the run may end first). Worse, the simulated
     * power loss would strike one thread while the other runs on; the merge thread of the "dead
     * process" could then delete or rename files on the disk the driver has already rebooted,
     * which no real power loss allows. The merge the thread runs is this very code path
     * ({@code mergeInBackground} → {@code merge()}), so this tests its crash safety at every call;
     * {@link BackgroundMergeTest} tests the thread itself.
     */
    static final StoreOpener BACKGROUND_ON_THE_WRITER = (vfs, home) -> HashIndexStore.open(home.resolve("db"),
            HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(128).withBackgroundMerge(0.25, 0),
            Runnable::run);

    /** Overwrites and deletes that pile up garbage fast, so that the trigger fires several times. */
    static final List<Op> GARBAGE_WORKLOAD = List.of(
            Op.put("apple", "red"), Op.put("apple", "green"), Op.put("banana", "yellow".repeat(10)),
            Op.put("apple", "yellow"), Op.delete("banana"), Op.put("cherry", "dark red"),
            Op.put("cherry", "red"), Op.reopen(), Op.delete("apple"), Op.put("date", "brown"),
            Op.put("date", "dark brown"), Op.put("banana", "back"), Op.delete("cherry"));

    @Test
    void backgroundMergesInTheCrashWorkloadReallyRun() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(dir); // a store creates no parent directories
        KeyValueStore store = BACKGROUND_ON_THE_WRITER.open(vfs, dir);
        long merges = 0;
        for (Op op : GARBAGE_WORKLOAD) {
            if (op instanceof Op.Reopen) {
                merges += (long) store.stats().detail("backgroundMerges");
            }
            op.applyTo(store);
            if (op instanceof Op.Reopen) {
                store = BACKGROUND_ON_THE_WRITER.open(vfs, dir);
            }
        }
        merges += (long) store.stats().detail("backgroundMerges");
        store.close();
        assertThat(merges).as("background merges in the workload").isGreaterThan(1);
    }

    @Test
    void aCrashAtEveryIoCallWithBackgroundMergeOnKeepsThePromise() {
        CrashReport report = new CrashPointDriver(BACKGROUND_ON_THE_WRITER).workload(GARBAGE_WORKLOAD).checker(VERIFY)
                .run().assertPromiseKept();
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step3 background merge: " + report.summary());
        for (long seed = 1; seed <= 2; seed++) {
            System.out.println("step3 background merge harsh seed " + seed + ": " + new CrashPointDriver(
                    BACKGROUND_ON_THE_WRITER).workload(GARBAGE_WORKLOAD).checker(VERIFY).harsh(seed).run()
                    .assertPromiseKept().summary());
        }
    }

    @Test
    void anIoErrorAtEveryCallFailsTheCallAndLosesNothingAcknowledged() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertAllHandled();
        System.out.println("step3 faults: " + report.summary());
    }

    @Test
    void aDiskThatFillsUpAtAnyCallFailsCleanly() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).mode(FaultyVfs.Mode.DISK_FULL).checker(VERIFY)
                .run().assertAllHandled();
        System.out.println("step3 disk full: " + report.summary());
    }

    @Test
    void everyFlippedOrTruncatedByteOfEveryFileIsDetectedCutAsATornTailOrHarmless() {
        List<Op> small = List.of(Op.put("apple", "red"), Op.put("banana", "yellow".repeat(20)),
                Op.delete("apple"), Op.put("cherry", "dark"));
        CorruptionReport report = new CorruptionSweep(DURABLE).workload(small).checker(VERIFY)
                .tailLossAllowed(true).run().assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
        System.out.println("step3 corruption: " + report.summary());
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedWrite() {
        ProcessKillHarness.Report report = new ProcessKillHarness("step3", dir.resolve("kill"))
                .kills(5).maxAcksBeforeKill(100).seed(2).run().assertNothingLost();
        System.out.println("step3 process kill: " + report.rounds() + " kills, " + report.acknowledged()
                + " acknowledged writes, none lost");
    }

    @Test
    void aSecondProcessCannotOpenTheStore() {
        assertThat(new ProcessKillHarness("step3", dir.resolve("locked")).secondProcessOpenFailsFast()).isNotNull();
    }

    @Tag("slow")
    @Test
    void aLongRandomWorkloadKeepsThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 5; seed++) {
            new CrashPointDriver(DURABLE).workload(randomWorkload(150, seed)).checker(VERIFY).harsh(seed).run()
                    .assertPromiseKept();
        }
    }

    @Tag("slow")
    @Test
    void aLongRandomSyncOnlyWorkloadKeepsThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 3; seed++) {
            new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(randomWorkload(100, seed))
                    .checker(VERIFY).harsh(seed).run().assertPromiseKept();
        }
    }

    @Tag("slow")
    @Test
    void aHundredKillsLoseNoAcknowledgedWrite() {
        new ProcessKillHarness("step3", dir.resolve("kill100")).kills(100).maxAcksBeforeKill(100).seed(100)
                .run().assertNothingLost();
    }

    static List<Op> randomWorkload(int length, long seed) {
        return Workloads.random(length, seed, List.of(MERGE));
    }
}
