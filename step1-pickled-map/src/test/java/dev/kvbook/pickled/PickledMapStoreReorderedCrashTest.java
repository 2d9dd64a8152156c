package dev.kvbook.pickled;

import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PickledMapStoreCrashTest's workloads under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. The step1 store's directory operations
 * are its one rename of the temp file over the map file; its promise must hold on a file system that does not journal them in order. A few
 * seeds by default; more, over random workloads, with {@code -Pslow}.
 */
class PickledMapStoreReorderedCrashTest {

    @Test
    void aCrashAtEveryIoCallKeepsThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = new CrashPointDriver(PickledMapStoreCrashTest.DURABLE).workload(PickledMapStoreCrashTest.WORKLOAD)
                    .checker(PickledMapStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step1 reordered seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashStillKeepsThePromiseWhenDirectoryOperationsReorder() {
        CrashReport report = new CrashPointDriver(PickledMapStoreCrashTest.SYNC_ONLY).durableOnEveryWrite(false)
                .workload(PickledMapStoreCrashTest.WORKLOAD).checker(PickledMapStoreCrashTest.VERIFY).harshReordered(9).run().assertPromiseKept();
        System.out.println("step1 sync-only reordered: " + report.summary());
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 6; seed++) {
            CrashReport report = new CrashPointDriver(PickledMapStoreCrashTest.DURABLE).workload(PickledMapStoreCrashTest.randomWorkload(100, seed))
                    .checker(PickledMapStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step1 slow reordered seed " + seed + ": " + report.summary());
        }
    }
}
