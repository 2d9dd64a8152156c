package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.Workloads;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 5's crash promise at every I/O call: of commits (single writes and multi-key
 * transactions), of checkpoints (on demand, automatic and on close), and of recovery itself.
 * After every crash the store must reopen with every committed transaction and no uncommitted
 * one, whole or not at all, and the checker must pass: only INTACT outcomes, no refusal.
 */
@Tag("lab:step5.build-recovery")
class WalCrashTest {

    static Op put(String key, int valueLength) {
        byte[] value = new byte[valueLength];
        Arrays.fill(value, (byte) key.charAt(0));
        return new Op.Put(dev.kvbook.api.Keys.utf8(key), value);
    }

    /** Puts (one with an overflow value), overwrites, deletes, transactions, a checkpoint, a reopen. */
    static final List<Op> WORKLOAD = List.of(
            put("m", 10), put("c", 700), Wals.transaction("a", "b", "m", "t1"), put("f", 5000), Op.delete("c"),
            Wals.checkpoint(), put("k", 300), Wals.transaction("x", "y", "a", "t2"), Op.reopen(),
            Op.delete("f"), put("b", 900), Op.sync(), Wals.transaction("k", "z", "x", "t3"));

    /**
     * Enough one-frame commits, and one of several frames, to fill a log of {@link Wals#RECYCLED}
     * size several times: crashes land while a log grows ahead of its frames, and while a
     * restarted log is overwritten over an older generation's frames (issue #27).
     */
    static final List<Op> OVERWRITES = List.of(
            put("a", 10), put("b", 10), put("c", 10), put("a", 11), put("d", 10), put("e", 10), put("f", 10),
            put("b", 9000), Op.delete("c"), put("g", 10), put("a", 12), Wals.transaction("h", "i", "d", "t1"),
            put("j", 10), Op.delete("e"), put("k", 10), put("a", 13), put("l", 10));

    private static CrashPointDriver driver(StoreOpener opener, List<Op> workload) {
        return new CrashPointDriver(opener).workload(workload).durableOnEveryWrite(true).checker(Wals.VERIFY);
    }

    private static void assertOnlyIntact(CrashReport report) {
        report.assertPromiseKept();
        assertThat(report.counts().keySet()).as(report.summary()).containsOnly(CrashOutcome.INTACT);
        assertThat(report.points()).hasSize((int) report.ioCallsInWorkload());
    }

    @Test
    void aCrashAtEveryIoCallKeepsEveryCommittedTransactionAndNoOther() {
        CrashReport report = driver(Wals.DURABLE, WORKLOAD).run();
        System.out.println("step5 gentle: " + report.summary());
        assertOnlyIntact(report);
    }

    @Test
    void tornDroppedAndGarbledSectorsAreRecoveredFromToo() {
        for (long seed : new long[] {1, 2, 3}) {
            CrashReport report = driver(Wals.DURABLE, WORKLOAD).harsh(seed * 1000).run();
            System.out.println("step5 harsh seed " + seed + ": " + report.summary());
            assertOnlyIntact(report);
        }
    }

    @Test
    void aCrashAtEveryIoCallOfAutomaticCheckpointsKeepsThePromise() {
        CrashReport gentle = driver(Wals.TINY, WORKLOAD).run();
        CrashReport harsh = driver(Wals.TINY, WORKLOAD).harsh(77).run();
        System.out.println("step5 tiny gentle: " + gentle.summary() + "\nstep5 tiny harsh: " + harsh.summary());
        assertOnlyIntact(gentle);
        assertOnlyIntact(harsh);
    }

    @Test
    void aCrashWhileALogGrowsAheadOfItsFramesOrIsOverwrittenInPlaceKeepsThePromise() {
        CrashReport gentle = driver(Wals.RECYCLED, OVERWRITES).run();
        CrashReport harsh = driver(Wals.RECYCLED, OVERWRITES).harsh(27).run();
        System.out.println("step5 recycled gentle: " + gentle.summary() + "\nstep5 recycled harsh: " + harsh.summary());
        assertOnlyIntact(gentle);
        assertOnlyIntact(harsh);
    }

