package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.CorruptionReport;
import dev.kvbook.testkit.crash.CorruptionSweep;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every byte of the data file and of the log flipped, and every shorter length: the store
 * returns the right data, an earlier committed state (a damaged or cut last commit looks exactly
 * like a torn tail), or throws {@code CorruptionException}; never wrong data, and the checker
 * agrees with open.
 */
@Tag("lab:step5.build-recovery")
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

    /**
     * The sweep above accepts any earlier state after log damage, so it cannot tell "lost the
     * last commit" (a torn tail) from "lost every commit after the damaged one". This pins the
     * difference: frame 2 rots at rest after frame 3 recorded that frames 1 to 2 were durable, so
     * cutting the log at frame 1 would silently drop two acknowledged commits. Open must refuse.
     * (Found by appendix B's exercise 5.2: without {@code Recovery.checkNothingDurableBeyond},
     * every other step-5 test still passed.)
     */
    @Test
    void aFrameDamagedAtRestBeforeALaterSyncedFrameIsReportedNotCutAwayAsATornTail(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("three.db");
        WalStore.Options keepLog = WalStore.Options.defaults().withCheckpointOnClose(false);
        try (WalStore store = WalStore.open(file, keepLog)) {
            store.put(Keys.utf8("a"), Keys.utf8("1")); // commit 1: frame 1, the root leaf
            store.put(Keys.utf8("b"), Keys.utf8("2")); // commit 2: frame 2
            store.put(Keys.utf8("c"), Keys.utf8("3")); // commit 3: frame 3, which records frames 1-2 as durable
        }
        Path log = WalStore.walPath(file);
        byte[] bytes = Files.readAllBytes(log);
        int pageSize = 4096;
        assertThat(bytes.length).as("three one-frame commits, and a frame of zeros the log grew by ahead of them")
                .isEqualTo(WalFormat.frameOffset(5, pageSize));
        int inFrameTwosPage = (int) WalFormat.frameOffset(2, pageSize) + WalFormat.FRAME_HEADER_SIZE + 4000;
        bytes[inFrameTwosPage] ^= 1; // one bit of frame 2's page image flips at rest
        Files.write(log, bytes);
        assertThatThrownBy(() -> WalStore.open(file, keepLog).close()).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("durable");
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
