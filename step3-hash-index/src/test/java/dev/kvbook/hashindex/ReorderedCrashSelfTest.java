package dev.kvbook.hashindex;

import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reordered harsh crashes ({@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered}) catch what
 * harsh crashes cannot: a protocol that is right only if the file system keeps its directory
 * operations in order. The planted bug is {@code ToyManifestStore} trusting that a surviving
 * rename of its manifest brings the earlier create of the data file it names along. These tests
 * live in step 3 (not in the testkit, whose mode they test) so that a step-3 workspace, which
 * carries the testkit as reference code without its tests, grades the build lab by them.
 */
class ReorderedCrashSelfTest {

    private static final List<Op> WORKLOAD = List.of(
            Op.put("a", "1"), Op.put("b", "2"), Op.put("a", "3"), Op.delete("b"), Op.reopen(), Op.put("c", "4"));

    @Test
    void aStoreThatTrustsRenameOrderPassesHarshCrashes() {
        // Why the new mode is needed: under in-order directory operations the bug cannot show.
        for (long seed = 1; seed <= 3; seed++) {
            new CrashPointDriver(ToyManifestStore.opener(true)).workload(WORKLOAD).harsh(seed).run().assertPromiseKept();
        }
    }

    @Tag("lab:step3.build-reorder-crash")
    @Test
    void aStoreThatTrustsRenameOrderIsCaughtByReorderedCrashes() {
        CrashReport report = new CrashPointDriver(ToyManifestStore.opener(true)).workload(WORKLOAD).harshReordered(1).run();
        System.out.println("trusts rename order, reordered: " + report.summary());
        assertThat(report.failures()).as(report.summary()).isNotEmpty();
        assertThat(report.failures()).anySatisfy(p -> assertThat(p.detail()).contains("missing"));
        assertThatThrownBy(report::assertPromiseKept).isInstanceOf(AssertionError.class).hasMessageContaining("PROMISE BROKEN");
    }

    @Tag("lab:step3.build-reorder-crash")
    @Test
    void theManifestStoreThatSyncsItsDirectoryFirstPassesReorderedCrashes() {
        for (long seed = 1; seed <= 3; seed++) {
            new CrashPointDriver(ToyManifestStore.opener(false)).workload(WORKLOAD).harshReordered(seed).run().assertPromiseKept();
        }
    }

}