    @Test
    void aRandomWorkloadWithTransactionsAndCheckpointsKeepsThePromise() {
        List<Op> workload = Workloads.random(40, 5, Wals.storeSpecificOps());
        CrashReport report = driver(Wals.TINY, workload).harsh(5).sample(150, 5).run();
        System.out.println("step5 random: " + report.summary());
        report.assertPromiseKept();
        assertThat(report.counts().keySet()).containsOnly(CrashOutcome.INTACT);
    }

    @Test
    void aCrashDuringRecoveryThenRecoveryGivesTheStateOfACleanRecovery() {
        RecoveryCrashes result = crashDuringEveryRecoveryCall(WORKLOAD, Wals.TINY, null, 1);
        System.out.println("step5 crash during recovery: " + result);
        assertThat(result.recoveriesCrashed).isGreaterThan(0);
        assertThat(result.problems).isEmpty();
    }

    @Test
    void aHarshCrashDuringRecoveryThenRecoveryGivesTheStateOfACleanRecovery() {
        RecoveryCrashes result = crashDuringEveryRecoveryCall(WORKLOAD, Wals.TINY, 99L, 2);
        System.out.println("step5 harsh crash during recovery: " + result);
        assertThat(result.recoveriesCrashed).isGreaterThan(0);
        assertThat(result.problems).isEmpty();
    }

    /**
     * The judge of a recovery that must survive its own crash: after every crash point, a crash at
     * every I/O call of the recovery, then recovery again, judged against what was acknowledged
     * (the tests below compare with a clean recovery instead, which is only as right as it is).
     */
    @Test
    void aCrashDuringTheRecoveryAfterEveryCrashPointStillKeepsEveryCommittedTransactionAndNoOther() {
        CrashReport gentle = driver(Wals.TINY, WORKLOAD).crashDuringRecovery().run();
        CrashReport harsh = driver(Wals.TINY, WORKLOAD).harsh(3).crashDuringRecovery().run();
        System.out.println("step5 crash during recovery, gentle: " + gentle.summary() + "\nharsh: " + harsh.summary());
        assertOnlyIntact(gentle);
        assertOnlyIntact(harsh);
    }

    @Tag("slow")
    @Test
    void exhaustiveRandomWorkloadsUnderHarshCrashes() {
        for (long seed = 10; seed < 16; seed++) {
            List<Op> workload = Workloads.random(50, seed, Wals.storeSpecificOps());
            for (StoreOpener opener : List.of(Wals.DURABLE, Wals.TINY)) {
                CrashReport report = driver(opener, workload).harsh(seed).run();
                System.out.println("step5 slow seed " + seed + ": " + report.summary());
                assertOnlyIntact(report);
            }
        }
    }

    @Tag("slow")
    @Test
    void everyRecoveryCallOfEveryCrashPointUnderHarshCrashes() {
        RecoveryCrashes result = crashDuringEveryRecoveryCall(WORKLOAD, Wals.TINY, 7L, 1);
        System.out.println("step5 slow crash during recovery: " + result);
        assertThat(result.problems).isEmpty();
    }

    // ---- crash during recovery ---------------------------------------------------------------

    /** What the double-crash runs found. */
    record RecoveryCrashes(int firstCrashes, int recoveriesCrashed, List<String> problems) {
        @Override
        public String toString() {
            return firstCrashes + " first crashes, " + recoveriesCrashed + " recoveries crashed at each of their I/O calls, "
                    + problems.size() + " problems";
        }
    }

