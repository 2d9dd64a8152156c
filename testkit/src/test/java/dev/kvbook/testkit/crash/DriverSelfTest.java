package dev.kvbook.testkit.crash;

import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.ToyStores;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The harness tests itself: a correct store passes every driver, and a store with one
 * deliberate flaw fails the driver that should catch it. Without these, a green crash test
 * could mean nothing.
 */
class DriverSelfTest {

    private static final List<Op> WORKLOAD = List.of(
            Op.put("a", "1"), Op.put("b", "2"), Op.put("a", "3"), Op.delete("b"), Op.sync(),
            Op.reopen(), Op.put("c", "4"));

    @Test
    void aCorrectStoreKeepsItsPromiseAtEveryCrashPoint() {
        CrashReport report = new CrashPointDriver(ToyStores.correct()).workload(WORKLOAD).run().assertPromiseKept();
        assertThat(report.points()).hasSize((int) report.ioCallsInWorkload());
        assertThat(report.ioCallsInWorkload()).isGreaterThan(20);
    }

    @Test
    void aCorrectStoreKeepsItsPromiseUnderHarshCrashes() {
        new CrashPointDriver(ToyStores.correct()).workload(WORKLOAD).harsh(1).run().assertPromiseKept();
    }

    @Test
    void aStoreThatSkipsTheFileSyncIsCaught() {
        CrashReport report = new CrashPointDriver(ToyStores.flawed(ToyStores.Flaw.SKIPS_FILE_SYNC)).workload(WORKLOAD).run();
        assertThat(report.failures()).isNotEmpty();
        assertThatThrownBy(report::assertPromiseKept).isInstanceOf(AssertionError.class).hasMessageContaining("PROMISE BROKEN");
    }

    @Test
    void aStoreThatSkipsTheDirectorySyncIsCaught() {
        CrashReport report = new CrashPointDriver(ToyStores.flawed(ToyStores.Flaw.SKIPS_DIRECTORY_SYNC)).workload(WORKLOAD).run();
        assertThat(report.counts()).containsKey(CrashOutcome.LOST_ACKNOWLEDGED_WRITE);
    }

    @Test
    void aStoreThatOverwritesItsOnlyCopyIsCaughtByHarshCrashes() {
        // A gentle crash restores the last synced bytes, so only a torn in-place write exposes this.
        CrashReport report = new CrashPointDriver(ToyStores.flawed(ToyStores.Flaw.WRITES_IN_PLACE)).workload(WORKLOAD).harsh(5).run();
        assertThat(report.failures()).isNotEmpty();
    }

    @Test
    void samplingTriesTheFirstAndLastPointAndNoMoreThanAsked() {
        CrashReport report = new CrashPointDriver(ToyStores.correct()).workload(WORKLOAD).sample(5, 3).run();
        assertThat(report.points()).hasSize(5);
        assertThat(report.points().get(0).point()).isEqualTo(1);
        assertThat(report.points().get(4).point()).isEqualTo(report.ioCallsInWorkload());
    }

    @Test
    void aCorrectStoreHandlesAFaultAtEveryIoCall() {
        FaultReport report = new FaultDriver(ToyStores.correct()).workload(WORKLOAD).run().assertAllHandled();
        assertThat(report.cases()).hasSize((int) report.ioCallsInWorkload());
    }

    @Test
    void aCorrectStoreHandlesADiskThatFillsUp() {
        new FaultDriver(ToyStores.correct()).workload(WORKLOAD).mode(dev.kvbook.testkit.vfs.FaultyVfs.Mode.DISK_FULL)
                .run().assertAllHandled();
    }

    @Test
    void aCorrectStoreNeverReturnsWrongDataFromADamagedFile() {
        CorruptionReport report = new CorruptionSweep(ToyStores.correct()).workload(WORKLOAD).run().assertNoWrongData();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.DETECTED);
    }

    @Test
    void aStoreThatIgnoresItsChecksumIsCaughtReturningWrongData() {
        CorruptionReport report = new CorruptionSweep(ToyStores.flawed(ToyStores.Flaw.IGNORES_CHECKSUM)).workload(WORKLOAD).run();
        assertThat(report.counts()).containsKey(CorruptionReport.Outcome.WRONG_DATA);
        assertThatThrownBy(report::assertNoWrongData).isInstanceOf(AssertionError.class);
    }
}
