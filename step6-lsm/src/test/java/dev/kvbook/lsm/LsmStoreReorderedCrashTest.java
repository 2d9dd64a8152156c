package dev.kvbook.lsm;

import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LsmStoreCrashTest's workloads under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. The step6 store's directory operations
 * are flushes and compactions that create tables, rename the manifest into place and delete old tables and logs; its promise must hold on a file system that does not journal them in order. A few
 * seeds by default; more, over random workloads, with {@code -Pslow}.
 */
class LsmStoreReorderedCrashTest {

    @Test
    void aCrashAtEveryIoCallKeepsThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = new CrashPointDriver(LsmStoreCrashTest.DURABLE).workload(LsmStoreCrashTest.WORKLOAD)
                    .checker(LsmStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step6 reordered seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashStillKeepsThePromiseWhenDirectoryOperationsReorder() {
        CrashReport report = new CrashPointDriver(LsmStoreCrashTest.SYNC_ONLY).durableOnEveryWrite(false)
                .workload(LsmStoreCrashTest.WORKLOAD).checker(LsmStoreCrashTest.VERIFY).harshReordered(9).run().assertPromiseKept();
        System.out.println("step6 sync-only reordered: " + report.summary());
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepThePromiseWhenDirectoryOperationsReorder() {
        // Three seeds of 60 operations: the LSM store's flushes and compactions make each run
        // thousands of crash points (six seeds of 100 took twelve minutes on two busy cores).
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = new CrashPointDriver(LsmStoreCrashTest.DURABLE).workload(LsmStoreCrashTest.randomWorkload(60, seed))
                    .checker(LsmStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step6 slow reordered seed " + seed + ": " + report.summary());
        }
    }
}
