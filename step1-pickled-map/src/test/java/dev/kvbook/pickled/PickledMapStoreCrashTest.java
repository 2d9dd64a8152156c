package dev.kvbook.pickled;

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
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 1's crash promise, checked at every I/O call: after a crash the file holds exactly the
 * old map or the new one, never a mix, and the store always opens. Also I/O errors at every
 * call and a corruption sweep over every byte of the file. These judge any design of the atomic
 * replace, so they are the build lab {@code step1.build-replace}'s tests.
 */
@Tag("lab:step1.build-replace")
class PickledMapStoreCrashTest {

    static final StoreOpener DURABLE = (vfs, home) -> open(vfs, home, true);
    static final StoreOpener SYNC_ONLY = (vfs, home) -> open(vfs, home, false);
    static final StoreChecker VERIFY = (vfs, home) -> new PickledStoreProvider().verify(home.resolve("map.db"), vfs).problems();

    static KeyValueStore open(Vfs vfs, Path home, boolean syncEveryWrite) {
        return PickledMapStore.open(home.resolve("map.db"),
                PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(syncEveryWrite));
    }

    /** Puts, an overwrite, deletes, a batch, a sync and a reopen: every kind of write step 1 does. */
    static final List<Op> WORKLOAD = List.of(
            Op.put("apple", "red"), Op.put("banana", "yellow"), Op.put("apple", "green"),
            Op.delete("banana"), PickledMapStoreContractTest.batchOp(), Op.sync(), Op.reopen(),
            Op.put("cherry", "dark red"), Op.delete("apple"), Op.put("", ""));

    @Test
    void aCrashAtEveryIoCallLeavesTheOldMapOrTheNew() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertPromiseKept();
        assertThat(report.points()).hasSize((int) report.ioCallsInWorkload());
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println("step1 durable: " + report.summary());
    }

    @Test
    void harshCrashesThatTearUnsyncedSectorsStillLeaveTheOldMapOrTheNew() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = new CrashPointDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).harsh(seed).run().assertPromiseKept();
            System.out.println("step1 harsh seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashLosesAtMostTheWritesSinceTheLastSync() {
        CrashReport report = new CrashPointDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD)
                .checker(VERIFY).run().assertPromiseKept();
        System.out.println("step1 sync-only: " + report.summary());
    }

    @Test
    void aLargerRandomWorkloadKeepsThePromiseAtSampledCrashPoints() {
        CrashReport report = new CrashPointDriver(DURABLE).workload(randomWorkload(60, 7)).checker(VERIFY)
                .sample(150, 11).harsh(3).run().assertPromiseKept();
        System.out.println("step1 random sampled: " + report.summary());
    }

    @Test
    void anIoErrorAtEveryCallFailsTheCallAndLosesNothingAcknowledged() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).checker(VERIFY).run().assertAllHandled();
        System.out.println("step1 faults: " + report.summary());
    }

    @Test
    void aDiskThatFillsUpAtAnyCallFailsCleanly() {
        FaultReport report = new FaultDriver(DURABLE).workload(WORKLOAD).mode(FaultyVfs.Mode.DISK_FULL)
                .checker(VERIFY).run().assertAllHandled();
        System.out.println("step1 disk full: " + report.summary());
    }

    @Test
    void anIoErrorInSyncOnlyModeKeepsTheStateBeforeOrAfter() {
        new FaultDriver(SYNC_ONLY).durableOnEveryWrite(false).workload(WORKLOAD).checker(VERIFY).run().assertAllHandled();
    }

    @Test
    void everyFlippedOrTruncatedByteIsDetectedNeverReturnedAsData() {
        CorruptionReport report = new CorruptionSweep(DURABLE).workload(WORKLOAD.subList(0, 5)).checker(VERIFY)
                .run().assertNoWrongData();
        // A pickled map has no tail to lose: every damaged copy must be detected.
        assertThat(report.counts()).containsOnlyKeys(CorruptionReport.Outcome.DETECTED);
        System.out.println("step1 corruption: " + report.summary());
    }

    @Tag("slow")
    @Test
    void aLongRandomWorkloadKeepsThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 5; seed++) {
            new CrashPointDriver(DURABLE).workload(randomWorkload(150, seed)).checker(VERIFY).harsh(seed).run().assertPromiseKept();
        }
    }

    static List<Op> randomWorkload(int length, long seed) {
        return Workloads.random(length, seed, List.of(PickledMapStoreContractTest.batchOp()));
    }
}
