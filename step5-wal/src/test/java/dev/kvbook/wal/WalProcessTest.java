package dev.kvbook.wal;

import dev.kvbook.api.StoreLockedException;
import dev.kvbook.testkit.process.ProcessKillHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real child JVMs committing to the store, killed with SIGKILL at random moments: after each
 * kill every acknowledged commit is there and nothing beyond the one in flight. And the lock
 * between processes.
 */
class WalProcessTest {

    @TempDir
    Path home;

    @Test
    void everyAcknowledgedCommitSurvivesAKilledProcess() {
        ProcessKillHarness.Report report = new ProcessKillHarness(WalStoreProvider.NAME, home.resolve(Wals.FILE))
                .kills(5).run();
        System.out.println("step5 kills: " + report.rounds() + " kills, " + report.acknowledged() + " acknowledged commits");
        report.assertNothingLost();
        assertThat(report.acknowledged()).isPositive();
    }

    @Tag("slow")
    @Test
    void aHundredKillsOfACommittingChildLoseNothing() {
        ProcessKillHarness.Report report = new ProcessKillHarness(WalStoreProvider.NAME, home.resolve(Wals.FILE))
                .kills(100).seed(2026).run();
        System.out.println("step5 100 kills: " + report.rounds() + " kills, " + report.acknowledged() + " acknowledged commits");
        report.assertNothingLost();
    }

    @Test
    void aSecondProcessOpenFailsFast() {
        StoreLockedException refused = new ProcessKillHarness(WalStoreProvider.NAME, home.resolve(Wals.FILE))
                .secondProcessOpenFailsFast();
        assertThat(refused.lockFile().getFileName().toString()).isEqualTo(Wals.FILE + ".lock");
    }
}
