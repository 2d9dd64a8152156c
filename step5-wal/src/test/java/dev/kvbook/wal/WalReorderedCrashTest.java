package dev.kvbook.wal;

import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.Workloads;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WalCrashTest's workload under reordered harsh crashes
 * ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}): unsynced creates, renames and
 * deletes may survive in any order, not only as a prefix. Step 5's directory operations are the
 * creation of the data file (through {@code <file>.new} and a rename) and of the log, and the
 * log's deletion on close. Only INTACT outcomes, as under harsh crashes. A few seeds by default;
 * more, over random workloads, with {@code -Pslow}.
 */
@Tag("lab:step5.build-recovery")
class WalReorderedCrashTest {

    private static CrashReport run(StoreOpener opener, List<dev.kvbook.testkit.Op> workload, long seed) {
        CrashReport report = new CrashPointDriver(opener).workload(workload).durableOnEveryWrite(true).checker(Wals.VERIFY)
                .harshReordered(seed).run();
        report.assertPromiseKept();
        assertThat(report.counts().keySet()).as(report.summary()).containsOnly(CrashOutcome.INTACT);
        return report;
    }

    @Test
    void aCrashAtEveryIoCallKeepsEveryCommitWhenDirectoryOperationsReorder() {
        for (long seed = 1; seed <= 2; seed++) {
            System.out.println("step5 reordered seed " + seed + ": " + run(Wals.DURABLE, WalCrashTest.WORKLOAD, seed * 1000).summary());
        }
        System.out.println("step5 tiny reordered: " + run(Wals.TINY, WalCrashTest.WORKLOAD, 77).summary());
        System.out.println("step5 recycled reordered: " + run(Wals.RECYCLED, WalCrashTest.OVERWRITES, 27).summary());
    }

    @Tag("slow")
    @Test
    void randomWorkloadsKeepEveryCommitWhenDirectoryOperationsReorder() {
        for (long seed = 10; seed < 14; seed++) {
            run(Wals.TINY, Workloads.random(50, seed, Wals.storeSpecificOps()), seed);
        }
    }
}
