package dev.kvbook.wal;

import dev.kvbook.api.Keys;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.CorruptionReport;
import dev.kvbook.testkit.crash.CorruptionSweep;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every byte of the data file and of the log flipped, and every shorter length: the store
 * returns the right data, an earlier committed state (a damaged or cut last commit looks exactly
 * like a torn tail), or throws {@code CorruptionException}; never wrong data, and the checker
 * agrees with open.
 */
class WalCorruptionTest {

    /** The log is kept on close, so the sweep has a log to damage. */
    static final StoreOpener KEEP_LOG = (vfs, home) -> WalStore.open(home.resolve(Wals.FILE),
            WalStore.Options.defaults().withVfs(vfs).withCheckpointOnClose(false));

    static final List<Op> SMALL = List.of(Op.put("apple", "red"), Op.put("kiwi", "green"),
            Wals.transaction("fig", "plum", "apple", "tx"), Op.put("kiwi", "brown"));

    @Test
    void aDamagedDataFileAtRestIsDetectedNeverMisread() {
        CorruptionReport report = new CorruptionSweep(Wals.DURABLE).workload(SMALL).checker(Wals.VERIFY)
                .tailLossAllowed(false).timeoutPerCase(Duration.ofSeconds(10)).run();
        System.out.println("step5 data file at rest: " + report.summary());
        report.assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
    }

    @Test
    void aDamagedLogIsDetectedOrLosesOnlyItsLastCommitNeverMisread() {
        CorruptionReport report = new CorruptionSweep(KEEP_LOG).workload(SMALL).checker(Wals.VERIFY)
                .files(p -> p.getFileName().toString().endsWith("-wal"))
                .tailLossAllowed(true).timeoutPerCase(Duration.ofSeconds(10)).run();
        System.out.println("step5 log: " + report.summary());
        report.assertNoWrongData();
        // Damage in a commit that a later commit follows is corruption, not a torn tail.
        assertThat(report.cases()).anyMatch(c -> c.outcome() == CorruptionReport.Outcome.DETECTED
                && c.damage().startsWith("flip byte") && c.detail().contains("durable"));
    }

    @Test
    void theDataFileBesideALiveLogIsDetectedOrShadowedByTheLog() {
        CorruptionReport report = new CorruptionSweep(KEEP_LOG).workload(List.of(Op.put("a", "1"), Wals.checkpoint(),
                        new Op.Put(Keys.utf8("b"), new byte[5000]), Op.put("c", "3"))).checker(Wals.VERIFY)
                .files(p -> p.getFileName().toString().equals(Wals.FILE))
                .tailLossAllowed(false).timeoutPerCase(Duration.ofSeconds(10)).run();
        System.out.println("step5 data file beside a log: " + report.summary());
        report.assertNoWrongData();
    }
}
