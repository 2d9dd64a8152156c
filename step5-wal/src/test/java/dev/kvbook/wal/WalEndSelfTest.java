package dev.kvbook.wal;

import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash tests can tell where an overwritten log ends (issue #27). Since a checkpoint keeps
 * the log's file and new frames overwrite the old ones, and a new log grows ahead of its frames
 * by writing zeros, the end of the log is no longer the end of the file (WalFormat, "Where the
 * log ends"). These tests plant the two mistakes that invites, through {@link MisreadsLogEndVfs},
 * and require {@link WalCrashTest}'s workload and driver to report broken promises for each: a
 * green crash suite then means recovery really does tell the end of its log from an older
 * generation's frames and from preallocated zeros.
 */
class WalEndSelfTest {

    /** {@code base}'s options, over a file system whose reads of the log make {@code flaw}. */
    private static StoreOpener opener(MisreadsLogEndVfs.Flaw flaw, long checkpointWalBytes) {
        return (vfs, home) -> WalStore.open(home.resolve(Wals.FILE), WalStore.Options.defaults()
                .withVfs(new MisreadsLogEndVfs(vfs, flaw)).withCheckpointWalBytes(checkpointWalBytes));
    }

    private static CrashReport run(StoreOpener opener, Long harshSeed) {
        CrashPointDriver driver = new CrashPointDriver(opener).workload(WalCrashTest.WORKLOAD).durableOnEveryWrite(true)
                .checker(Wals.VERIFY);
        return (harshSeed == null ? driver : driver.harsh(harshSeed)).run();
    }

    /** Two frames and a checkpoint: the log is restarted and overwritten inside the workload. */
    private static final long RECYCLED = 2L * (4096 + 60);
    /** The default threshold: a log that grows ahead of its frames and is never restarted but on demand. */
    private static final long PREALLOCATED = WalStore.Options.defaults().checkpointWalBytes();

    @Test
    void aRecoveryThatTakesAnOlderGenerationsFramesForItsOwnIsCaught() {
        for (Long seed : new Long[] {null, 11L}) {
            CrashReport report = run(opener(MisreadsLogEndVfs.Flaw.OLD_FRAMES_AS_CURRENT, RECYCLED), seed);
            System.out.println("step5 self-test, old frames replayed (harsh " + seed + "): " + report.summary());
            assertThat(report.failures()).as(report.summary()).isNotEmpty();
        }
    }

    @Test
    void aRecoveryThatTakesPreallocatedZerosForACommitIsCaught() {
        for (Long seed : new Long[] {null, 11L}) {
            CrashReport report = run(opener(MisreadsLogEndVfs.Flaw.ZEROS_AS_A_COMMIT, PREALLOCATED), seed);
            System.out.println("step5 self-test, zeros taken for a commit (harsh " + seed + "): " + report.summary());
            assertThat(report.failures()).as(report.summary()).isNotEmpty();
        }
    }

    @Test
    void theSameWrapperWithoutAFlawKeepsThePromise() {
        for (long threshold : List.of(RECYCLED, PREALLOCATED)) {
            CrashReport report = run(opener(MisreadsLogEndVfs.Flaw.NONE, threshold), 11L);
            report.assertPromiseKept();
            assertThat(report.counts().keySet()).as(report.summary()).containsOnly(CrashOutcome.INTACT);
        }
    }
}
