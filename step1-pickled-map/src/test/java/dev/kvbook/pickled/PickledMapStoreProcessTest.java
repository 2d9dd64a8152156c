package dev.kvbook.pickled;

import dev.kvbook.api.StoreLockedException;
import dev.kvbook.testkit.process.ProcessKillHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes: a writer killed with SIGKILL loses no acknowledged write, and a second process cannot open the store. */
class PickledMapStoreProcessTest {

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLosesNoAcknowledgedWrite() {
        ProcessKillHarness.Report report = new ProcessKillHarness("step1", dir.resolve("kill.db"))
                .kills(5).maxAcksBeforeKill(60).seed(1).run().assertNothingLost();
        assertThat(report.rounds()).isEqualTo(5);
        System.out.println("step1 process kill: " + report.rounds() + " kills, " + report.acknowledged() + " acknowledged writes, none lost");
    }

    @Test
    void aSecondProcessCannotOpenTheStoreAndTheLockDiesWithTheHolder() {
        StoreLockedException refused = new ProcessKillHarness("step1", dir.resolve("locked.db")).secondProcessOpenFailsFast();
        assertThat(refused.lockFile().toString()).endsWith("locked.db.lock");
    }

    @Tag("slow")
    @Test
    void aHundredKillsLoseNoAcknowledgedWrite() {
        new ProcessKillHarness("step1", dir.resolve("kill100.db")).kills(100).maxAcksBeforeKill(40).seed(100)
                .run().assertNothingLost();
    }
}