    /**
     * For every {@code stride}-th crash point of {@code workload}: crash there; note the state a
     * clean recovery gives; then, for every mutating call k of that recovery, crash the recovery
     * at call k and recover again: the state must be the clean recovery's, and the checker clean.
     */
    static RecoveryCrashes crashDuringEveryRecoveryCall(List<Op> workload, StoreOpener opener, Long harshSeed, int stride) {
        int total = countMutations(workload, opener);
        List<String> problems = new ArrayList<>();
        int first = 0;
        int second = 0;
        for (int p = 1; p <= total; p += stride) {
            Map<Path, byte[]> afterCrash = crashAt(workload, opener, p, harshSeed);
            first++;
            CrashSimVfs clean = copy(afterCrash, null);
            clean.resetCounters();
            NavigableMap<byte[], byte[]> expected;
            try (KeyValueStore store = opener.open(clean, CrashPointDriver.HOME)) {
                expected = History.readAll(store);
            }
            CrashSimVfs counting = copy(afterCrash, null);
            counting.resetCounters();
            opener.open(counting, CrashPointDriver.HOME); // left open: only the recovery's calls count
            long recoveryCalls = counting.mutations();
            for (long k = 1; k <= recoveryCalls; k++) {
                second++;
                String problem = crashRecoveryAt(afterCrash, opener, k, harshSeed == null ? null : harshSeed + p * 31 + k, expected);
                if (problem != null) {
                    problems.add("crash point " + p + ", recovery call " + k + " (" + counting.mutationLog().get((int) k - 1)
                            + "): " + problem);
                }
            }
        }
        return new RecoveryCrashes(first, second, problems);
    }

    private static String crashRecoveryAt(Map<Path, byte[]> disk, StoreOpener opener, long k, Long seed,
                                          NavigableMap<byte[], byte[]> expected) {
        CrashSimVfs vfs = copy(disk, seed);
        vfs.resetCounters();
        vfs.crashAtOperation(k);
        try {
            opener.open(vfs, CrashPointDriver.HOME);
            return "the recovery finished without reaching its crash point";
        } catch (SimulatedCrash expectedCrash) {
            vfs.crash();
        }
        NavigableMap<byte[], byte[]> seen;
        try (KeyValueStore store = opener.open(vfs, CrashPointDriver.HOME)) {
            seen = History.readAll(store);
        } catch (RuntimeException e) {
            return "the second recovery threw " + e;
        }
        if (!History.same(expected, seen)) {
            return "state differs from a clean recovery: " + History.describeDifference(expected, seen);
        }
        List<String> checker = Wals.VERIFY.problems(vfs, CrashPointDriver.HOME);
        return checker.isEmpty() ? null : "checker: " + checker;
    }

    private static int countMutations(List<Op> workload, StoreOpener opener) {
        CrashSimVfs vfs = copy(Map.of(), null);
        runWorkload(vfs, workload, opener);
        return (int) vfs.mutations();
    }

    private static Map<Path, byte[]> crashAt(List<Op> workload, StoreOpener opener, long point, Long harshSeed) {
        CrashSimVfs vfs = copy(Map.of(), harshSeed == null ? null : harshSeed + point);
        vfs.crashAtOperation(point);
        try {
            runWorkload(vfs, workload, opener);
        } catch (SimulatedCrash expected) {
            vfs.crash();
        }
        return vfs.files();
    }

    private static void runWorkload(CrashSimVfs vfs, List<Op> workload, StoreOpener opener) {
        KeyValueStore store = opener.open(vfs, CrashPointDriver.HOME);
        for (Op op : workload) {
            op.applyTo(store);
            if (op instanceof Op.Reopen) {
                store = opener.open(vfs, CrashPointDriver.HOME);
            }
        }
        store.close();
    }

    private static CrashSimVfs copy(Map<Path, byte[]> files, Long harshSeed) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(CrashPointDriver.HOME);
        files.forEach(vfs::putDurableFile);
        if (harshSeed != null) {
            vfs.harsh(harshSeed);
        }
        return vfs;
    }
}
