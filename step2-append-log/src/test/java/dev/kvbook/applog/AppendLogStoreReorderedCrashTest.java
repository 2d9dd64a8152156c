package dev.kvbook.applog;

import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AppendLogStoreCrashTest's workloads under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. The step2 store's directory operations
 * are compaction's rename of the compacted log over the old one; its promise must hold on a file system that does not journal them in order. A few
 * seeds by default; more, over random workloads, with {@code -Pslow}.
 */
class AppendLogStoreReorderedCrashTest {

    @Test
    void aCrashAtEveryIoCallKeepsThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = new CrashPointDriver(AppendLogStoreCrashTest.DURABLE).workload(AppendLogStoreCrashTest.WORKLOAD)
                    .checker(AppendLogStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step2 reordered seed " + seed + ": " + report.summary());
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashStillKeepsThePromiseWhenDirectoryOperationsReorder() {
        CrashReport report = new CrashPointDriver(AppendLogStoreCrashTest.SYNC_ONLY).durableOnEveryWrite(false)
                .workload(AppendLogStoreCrashTest.WORKLOAD).checker(AppendLogStoreCrashTest.VERIFY).harshReordered(9).run().assertPromiseKept();
        System.out.println("step2 sync-only reordered: " + report.summary());
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 6; seed++) {
            CrashReport report = new CrashPointDriver(AppendLogStoreCrashTest.DURABLE).workload(AppendLogStoreCrashTest.randomWorkload(100, seed))
                    .checker(AppendLogStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step2 slow reordered seed " + seed + ": " + report.summary());
        }
    }
}
