package dev.kvbook.btree;

import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * BTreeCrashTest's workloads under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. Step 4's only directory operation is
 * the creation of its one file, made durable before anything is acknowledged; the promise (or
 * the "not closed cleanly" refusal) must hold as under harsh crashes. A few seeds by default;
 * more, over random workloads, with {@code -Pslow}.
 */
class BTreeReorderedCrashTest {

    @Test
    void aCrashAtEveryIoCallKeepsThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            CrashReport report = BTreeCrashTest.driver(Trees.DURABLE).workload(BTreeCrashTest.WORKLOAD).harshReordered(seed).run();
            System.out.println("step4 reordered seed " + seed + ": " + report.summary());
            report.assertPromiseKept();
        }
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepThePromiseWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 3; seed++) {
            BTreeCrashTest.driver(Trees.DURABLE).workload(BTreeCrashTest.randomWorkload(120, seed)).harshReordered(seed).run()
                    .assertPromiseKept();
        }
    }
}
