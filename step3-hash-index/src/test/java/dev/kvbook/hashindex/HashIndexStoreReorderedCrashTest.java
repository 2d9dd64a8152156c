package dev.kvbook.hashindex;

import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HashIndexStoreCrashTest's workloads under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. The step3 store's directory operations
 * are segment roll-overs, and merges that create merged segments and hint files, rename them into place and delete the old segments; its promise must hold on a file system that does not journal them in order. A few
 * seeds by default; more, over random workloads, with {@code -Pslow}.
 */
class HashIndexStoreReorderedCrashTest {

    @Tag("lab:step3.build-reorder-crash")
    @Test
    void aCrashAtEveryIoCallKeepsThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = new CrashPointDriver(HashIndexStoreCrashTest.DURABLE).workload(HashIndexStoreCrashTest.WORKLOAD)
                    .checker(HashIndexStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step3 reordered seed " + seed + ": " + report.summary());
        }
    }

    @Tag("lab:step3.build-reorder-crash")
    @Test
    void whenDurableOnlyAtSyncACrashStillKeepsThePromiseWhenDirectoryOperationsReorder() {
        CrashReport report = new CrashPointDriver(HashIndexStoreCrashTest.SYNC_ONLY).durableOnEveryWrite(false)
                .workload(HashIndexStoreCrashTest.WORKLOAD).checker(HashIndexStoreCrashTest.VERIFY).harshReordered(9).run().assertPromiseKept();
        System.out.println("step3 sync-only reordered: " + report.summary());
    }

    @Tag("lab:step3.build-reorder-crash")
    @Test
    void backgroundMergesOnTheWritersThreadKeepThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = new CrashPointDriver(HashIndexStoreCrashTest.BACKGROUND_ON_THE_WRITER)
                    .workload(HashIndexStoreCrashTest.GARBAGE_WORKLOAD).checker(HashIndexStoreCrashTest.VERIFY)
                    .harshReordered(seed).run().assertPromiseKept();
            System.out.println("step3 background merge, reordered seed " + seed + ": " + report.summary());
        }
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 6; seed++) {
            CrashReport report = new CrashPointDriver(HashIndexStoreCrashTest.DURABLE).workload(HashIndexStoreCrashTest.randomWorkload(100, seed))
                    .checker(HashIndexStoreCrashTest.VERIFY).harshReordered(seed).run().assertPromiseKept();
            System.out.println("step3 slow reordered seed " + seed + ": " + report.summary());
        }
    }
}
