package dev.kvbook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private final StepFigures steps;
    private final List<String> notes;
    private final String command;
    private final String date;
    private final Duration took;

    ResultsPage(Plan plan, List<Contender> contenders, List<Measurement> measurements, List<ScalingRow> scaling,
                StepFigures steps, List<String> notes, String command, String date, Duration took) {
        this.plan = plan;
        this.contenders = contenders;
        this.measurements = measurements;
        this.scaling = scaling;
        this.steps = steps;
        this.notes = notes;
        this.command = command;
        this.date = date;
        this.took = took;
    }

    /** Writes the page to {@code file}. */
    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        header(lines);
        durability(lines);
        throughput(lines);
        scalingTable(lines);
        hintReopenTable(lines);
        smallHeapTable(lines);
        poolLoad(lines);
        lsmLoadTable(lines);
        bloomTable(lines);
        lines.add("## Targets (issue 8), judged on this run's figures");
        lines.add("");
        lines.add("| step | target | figures | verdict |");
        lines.add("|---|---|---|---|");
        lines.addAll(new Targets(contenders, measurements, scaling, steps).rows());
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
        lines.add("- **date:** " + date);
        lines.add("- **machine:** " + Machine.cpuModel() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + Machine.memory() + "; " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        lines.add("- **JDK:** " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        if (plan.name().equals("quick")) {
            lines.add("- **caution:** a `--quick` run: short iterations and one fork, on two cores. Treat every figure "
                    + "as ±50% at least; the `--full` run (forks, warm-ups, longer iterations) is the one to quote.");
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
                    Format.number(r.diskBytesPerKey()),
                    Contenders.named(r.store()).offHeap() ? "native" : Format.number(r.heapBytesPerKey()),
                    Format.number(r.reopenNanos() / 1e6), r.bytesSource()));
        }
        lines.add("");
        lines.add("A load stops early when it runs out of its budget (" + plan.scalingBudgetMs() / 1000
                + " s in this run); larger N are then skipped. Heap per key is the heap the open engine holds "
                + "after a full GC, divided by N; \"native\" marks the C engines (RocksDB, LMDB, "
                + "SQLite), which keep their data and caches off the Java heap, so a heap figure would say nothing. Peers' bytes written are the process's write(2) bytes "
                + "(`/proc/self/io` wchar), which misses writes through mmap.");
        lines.add("");
    }

    private void hintReopenTable(List<String> lines) {
        if (steps.reopen().isEmpty()) {
            return;
        }
        lines.add("## Step 3: reopen with and without hint files");
        lines.add("");
        lines.add("| N | segments | load s | open with hints ms | hint files read | open without hints ms "
                + "| segments scanned | keydirBytesPerKey | heap bytes/key (measured) | wrong answers |");
        lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (HintFileReopen.Row r : steps.reopen()) {
            lines.add(String.format(Locale.ROOT, "| %,d | %d | %s | %s | %d | %s | %d | %d | %s | %d |", r.keys(),
                    r.segments(), Format.number(r.loadNanos() / 1e9), Format.number(r.withHintsNanos() / 1e6),
                    r.hintsUsed(), Format.number(r.withoutHintsNanos() / 1e6), r.segmentsScanned(),
                    r.keydirBytesPerKey(), Format.number(r.heapBytesPerKey()), r.wrongAnswers()));
        }
        lines.add("");
        lines.add("Step 3 opened through its own options: segments of " + HintFileReopen.SEGMENT_SIZE / 1024
                + " KiB (so most records sit in sealed, hinted segments), syncEveryWrite off during the load. "
                + "Each kind of open ran " + HintFileReopen.OPENS + " times, alternating; the fastest is shown. "
                + "The page cache was warm for both (the files had just been written): a cold open adds the disk's "
                + "read time, more without hints. keydirBytesPerKey is step 3's own estimate (stats detail); the "
                + "heap column is the heap the open store held after a full GC, divided by N.");
        lines.add("");
    }

    private void smallHeapTable(List<String> lines) {
        if (steps.smallHeap().isEmpty()) {
            return;
        }
        lines.add("## Step 4: loading in a " + SmallHeapLoad.HEAP + " JVM");
        lines.add("");
        lines.add("| heap | N asked | N loaded | succeeded | load s | ns/put | tree height | pages | peak heap MiB "
                + "| child JVM s | failure |");
        lines.add("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|");
        for (SmallHeapLoad.Row r : steps.smallHeap()) {
            double seconds = r.loadNanos() < 0 ? Double.NaN : r.loadNanos() / 1e9;
            lines.add(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %d | %,d | %s | %s | %s |",
                    SmallHeapLoad.HEAP, r.keysAsked(), r.keysLoaded(), r.succeeded() ? "yes" : "**no**",
                    Format.number(seconds), Format.number(seconds * 1e9 / r.keysLoaded()), r.height(), r.pages(),
                    Format.number(r.peakHeap() < 0 ? Double.NaN : r.peakHeap() / 1048576.0),
                    Format.number(r.wallNanos() / 1e9), r.failure().isEmpty() ? "—" : r.failure().replace('|', '/')));
        }
        lines.add("");
        lines.add("A child JVM (`java " + SmallHeapLoad.HEAP + " … dev.kvbook.bench.SmallHeapLoad N DIR`) loads step 4 "
                + "with its default 4 KiB pages and 4,096-page (16 MiB) buffer pool, syncEveryWrite off and one sync at "
                + "the end, then reads " + ScalingRun.CHECKS + " keys back. Peak heap is the sum of the heap pools' "
                + "peaks, an upper bound on what was live at once.");
        lines.add("");
    }

    private void poolLoad(List<String> lines) {
        if (steps.pool().isEmpty()) {
            return;
        }
        lines.add("## Step 4: puts that fit the buffer pool, beside RocksDB");
        lines.add("");
        lines.addAll(PoolLoad.explanation(steps.pool().get(0)));
        lines.add("");
    }

    private void lsmLoadTable(List<String> lines) {
        if (steps.lsmLoad().isEmpty()) {
            return;
        }
        lines.add("## Step 6: what a load of N keys writes, beside steps 3 to 5 and RocksDB");
        lines.add("");
        lines.add("| store | N | bytes written / put | write amplification | by the OS counter | disk bytes / key "
                + "| load s | counted by |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---|");
        for (LsmLoad.Row r : steps.lsmLoad()) {
            lines.add(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |", r.store(), r.keys(),
                    Format.number(r.bytesPerPut()), Format.number(r.writeAmplification()),
                    Format.number(r.osWriteAmplification()), Format.number(r.diskBytesPerKey()),
                    Format.number(r.loadNanos() / 1e9), r.bytesMethod()));
        }
        lines.add("");
        lines.add("Each store loads N keys (16-byte keys in scrambled order, 100-byte values) with no fsync per put, "
                + "syncs, flushes its memtable where it has one, and closes; every byte written from the open to the "
                + "end of the close counts (RocksDB first finishes the compactions it has pending). Write "
                + "amplification is bytes written over N × " + BenchKeys.USER_BYTES_PER_PUT + "; the steps count "
                + "with CountingVfs, RocksDB with its statistics (WAL, flush and compaction bytes), and every row also "
                + "with the process's own write counter (`/proc/self/io` wchar), the same method for all. "
                + "`rocksdb` has its defaults (64 MiB memtable, Snappy-compressed tables); `rocksdb-step6-shape` has "
                + "step 6's sizes (4 MiB memtable, 2 MiB tables, 10 MiB level 1) and no compression: the like-for-like "
                + "tree. See `LsmLoad`.");
        lines.add("");
    }

    private void bloomTable(List<String> lines) {
        if (steps.bloom().isEmpty()) {
            return;
        }
        lines.add("## Step 6: Bloom filters, measured against the formula");
        lines.add("");
        lines.add("| bits per key | hash functions k | keys | tables | filter checks | false positives | measured "
                + "| (1 − e^(−k/b))^k | measured / formula |");
        lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (BloomFalsePositives.Row r : steps.bloom()) {
            lines.add(String.format(Locale.ROOT, "| %d | %d | %,d | %d | %,d | %,d | %.3f%% | %.3f%% | %.2f |",
                    r.bitsPerKey(), r.hashFunctions(), r.keys(), r.tables(), r.consulted(), r.passed(),
                    100 * r.measured(), 100 * r.formula(), r.ratio()));
        }
        lines.add("");
        lines.add("Step 6 loads N keys and flushes, then gets N keys never written: every table whose key range "
                + "holds such a key is a filter check, and every check that lets the get read the table is a false "
                + "positive (the store's own `tableProbes` and `bloomSkips`). See `BloomFalsePositives`.");
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
        lines.add("- Raw JMH JSON: `results/jmh-<workload>.json`; tables: `results/results.csv`, `results/scaling.csv`, "
                + "`results/step3-reopen.csv`, `results/step4-small-heap.csv`, `results/step4-pool.csv`, "
                + "`results/lsm-load.csv`, `results/bloom-fp.csv`");
        lines.add("- Charts (PNG and SVG) in `results/charts/`: throughput per workload, "
                + "[cost per put vs N](results/charts/cost-per-put.png), "
                + "[write amplification vs N](results/charts/write-amplification.png)");
        lines.add("");
        lines.add("![cost per put](results/charts/cost-per-put.png)");
        lines.add("");
        lines.add("![durable counter](results/charts/throughput-counter.png)");
    }
}
