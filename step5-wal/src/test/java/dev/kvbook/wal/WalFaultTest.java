package dev.kvbook.wal;

import dev.kvbook.testkit.crash.FaultDriver;
import dev.kvbook.testkit.crash.FaultReport;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An I/O error, or a full disk, at every call of a workload with transactions, checkpoints and
 * a reopen: the call throws an I/O or store-failed exception, the store stays usable or fails
 * closed, and reopening recovers the state before or after the failed operation. No refusal is
 * declared: step 5 always recovers.
 */
class WalFaultTest {

    private static FaultReport run(FaultyVfs.Mode mode, dev.kvbook.testkit.StoreOpener opener) {
        return new FaultDriver(opener).workload(WalCrashTest.WORKLOAD).mode(mode).durableOnEveryWrite(true)
                .checker(Wals.VERIFY).run();
    }

    @Test
    void anIoErrorAtAnyCallIsReportedAndRecoveredFrom() {
        FaultReport report = run(FaultyVfs.Mode.FAIL_ONCE, Wals.DURABLE);
        System.out.println("step5 fail once: " + report.summary());
        report.assertAllHandled();
        assertThat(report.cases()).hasSize((int) report.ioCallsInWorkload());
    }

    @Test
    void aFullDiskAtAnyCallIsReportedAndRecoveredFrom() {
        FaultReport report = run(FaultyVfs.Mode.DISK_FULL, Wals.DURABLE);
        System.out.println("step5 disk full: " + report.summary());
        report.assertAllHandled();
    }

    @Test
    void faultsDuringAutomaticCheckpointsAreRecoveredFrom() {
        FaultReport once = run(FaultyVfs.Mode.FAIL_ONCE, Wals.TINY);
        FaultReport full = run(FaultyVfs.Mode.DISK_FULL, Wals.TINY);
        System.out.println("step5 tiny fail once: " + once.summary() + "\nstep5 tiny disk full: " + full.summary());
        once.assertAllHandled();
        full.assertAllHandled();
    }
}
