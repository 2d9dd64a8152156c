package dev.kvbook.testkit.crash;

import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.ToyStores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CrashPointDriver#crashDuringRecovery()} can fail: a toy store whose recovery "tidies"
 * its only copy in place (truncate, write, fsync) keeps its promise whenever its recovery runs to
 * the end, and loses everything when the power goes again in the middle of it.
 */
class RecoveryCrashSelfTest {

    private static final List<Op> WORKLOAD = List.of(
            Op.put("a", "1"), Op.put("b", "2"), Op.put("a", "3"), Op.delete("b"), Op.put("c", "4"));

    private static List<CrashReport> harshRuns(boolean crashDuringRecovery) {
        List<CrashReport> reports = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            CrashPointDriver driver = new CrashPointDriver(ToyStores.flawed(ToyStores.Flaw.REWRITES_IN_PLACE_ON_RECOVERY))
                    .workload(WORKLOAD).harsh(seed);
            reports.add((crashDuringRecovery ? driver.crashDuringRecovery() : driver).run());
        }
        return reports;
    }

    @Test
    void aRecoveryThatRewritesInPlaceKeepsThePromiseWhenItIsNeverCrashed() {
        harshRuns(false).forEach(CrashReport::assertPromiseKept);
    }

    @Test
    void aRecoveryThatRewritesInPlaceIsCaughtWhenTheRecoveryItselfCrashes() {
        List<CrashReport.Point> failures = harshRuns(true).stream().flatMap(r -> r.failures().stream()).toList();
        assertThat(failures).isNotEmpty();
        assertThat(failures).allSatisfy(p -> assertThat(p.detail()).contains("at recovery call"));
    }

    @Test
    void aCorrectStoreKeepsItsPromiseWhenItsRecoveryCrashesToo() {
        new CrashPointDriver(ToyStores.correct()).workload(WORKLOAD).crashDuringRecovery().run().assertPromiseKept();
        new CrashPointDriver(ToyStores.correct()).workload(WORKLOAD).harsh(3).crashDuringRecovery().run().assertPromiseKept();
    }
}
