package dev.kvbook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's CSV files, for the notebooks and the book: {@code results.csv} (one row per JMH
 * figure), {@code scaling.csv} (one row per contender and N), {@code step3-reopen.csv},
 * {@code step4-small-heap.csv} and {@code step4-pool.csv} (the step-specific runs), plus the forks' notes.
 */
final class CsvFiles {

    static final String RESULTS_HEADER = "workload,variant,store,durability,ops_per_s,error";
    static final String SCALING_HEADER = "store,kind,keys_asked,keys_loaded,stopped_early,load_s,ns_per_put,"
            + "bytes_written,bytes_source,write_amplification,disk_bytes_per_key,heap_bytes_per_key,reopen_ms,"
            + "wrong_answers";

    private CsvFiles() {
    }

    /** Writes {@code results.csv} and {@code scaling.csv} into {@code dir}. */
    static void write(Path dir, List<Measurement> measurements, List<ScalingRow> scaling) throws IOException {
        List<String> lines = new ArrayList<>(List.of(RESULTS_HEADER));
        for (Measurement m : measurements) {
            lines.add(String.join(",", m.workload(), m.variant(), m.store(), quote(m.durability()),
                    number(m.score()), number(m.error())));
        }
        Files.write(dir.resolve("results.csv"), lines, StandardCharsets.UTF_8);
        lines = new ArrayList<>(List.of(SCALING_HEADER));
        for (ScalingRow r : scaling) {
            lines.add(String.join(",", r.store(), r.kind(), Long.toString(r.keysAsked()), Long.toString(r.keysLoaded()),
                    Boolean.toString(r.stoppedEarly()), number(r.loadNanos() / 1e9), number(r.nanosPerPut()),
                    Long.toString(r.bytesWritten()), r.bytesSource(), number(r.writeAmplification()),
                    number(r.diskBytesPerKey()), number(r.heapBytesPerKey()),
                    number(r.reopenNanos() < 0 ? Double.NaN : r.reopenNanos() / 1e6), Long.toString(r.wrongAnswers())));
        }
        Files.write(dir.resolve("scaling.csv"), lines, StandardCharsets.UTF_8);
    }

    /** Writes {@code step3-reopen.csv}, {@code step4-small-heap.csv} and {@code step4-pool.csv} into {@code dir}. */
    static void write(Path dir, StepFigures steps) throws IOException {
        List<String> lines = new ArrayList<>(List.of("keys,segments,load_s,open_with_hints_ms,hints_used,"
                + "open_without_hints_ms,segments_scanned,keydir_bytes_per_key,heap_bytes_per_key,wrong_answers"));
        for (HintFileReopen.Row r : steps.reopen()) {
            lines.add(String.join(",", Long.toString(r.keys()), Integer.toString(r.segments()),
                    number(r.loadNanos() / 1e9), number(r.withHintsNanos() / 1e6), Integer.toString(r.hintsUsed()),
                    number(r.withoutHintsNanos() / 1e6), Integer.toString(r.segmentsScanned()),
                    Long.toString(r.keydirBytesPerKey()), number(r.heapBytesPerKey()), Long.toString(r.wrongAnswers())));
        }
        Files.write(dir.resolve("step3-reopen.csv"), lines, StandardCharsets.UTF_8);
        lines = new ArrayList<>(List.of("heap,keys_asked,succeeded,keys_loaded,load_s,height,pages,peak_heap_bytes,"
                + "child_wall_s,failure"));
        for (SmallHeapLoad.Row r : steps.smallHeap()) {
            lines.add(String.join(",", SmallHeapLoad.HEAP, Long.toString(r.keysAsked()), Boolean.toString(r.succeeded()),
                    Long.toString(r.keysLoaded()), number(r.loadNanos() < 0 ? Double.NaN : r.loadNanos() / 1e9),
                    Integer.toString(r.height()), Long.toString(r.pages()), Long.toString(r.peakHeap()),
                    number(r.wallNanos() / 1e9), quote(r.failure())));
        }
        Files.write(dir.resolve("step4-small-heap.csv"), lines, StandardCharsets.UTF_8);
        lines = new ArrayList<>(List.of("keys,step4_ns_per_put,rocksdb_ns_per_put,wrong_answers"));
        for (PoolLoad.Row r : steps.pool()) {
            lines.add(String.join(",", Integer.toString(PoolLoad.KEYS), number(r.step4NanosPerPut()),
                    number(r.rocksdbNanosPerPut()), Long.toString(r.wrongAnswers())));
        }
        Files.write(dir.resolve("step4-pool.csv"), lines, StandardCharsets.UTF_8);
        if (!steps.lsmLoad().isEmpty()) {
            Files.write(dir.resolve(LSM_LOAD_FILE), lsmLoadLines(steps.lsmLoad()), StandardCharsets.UTF_8);
        }
        if (!steps.bloom().isEmpty()) {
            Files.write(dir.resolve(BLOOM_FILE), bloomLines(steps.bloom()), StandardCharsets.UTF_8);
        }
    }

    /** Step 6's load table, as {@code lsm-load.csv}; also what {@code bench/measure.sh LsmLoadTable} writes. */
    static final String LSM_LOAD_FILE = "lsm-load.csv";
    /** Step 6's Bloom filters, as {@code bloom-fp.csv}; also what {@code bench/measure.sh BloomFilterRate} writes. */
    static final String BLOOM_FILE = "bloom-fp.csv";
    /** The header and one line per row of {@link LsmLoad}; columns as {@link LsmLoad#HEADER}. */
    static List<String> lsmLoadLines(List<LsmLoad.Row> rows) {
        List<String> lines = new ArrayList<>(List.of(LsmLoad.HEADER));
        rows.forEach(r -> lines.add(csvLine(r.cells())));
        return lines;
    }

    /** The header and one line per row of {@link BloomFalsePositives}; columns as {@link BloomFalsePositives#HEADER}. */
    static List<String> bloomLines(List<BloomFalsePositives.Row> rows) {
        List<String> lines = new ArrayList<>(List.of(BloomFalsePositives.HEADER));
        rows.forEach(r -> lines.add(csvLine(r.cells())));
        return lines;
    }

    /** Cells joined by commas, each holding a comma or a quote quoted. */
    private static String csvLine(List<String> cells) {
        return String.join(",", cells.stream().map(c -> c.contains(",") || c.contains("\"") ? quote(c) : c).toList());
    }

    /** The notes the forks left ({@code workload,store,what,value} lines), or none. */
    static List<String> readNotes(Path notes) throws IOException {
        return Files.exists(notes) ? Files.readAllLines(notes, StandardCharsets.UTF_8) : List.of();
    }

    /** A figure with six significant digits, or empty for NaN (unknown). */
    static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }

    private static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
