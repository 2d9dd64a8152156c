package dev.kvbook.cli;

import dev.kvbook.api.Stores;
import dev.kvbook.testkit.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv load} and {@code kv crash-lab}. */
class LoadAndCrashLabTest {

    @TempDir
    Path dir;

    @Test
    void loadPutsCountKeysAndPrintsTheRate() {
        String path = dir.resolve("loaded").toString();
        Kv.Result result = Kv.run("load", "--store", "step2", "--path", path, "--count", "50", "--value-size", "10");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("loaded 50 keys", "puts/s", "step2: 50 live keys");
        assertThat(Kv.run("get", "--path", path, "key-000000000049").out()).hasSize(10 + 1);
        assertThat(Kv.run("get", "--path", path, "key-000000000050").exitCode()).isEqualTo(Errors.FINDINGS);
    }

    @Test
    void loadRefusesANegativeCount() {
        BadInputTest.assertOneLine(Kv.run("load", "--store", "step1", "--path", dir.resolve("x").toString(), "--count", "-1"),
                "--count must be 0 or more");
    }

    @Test
    void crashLabOnStep1FindsEveryCrashPointIntact() {
        Kv.Result result = Kv.run("crash-lab", "--store", "step1");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("point  interrupted I/O call", "rename", "syncDirectory", "promise kept")
                .doesNotContain("lost an acknowledged write", "wrong data", "corruption detected", "damaged", "error");
        assertThat(result.out().lines().filter(l -> l.matches("\\s+\\d+ .*"))).allMatch(l -> l.endsWith("intact"));
    }

    @Test
    void crashLabHarshOnStep1KeepsThePromiseToo() {
        Kv.Result result = Kv.run("crash-lab", "--store", "step1", "--harsh", "--ops", "6");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("harsh crashes", "step1: ", "promise kept");
    }

    @Test
    void crashLabWithoutStoreRunsEveryStoreAndEndsWithTheirSummaries() {
        Kv.Result result = Kv.run("crash-lab", "--ops", "4");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String[] lines = result.out().strip().split("\n");
        int stores = Stores.providers().size();
        for (int i = 0; i < stores; i++) {
            assertThat(lines[lines.length - stores + i]).startsWith(Stores.providers().get(i).name() + ": ")
                    .contains("crash points");
        }
    }

    @Test
    void crashLabFitsInAHundredColumnsAndExplainsARepeatedOutcomeOnce() {
        Kv.Result result = Kv.run("crash-lab", "--store", "step4");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
        assertThat(result.out().lines().filter(l -> l.contains("was not closed cleanly"))).hasSize(1);
        assertThat(result.out()).containsPattern("why: as at point \\d+");
    }

    @Test
    void crashLabCountsEachStoresOwnWorkloadIncludingItsMaintenance() {
        Kv.Result result = Kv.run("crash-lab", "--store", "step5");
        int maintenance = Stores.provider("step5").maintenanceOperations().size();
        assertThat(maintenance).isPositive();
        assertThat(result.out()).contains("workload (" + (12 + maintenance) + " operations):");
        assertThat(result.out().lines().filter(l -> l.matches(" +\\d+\\. .*"))).hasSize(12 + maintenance);
    }

    @Test
    void crashLabJsonListsEveryPointAndIsTheSameForTheSameSeed() {
        Kv.Result first = Kv.run("crash-lab", "--store", "step2", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("{").contains("\"mode\": \"gentle\"", "\"store\": \"step2\"",
                "\"crashPoints\": ", "\"outcomes\": {", "\"during\": \"compact\"").doesNotContain("workload (");
        assertThat(Kv.run("crash-lab", "--store", "step2", "--json").out()).isEqualTo(first.out());
    }

    @Test
    void crashLabWorkloadIsTheSameForTheSameSeed() {
        var provider = Stores.provider("step2");
        assertThat(CrashLab.workload(provider, 30, 7).toString()).isEqualTo(CrashLab.workload(provider, 30, 7).toString());
        assertThat(CrashLab.workload(provider, 30, 7)).hasSize(30 + provider.maintenanceOperations().size())
                .anyMatch(op -> op instanceof Op.Delete).anyMatch(op -> op instanceof Op.Sync)
                .anyMatch(op -> op instanceof Op.Reopen);
    }

    @Test
    void crashLabOnStep6CrashesInsideFlushesAndACompactionAndLosesOrResurrectsNothing() {
        var provider = Stores.provider("step6");
        java.util.List<String> ops = CrashLab.workload(provider, 12, 1).stream().map(Object::toString).toList();
        int firstFlush = ops.indexOf("flush");
        int compact = ops.indexOf("compact");
        assertThat(firstFlush).as("%s", ops).isNotNegative();
        assertThat(ops.subList(firstFlush + 1, compact)).as("a delete between two flushes, then the compaction: %s", ops)
                .anyMatch(op -> op.startsWith("delete")).contains("flush");
        Kv.Result result = Kv.run("crash-lab", "--store", "step6", "--json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("\"during\": \"flush\"", "\"during\": \"compact\"", "\"promiseKept\": true")
                .doesNotContain("LOST_ACKNOWLEDGED_WRITE", "WRONG_DATA");
        Kv.Result harsh = Kv.run("crash-lab", "--store", "step6", "--harsh");
        assertThat(harsh.exitCode()).as(harsh.toString()).isZero();
        assertThat(harsh.out()).contains("promise kept");
    }

    @Test
    void crashLabRejectsAnUnknownStore() {
        BadInputTest.assertOneLine(Kv.run("crash-lab", "--store", "nope"), "no store called 'nope'");
    }
}
