package dev.kvbook.lsm;

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

import static dev.kvbook.lsm.LsmStoreContractTest.COMPACT;
import static dev.kvbook.lsm.LsmStoreContractTest.FLUSH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 6's crash promise at every I/O call of puts, memtable rotations, flushes, compactions and
 * manifest rewrites: after a crash the store holds every durable write and nothing deleted comes
 * back. Flushes and compactions run on the writer's thread here ({@code backgroundCompaction
 * (false)}): the driver replays the workload once per I/O call and needs the same calls in the
 * same order every time, and a simulated power loss must stop every thread of the "process" at
 * once (step 3's crash test explains this at length). The background thread runs this very
 * code. Also I/O errors at every call, a corruption sweep over every file, and real process kills.
 */
class LsmStoreCrashTest {

    /** A 200-byte memtable, level 0 compacted at two tables, a 512-byte level 1, a 300-byte manifest limit. */
    static KeyValueStore open(Vfs vfs, Path home, boolean syncEveryWrite) {
        return LsmStore.open(home.resolve("db"), LsmStore.Options.defaults().withVfs(vfs).withMemtableBytes(200)
                .withBlockBytes(128).withTableBytes(512).withLevel0(2, 4).withLevels(512, 2).withManifestRewriteBytes(300)
                .withBackgroundCompaction(false).withSyncEveryWrite(syncEveryWrite));
    }

    static final StoreOpener DURABLE = (vfs, home) -> open(vfs, home, true);
    static final StoreOpener SYNC_ONLY = (vfs, home) -> open(vfs, home, false);
    static final StoreChecker VERIFY = (vfs, home) -> new LsmStoreProvider().verify(home.resolve("db"), vfs).problems();

    /** Puts that fill memtables (flushes, compactions), overwrites, deletes, an explicit compaction, a reopen. */
    static final List<Op> WORKLOAD = List.of(
            Op.put("apple", "red"), Op.put("banana", "yellow".repeat(10)), Op.put("apple", "green"),
            Op.delete("banana"), Op.put("cherry", "dark red".repeat(8)), Op.put("date", "brown"),
            Op.sync(), Op.reopen(), Op.delete("apple"), Op.put("elder", "black".repeat(12)), COMPACT,
            Op.put("banana", "back"), Op.delete("cherry"), Op.put("", ""));

    @TempDir
    Path dir;

    /** The figures of every session of {@code workload} on a fresh simulated disk, summed; and the I/O calls it made. */
    static java.util.Map<String, Long> figuresOf(List<Op> workload) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(CrashPointDriver.HOME);
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        KeyValueStore store = DURABLE.open(vfs, CrashPointDriver.HOME);
        for (Op op : workload) {
            if (op instanceof Op.Reopen) {
                add(sums, store);
            }
            op.applyTo(store);
            if (op instanceof Op.Reopen) {
                store = DURABLE.open(vfs, CrashPointDriver.HOME);
            }
        }
        add(sums, store);
        store.close();
        sums.put("tableWrites", vfs.mutationLog().stream().filter(c -> c.startsWith("write") && c.contains(".sst")).count());
        sums.put("currentRenames", vfs.mutationLog().stream().filter(c -> c.contains("-> CURRENT")).count());
        return sums;
    }

    private static void add(java.util.Map<String, Long> sums, KeyValueStore store) {
        for (String figure : List.of("flushes", "compactions", "manifestRewrites")) {
            sums.merge(figure, (Long) store.stats().detail(figure), Long::sum);
        }
    }

    @Test
    void theCrashWorkloadFlushesCompactsAndRewritesTheManifest() {
        java.util.Map<String, Long> figures = figuresOf(WORKLOAD);
        System.out.println("step6 crash workload: " + figures);
        assertThat(figures).allSatisfy((figure, count) -> assertThat(count).as(figure).isPositive());
        java.util.Map<String, Long> random = figuresOf(randomWorkload(80, 5));
        System.out.println("step6 random workload: " + random);
        assertThat(random).allSatisfy((figure, count) -> assertThat(count).as(figure).isPositive());
    }

    @Test
    void aCrashAtEveryIoCallLosesNoDurableWriteAndResurrectsNothing() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertPromiseKept();
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step6 durable: " + report.summary());
    }

    @Test
    void harshCrashesKeepThePromise() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).harsh(seed).run()
                    .assertPromiseKept();
            System.out.println("step6 harsh seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashLosesAtMostTheWritesSinceTheLastSync() {
        CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD)
                .checker(VERIFY).harsh(9).run().assertPromiseKept();
        System.out.println("step6 sync-only: " + report.summary());
    }

    @Test
    void aLargerRandomWorkloadKeepsThePromiseAtSampledCrashPoints() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(randomWorkload(80, 5)).checker(VERIFY)
                .sample(150, 13).harsh(4).run().assertPromiseKept();
        System.out.println("step6 random sampled: " + report.summary());
    }

    @Test
    void anIoErrorAtEveryCallFailsTheCallAndLosesNothingAcknowledged() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertAllHandled();
        System.out.println("step6 faults: " + report.summary());
    }

    @Test
    void aDiskThatFillsUpAtAnyCallFailsCleanly() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).mode(FaultyVfs.Mode.DISK_FULL).checker(VERIFY)
                .run().assertAllHandled();
        System.out.println("step6 disk full: " + report.summary());
    }

    @Test
    void everyFlippedOrTruncatedByteOfEveryFileIsDetectedCutAsATornTailOrHarmless() {
        List<Op> small = List.of(Op.put("apple", "red"), Op.put("banana", "yellow".repeat(20)),
                Op.delete("apple"), Op.put("cherry", "dark"), FLUSH, Op.put("date", "brown"));
        CorruptionReport report = new CorruptionSweep(DURABLE).workload(small).checker(VERIFY)
                .tailLossAllowed(true).run().assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
        System.out.println("step6 corruption: " + report.summary());
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedWrite() {
        ProcessKillHarness.Report report = new ProcessKillHarness("step6", dir.resolve("kill"))
                .kills(5).maxAcksBeforeKill(100).seed(6).run().assertNothingLost();
        System.out.println("step6 process kill: " + report.rounds() + " kills, " + report.acknowledged()
                + " acknowledged writes, none lost");
    }

    @Test
    void aSecondProcessCannotOpenTheStore() {
        assertThat(new ProcessKillHarness("step6", dir.resolve("locked")).secondProcessOpenFailsFast()).isNotNull();
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
        new ProcessKillHarness("step6", dir.resolve("kill100")).kills(100).maxAcksBeforeKill(100).seed(100)
                .run().assertNothingLost();
    }

    static List<Op> randomWorkload(int length, long seed) {
        return Workloads.random(length, seed, List.of(FLUSH, COMPACT));
    }
}
