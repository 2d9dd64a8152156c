package dev.kvbook.wal;

import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash tests test themselves: {@link WalCrashTest}'s workload and driver, run against a
 * store whose log fsyncs are silently dropped ({@link SkipsWalFsyncVfs}), must report broken
 * promises. Without this, a green {@code WalCrashTest} could mean the harness never looked.
 */
class WalCrashSelfTest {

    /** The defaults ({@link Wals#DURABLE}), on a file system that drops (or, as a control, keeps) the log's fsyncs. */
    private static StoreOpener opener(boolean skipWalFsync) {
        return (vfs, home) -> WalStore.open(home.resolve(Wals.FILE),
                WalStore.Options.defaults().withVfs(new SkipsWalFsyncVfs(vfs, skipWalFsync)));
    }

    private static CrashReport run(StoreOpener opener) {
        return new CrashPointDriver(opener).workload(WalCrashTest.WORKLOAD).durableOnEveryWrite(true)
                .checker(Wals.VERIFY).run();
    }

    /*
     * Dropping the log's fsyncs alone is enough to be caught, and nothing covers for it: the
     * simulated disk makes durable only what was fsynced, file by file (an fsync of the data file
     * makes none of the log durable). What does cover for it, in part, is the checkpoint: it
     * copies the committed pages into the data file and fsyncs *that* file, so once a checkpoint
     * (on demand, or on close) has written its header, the commits before it survive without the
     * log. The failures are therefore the crash points after an acknowledged commit and before the
     * next checkpoint's header: LOST_ACKNOWLEDGED_WRITE when the recovered state is an older one,
     * WRONG_DATA when a crash mid-checkpoint leaves new pages under an old header (size() and the
     * iterator disagree). On WalCrashTest.WORKLOAD that is 23 of 49 points: 19 lost, 4 wrong.
     */
    @Test
    void aWalThatSkipsItsFsyncIsCaughtLosingCommits() {
        CrashReport report = run(opener(true));
        System.out.println("step5 self-test, log fsyncs dropped: " + report.summary());
        assertThat(report.failures()).as(report.summary()).isNotEmpty();
        assertThat(report.failures()).as(report.summary()).allMatch(p -> p.outcome() == CrashOutcome.LOST_ACKNOWLEDGED_WRITE
                || p.outcome() == CrashOutcome.WRONG_DATA);
        assertThat(report.counts()).as(report.summary()).containsKey(CrashOutcome.LOST_ACKNOWLEDGED_WRITE);
    }

    @Test
    void theSameWrapperKeepingTheFsyncsKeepsThePromise() {
        CrashReport report = run(opener(false));
        report.assertPromiseKept();
        assertThat(report.counts().keySet()).as(report.summary()).containsOnly(CrashOutcome.INTACT);
    }
}
