package dev.kvbook.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code bench/run.sh --render} must read back what a run wrote, and judge step 1's line the same way. */
class SavedRunTest {

    @TempDir
    Path results;

    @Test
    void aRunWrittenToCsvReadsBackWithItsFigures() throws Exception {
        Measurement measured = new Measurement("counter", "durable", "step3", "fsync, \"per\" write", 7_290.0, 12.5);
        ScalingRow loaded = new ScalingRow("step3", "step", 100_000, 100_000, 2_070_000_000L, 12_700_000, "CountingVfs",
                12_700_000, 5_700_000, 63_500_000, 0);
        ScalingRow memory = new ScalingRow("hashmap", "limit", 1_000, 1_000, 1_500_000, 116_000, "counted", 0, 200_000,
                -1, 0);
        HintFileReopen.Row reopen = new HintFileReopen.Row(1_000_000, 121, 2_230_000_000L, 240_000_000L, 120,
                300_000_000L, 120, 57, 67.0, 0);
        SmallHeapLoad.Row heap = new SmallHeapLoad.Row(1_000_000, false, 500_000, -1, 3, 46_403, 60L << 20,
                29_000_000_000L, "OutOfMemoryError: Java heap space, at 500,000 keys");
        PoolLoad.Row pool = new PoolLoad.Row(900, 1_800, 0);
        CsvFiles.write(results, List.of(measured), List.of(loaded, memory));
        CsvFiles.write(results, new StepFigures(List.of(reopen), List.of(heap), List.of(pool)));
        SavedRun.writeProperties(results, Plan.full(), "bench/run.sh --full", "Sat, 21 Nov 2026 12:00:00 GMT",
                Duration.ofSeconds(3_725));

        SavedRun run = SavedRun.read(results);

        assertThat(run.plan().name()).isEqualTo("full");
        assertThat(run.command()).isEqualTo("bench/run.sh --full");
        assertThat(run.date()).isEqualTo("Sat, 21 Nov 2026 12:00:00 GMT");
        assertThat(run.took()).isEqualTo(Duration.ofSeconds(3_725));
        assertThat(run.measurements()).singleElement().isEqualTo(measured);
        ScalingRow back = run.scaling().get(0);
        assertThat(back.nanosPerPut()).isCloseTo(loaded.nanosPerPut(), within(1.0));
        assertThat(back.bytesWritten()).isEqualTo(loaded.bytesWritten());
        assertThat(back.diskBytesPerKey()).isCloseTo(loaded.diskBytesPerKey(), within(0.1));
        assertThat(back.reopenNanos()).isEqualTo(loaded.reopenNanos());
        assertThat(run.scaling().get(1).reopenNanos()).isEqualTo(-1);
        assertThat(run.steps().reopen()).singleElement().isEqualTo(reopen);
        assertThat(run.steps().smallHeap()).singleElement().isEqualTo(heap);
        assertThat(run.steps().pool()).singleElement().isEqualTo(pool);
        assertThat(run.notes()).isEmpty();
    }

    @Test
    void step6sLoadTableAndBloomRatesReadBackAndAreJudgedAsTargets() throws Exception {
        LsmLoad.Row step6 = new LsmLoad.Row("step6", 1_000_000, 9_000_000_000L, 580_000_000, "CountingVfs", 590_000_000,
                130_000_000, 0);
        LsmLoad.Row step4 = new LsmLoad.Row("step4", 1_000_000, 9_000_000_000L, 4_640_000_000L, "CountingVfs",
                4_650_000_000L, 190_000_000, 0);
        LsmLoad.Row rocks = new LsmLoad.Row("rocksdb", 1_000_000, 5_000_000_000L, 348_000_000,
                "RocksDB statistics (WAL + flush + compaction bytes)", 360_000_000, 120_000_000, 0);
        BloomFalsePositives.Row ten = new BloomFalsePositives.Row(10, 7, 1_000_000, 60, 3_000_000, 25_000);
        BloomFalsePositives.Row five = new BloomFalsePositives.Row(5, 3, 1_000_000, 60, 3_000_000, 400_000);
        CsvFiles.write(results, new StepFigures(List.of(), List.of(), List.of(), List.of(step6, step4, rocks),
                List.of(ten, five)));

        StepFigures back = SavedRun.read(writeProperties()).steps();

        assertThat(back.lsmLoad()).hasSize(3);
        assertThat(back.lsmLoad().get(2).bytesMethod()).isEqualTo(rocks.bytesMethod());
        assertThat(back.lsmLoad().get(0).writeAmplification()).isCloseTo(step6.writeAmplification(), within(1e-9));
        assertThat(back.bloom()).containsExactly(ten, five);
        List<String> rows = new Targets(List.of(), List.of(), List.of(), back).rows();
        assertThat(rows).anyMatch(r -> r.startsWith("| step6 | write amplification at 10^6 keys within 1.5× RocksDB's")
                        && r.contains("step6 5.00× vs rocksdb 3.00×") && r.endsWith("| **missed** (at 90% of the target) |"))
                .anyMatch(r -> r.startsWith("| step6 | write amplification at 10^6 keys below step 4's")
                        && r.endsWith("| **met** |"))
                .anyMatch(r -> r.startsWith("| step6 | Bloom false-positive rate within 25% of (1 − e^(−kn/m))^k at 10 bits")
                        && r.contains("measured 0.833% (25,000 of 3,000,000 filter checks)") && r.endsWith("| **met** |"))
                .anyMatch(r -> r.contains("at 5 bits per key") && r.contains("**missed**"))
                .anyMatch(r -> r.startsWith("| step6 | point get ≥ 0.8× RocksDB's (uniform)") && r.contains("not measured"));
    }

    private Path writeProperties() throws Exception {
        SavedRun.writeProperties(results, Plan.quick(), "bench/run.sh", "today", Duration.ofSeconds(1));
        return results;
    }

    @Test
    void csvFieldsKeepCommasAndQuotesInsideQuotes() {
        assertThat(SavedRun.fields("a,\"b, \"\"c\"\"\",,d")).containsExactly("a", "b, \"c\"", "", "d");
    }

    @Test
    void renderRewritesThePageFromTheFilesAlone() throws Exception {
        Path out = results.getParent().resolve(results.getFileName() + "-out");
        Path saved = Files.createDirectories(out.resolve("results"));
        CsvFiles.write(saved, List.of(new Measurement("counter", "durable", "step1", "fsync", 2_000, Double.NaN)),
                List.of(step1(1_000, 500_000), step1(10_000, 1_400_000), step1(30_000, 3_400_000)));
        CsvFiles.write(saved, StepFigures.none());
        SavedRun.writeProperties(saved, Plan.quick(), "bench/run.sh --quick", "today", Duration.ofMinutes(7));

        BenchMain.render(out);

        String page = Files.readString(out.resolve("RESULTS.md"));
        assertThat(page).contains("- **command:** `bench/run.sh --quick`", "- **date:** today", "took 7 min 0 s");
        assertThat(page.lines().filter(l -> l.contains("cost per put rising linearly"))).singleElement().asString()
                .contains("3 loads", "R² 1.000", "**met**");
        assertThat(saved.resolve("charts/cost-per-put.png")).exists();
    }

    /** A step-1 load whose average put costs {@code nanosPerPut}. */
    private static ScalingRow step1(long keys, long nanosPerPut) {
        return new ScalingRow("step1", "step", keys, keys, keys * nanosPerPut, keys * 100_000, "CountingVfs", 136 * keys,
                200 * keys, 5_000_000, 0);
    }
}
