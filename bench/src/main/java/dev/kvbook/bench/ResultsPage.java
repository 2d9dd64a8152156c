package dev.kvbook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code bench/RESULTS.md}: how the run was made (machine, JDK, date, the exact command),
 * what "durable" meant for each contender, the throughput table, the scaling table, the targets
 * met and missed, and links to the charts and raw files.
 */
final class ResultsPage {

    /** The throughput table's columns: workload and variant, with their headings. */
    private static final String[][] COLUMNS = {
            {"counter", "durable", "counter, durable"}, {"counter", "relaxed", "counter, relaxed"},
            {"point-read", "uniform", "get, uniform"}, {"point-read", "zipfian", "get, Zipfian"},
            {"range-scan", RangeScanBenchmark.LENGTH + " keys", "scan 100"},
            {"commit", "1 thread", "durable commits, 1 thread"}, {"commit", "8 threads", "durable commits, 8 threads"}};

    private final Plan plan;
    private final List<Contender> contenders;
    private final List<Measurement> measurements;
    private final List<ScalingRow> scaling;
    private final List<String> notes;
    private final String command;
    private final Duration took;

    ResultsPage(Plan plan, List<Contender> contenders, List<Measurement> measurements, List<ScalingRow> scaling,
                List<String> notes, String command, Duration took) {
        this.plan = plan;
        this.contenders = contenders;
        this.measurements = measurements;
        this.scaling = scaling;
        this.notes = notes;
        this.command = command;
        this.took = took;
    }

    /** Writes the page to {@code file}. */
    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        header(lines);
        durability(lines);
        throughput(lines);
        scalingTable(lines);
        lines.add("## Targets (issue 8), judged on this run's figures");
        lines.add("");
        lines.add("| step | target | figures | verdict |");
        lines.add("|---|---|---|---|");
        lines.addAll(new Targets(measurements, scaling).rows());
        lines.add("");
        footer(lines);
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private void header(List<String> lines) {
        lines.add("# kvbook bench: results");
        lines.add("");
        lines.add("Written by `bench/run.sh`; do not edit by hand — run it again.");
        lines.add("");
        lines.add("- **run:** `--" + plan.name() + "` (" + plan.forks() + " fork(s), " + plan.warmups() + " warm-up + "
                + plan.iterations() + " measured iterations of " + plan.iterationSeconds() + " s; reads over "
                + String.format(Locale.ROOT, "%,d", plan.readKeys()) + " keys), took " + took.toMinutes() + " min "
                + took.toSecondsPart() + " s");
        lines.add("- **command:** `" + command + "`");
        lines.add("- **date:** " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        lines.add("- **machine:** " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + Machine.memory() + "; " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        lines.add("- **JDK:** " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        if (plan.name().equals("quick")) {
            lines.add("- **caution:** a `--quick` run: short iterations, one fork, and on a shared machine where other "
                    + "builds were running. Treat every figure as ±50% at least; the book quotes `--full` runs.");
        }
        lines.add("");
        lines.add("Keys are 16 bytes (ASCII, scrambled order), values 100 bytes; the counter's value is 8 bytes.");
        lines.add("");
    }

    private void durability(List<String> lines) {
        lines.add("## What durable and relaxed mean for each contender");
        lines.add("");
        lines.add("| contender | kind | durable | relaxed |");
        lines.add("|---|---|---|---|");
        for (Contender c : contenders) {
            lines.add("| " + c.name() + " | " + c.kind().name().toLowerCase(Locale.ROOT) + " | "
                    + c.durability(Durability.DURABLE) + " | " + c.durability(Durability.RELAXED) + " |");
        }
        lines.add("");
        lines.add("Reads and scans run over a store loaded relaxed and synced once. Durable commits write new keys.");
        lines.add("");
    }

    private void throughput(List<String> lines) {
        lines.add("## Throughput (operations per second, higher is better)");
        lines.add("");
        StringBuilder head = new StringBuilder("| contender |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String[] column : COLUMNS) {
            head.append(' ').append(column[2]).append(" |");
            rule.append("---:|");
        }
        lines.add(head.toString());
        lines.add(rule.toString());
        for (Contender c : contenders) {
            StringBuilder row = new StringBuilder("| " + c.name() + " |");
            for (String[] column : COLUMNS) {
                row.append(' ').append(measurements.stream().filter(m -> m.store().equals(c.name())
                                && m.workload().equals(column[0]) && m.variant().equals(column[1]))
                        .map(m -> Format.rate(m.score())).findFirst().orElse("n/a")).append(" |");
            }
            lines.add(row.toString());
        }
        lines.add("");
        lines.add("n/a: the workload does not apply (no reads for the raw append loop, no scans for unordered "
                + "stores), or the run failed (see the JMH output).");
        lines.add("");
    }

    private void scalingTable(List<String> lines) {
        lines.add("## Load N keys, reopen, footprint (relaxed load, one sync at the end)");
        lines.add("");
        lines.add("| contender | N asked | N loaded | ns/put | bytes written/put | write amp. | disk bytes/key "
                + "| heap bytes/key | reopen ms | counted by |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (ScalingRow r : scaling) {
            double perPut = r.bytesWritten() < 0 || r.keysLoaded() == 0 ? Double.NaN
                    : (double) r.bytesWritten() / r.keysLoaded();
            lines.add(String.format(Locale.ROOT, "| %s | %,d | %,d%s | %s | %s | %s | %s | %s | %s | %s |", r.store(),
                    r.keysAsked(), r.keysLoaded(), r.stoppedEarly() ? " (stopped: budget)" : "",
                    Format.number(r.nanosPerPut()), Format.number(perPut), Format.number(r.writeAmplification()),
                    Format.number(r.diskBytesPerKey()), Format.number(r.heapBytesPerKey()),
                    Format.number(r.reopenNanos() / 1e6), r.bytesSource()));
        }
        lines.add("");
        lines.add("A load stops early when it runs out of its budget (" + plan.scalingBudgetMs() / 1000
                + " s in this run); larger N are then skipped. Heap per key is the heap the open engine holds "
                + "after a full GC, divided by N: native engines (RocksDB, LMDB, SQLite) keep their caches off the "
                + "Java heap, so theirs is not comparable. Peers' bytes written are the process's write(2) bytes "
                + "(`/proc/self/io` wchar), which misses writes through mmap.");
        lines.add("");
    }

    private void footer(List<String> lines) {
        if (!notes.isEmpty()) {
            lines.add("## Notes from the benchmark forks");
            lines.add("");
            notes.forEach(n -> lines.add("- " + n));
            lines.add("");
        }
        lines.add("## Files");
        lines.add("");
        lines.add("- Raw JMH JSON: `results/jmh-<workload>.json`; tables: `results/results.csv`, `results/scaling.csv`");
        lines.add("- Charts (PNG and SVG) in `results/charts/`: throughput per workload, "
                + "[cost per put vs N](results/charts/cost-per-put.png), "
                + "[write amplification vs N](results/charts/write-amplification.png)");
        lines.add("");
        lines.add("![cost per put](results/charts/cost-per-put.png)");
        lines.add("");
        lines.add("![durable counter](results/charts/throughput-counter.png)");
    }
}
