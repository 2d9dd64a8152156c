package dev.kvbook.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets, judged against the figures of the same run (never as test assertions): each
 * becomes a line saying met, missed (by how much) or not measured, and why. Ratios are taken
 * between figures of one run, so machine noise shared by both sides partly cancels.
 */
final class Targets {

    private final List<Contender> contenders;
    private final List<Measurement> measurements;
    private final List<ScalingRow> scaling;
    private final StepFigures steps;

    Targets(List<Contender> contenders, List<Measurement> measurements, List<ScalingRow> scaling, StepFigures steps) {
        this.contenders = contenders;
        this.measurements = measurements;
        this.scaling = scaling;
        this.steps = steps;
    }

    /** One Markdown table row per target: step, target, figures, verdict. */
    List<String> rows() {
        List<String> rows = new ArrayList<>();
        rows.add(ratio("step3", "point get ≥ 2× RocksDB's (uniform)", "point-read", "uniform", "step3", "rocksdb", 2));
        rows.add(ratio("step3", "point get ≥ LMDB's (uniform)", "point-read", "uniform", "step3", "lmdb", 1));
        rows.add(ratio("step3", "put without per-write sync ≥ 1.5× RocksDB's (relaxed counter: get + put)", "counter",
                "relaxed", "step3", "rocksdb", 1.5));
        rows.add(loadRatio("step3", "put without per-write sync ≥ 1.5× RocksDB's (relaxed load of 10^5, ns/put)",
                100_000, "step3", "rocksdb", 1.5));
        rows.add(hintReopen());
        rows.add(keydirBytes());
        rows.add(ratio("step4", "point get ≥ H2 MVStore's (uniform)", "point-read", "uniform", "step4", "h2-mvstore", 1));
        rows.add(poolLoad());
        rows.add(ratio("step4", "put ≥ RocksDB's, both written to the OS per put (relaxed counter: get + put)",
                "counter", "relaxed", "step4", "rocksdb", 1));
        rows.add(smallHeap());
        rows.add(commitRatio("step5", "durable commits, 1 thread ≥ 0.9× raw fsync rate", "1 thread", "raw-append", 0.9));
        rows.add(commitRatio("step5", "durable commits, 1 thread ≥ 0.9× the floor of its own I/O pattern (raw-prealloc: "
                + "records written over a preallocated file, fdatasync each)", "1 thread", "raw-prealloc", 0.9));
        rows.add(ratio("step5", "durable commits, 8 threads ≥ 4× its own 1-thread figure", "commit", "8 threads",
                "step5", "commit", "1 thread", "step5", 4));
        rows.add(ratio("step5", "durable commits, 8 threads ≥ SQLite's (WAL, synchronous=FULL) at 8 threads", "commit",
                "8 threads", "step5", "sqlite", 1));
        rows.add(counterVsPeers());
        rows.add(step1Floor());
        rows.add(step1Linear());
        rows.add(loadRatio("step6", "put with the log written, not fsynced ≥ RocksDB's relaxed put (relaxed load of "
                + "10^5, ns/put)", 100_000, "step6", "rocksdb", 1));
        rows.add(ratio("step6", "point get ≥ 0.8× RocksDB's (uniform)", "point-read", "uniform", "step6", "rocksdb", 0.8));
        rows.add(ratio("step6", "point get ≥ RocksDB's (Zipfian)", "point-read", "zipfian", "step6", "rocksdb", 1));
        rows.add(writeAmplification("rocksdb", "within 1.5× RocksDB's", 1.5));
        rows.add(writeAmplification("step4", "below step 4's", 1));
        for (int bits : BloomFalsePositives.BITS_PER_KEY) {
            rows.add(bloom(bits));
        }
        return rows;
    }

    /**
     * Step 6's write amplification at 10^6 keys ({@link LsmLoad}) against {@code other}'s times
     * {@code factor}: met when step 6's is at most that (below it, for a factor of 1).
     */
    private String writeAmplification(String other, String wording, double factor) {
        String target = "write amplification at 10^6 keys " + wording + " (" + LsmLoad.class.getSimpleName()
                + ", each store's own byte count)";
        Optional<LsmLoad.Row> mine = lsmRow("step6");
        Optional<LsmLoad.Row> theirs = lsmRow(other);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return pending("step6", target, "no load of 10^6 keys for step6 or " + other + " in this run (--full has it)");
        }
        double m = mine.get().writeAmplification();
        double t = theirs.get().writeAmplification();
        String shape = lsmRow("rocksdb-step6-shape").map(r -> String.format(Locale.ROOT,
                "; rocksdb in step 6's shape %.2f×", r.writeAmplification())).orElse("");
        String figures = String.format(Locale.ROOT, "step6 %.2f× vs %s %.2f× (%.2f× as much; by the OS write counter "
                + "%.2f× vs %.2f×)%s", m, other, t, m / t, mine.get().osWriteAmplification(),
                theirs.get().osWriteAmplification(), other.equals("rocksdb") ? shape : "");
        boolean strictlyBelow = factor == 1;
        double achieved = strictlyBelow ? (m < t ? 1 : t / m) : factor * t / m;
        return verdict("step6", target, figures, achieved, 1);
    }

    /** Step 6's measured Bloom false-positive rate within 25% of the formula's, for {@code bits} bits per key. */
    private String bloom(int bits) {
        String target = "Bloom false-positive rate within 25% of (1 − e^(−kn/m))^k at " + bits + " bits per key";
        Optional<BloomFalsePositives.Row> row = steps.bloom().stream().filter(r -> r.bitsPerKey() == bits).findFirst();
        if (row.isEmpty()) {
            return pending("step6", target, "step6's filters were not measured at " + bits + " bits per key in this run");
        }
        BloomFalsePositives.Row r = row.get();
        double off = Math.abs(r.ratio() - 1);
        return verdict("step6", target, String.format(Locale.ROOT, "measured %.3f%% (%,d of %,d filter checks), formula "
                        + "%.3f%% with k = %d (%.2f× the formula)", 100 * r.measured(), r.passed(), r.consulted(),
                100 * r.formula(), r.hashFunctions(), r.ratio()), off <= 0.25 ? 1 : 0.25 / off, 1);
    }

    private Optional<LsmLoad.Row> lsmRow(String store) {
        return steps.lsmLoad().stream().filter(r -> r.store().equals(store) && r.keys() == 1_000_000).findFirst();
    }

    /** Step 3's open with hint files at 10^6 keys, against one second; the open without them beside it. */
    private String hintReopen() {
        String target = "open with hint files for 10^6 keys < 1 s";
        Optional<HintFileReopen.Row> row = steps.reopen().stream().filter(r -> r.keys() == 1_000_000).findFirst();
        if (row.isEmpty()) {
            return pending("step3", target, "step3 was not reopened at 10^6 keys in this run");
        }
        HintFileReopen.Row r = row.get();
        return verdict("step3", target, String.format(Locale.ROOT, "with hints %.0f ms (%d hint files read); without "
                        + "%.0f ms (%d segments scanned); %.1f× faster with hints", r.withHintsNanos() / 1e6,
                r.hintsUsed(), r.withoutHintsNanos() / 1e6, r.segmentsScanned(),
                (double) r.withoutHintsNanos() / r.withHintsNanos()), 1e9 / r.withHintsNanos(), 1);
    }

    /** The keydir's bytes per key beyond the key, by step 3's own estimate, the heap measured beside it. */
    private String keydirBytes() {
        String target = "keydir ≤ 48 bytes per key beyond the key bytes (stats keydirBytesPerKey − 16-byte key)";
        Optional<HintFileReopen.Row> row = steps.reopen().stream().reduce((a, b) -> b);
        if (row.isEmpty()) {
            return pending("step3", target, "step3 was not reopened in this run");
        }
        HintFileReopen.Row r = row.get();
        return verdict("step3", target, String.format(Locale.ROOT, "%d B/key beyond the key (keydirBytesPerKey %d); "
                        + "heap measured after open at %,d keys: %.0f B/key, %.0f beyond the key",
                r.keydirOverheadPerKey(), r.keydirBytesPerKey(), r.keys(), r.heapBytesPerKey(),
                r.heapBytesPerKey() - BenchKeys.KEY_SIZE), 48.0 / r.keydirOverheadPerKey(), 1);
    }

    /** Step 4's puts into its buffer pool against RocksDB's relaxed puts ({@link PoolLoad}). */
    private String poolLoad() {
        String target = "put ≥ RocksDB's while the data fits the buffer pool (" + PoolLoad.KEYS
                + " keys, syncEveryWrite off vs RocksDB relaxed, median ns/put)";
        Optional<PoolLoad.Row> row = steps.pool().stream().findFirst();
        if (row.isEmpty()) {
            return pending("step4", target, "step4 or rocksdb not in this run");
        }
        PoolLoad.Row r = row.get();
        double speedup = r.rocksdbNanosPerPut() / r.step4NanosPerPut();
        return verdict("step4", target, String.format(Locale.ROOT, "step4 %.0f ns/put vs rocksdb %.0f ns/put (%.2f× as fast)",
                r.step4NanosPerPut(), r.rocksdbNanosPerPut(), speedup), speedup, 1);
    }

    /** Step 4 loading 10^6 keys in a child JVM with a 64 MiB heap. */
    private String smallHeap() {
        String target = "10^6 keys load with " + SmallHeapLoad.HEAP + " (child JVM, syncEveryWrite off)";
        Optional<SmallHeapLoad.Row> row = steps.smallHeap().stream().findFirst();
        if (row.isEmpty()) {
            return pending("step4", target, "the " + SmallHeapLoad.HEAP + " child did not run");
        }
        SmallHeapLoad.Row r = row.get();
        if (!r.succeeded()) {
            return "| step4 | " + target + " | " + String.format(Locale.ROOT, "%,d of %,d keys, then: %s",
                    r.keysLoaded(), r.keysAsked(), r.failure().replace('|', '/')) + " | **missed** |";
        }
        return verdict("step4", target, String.format(Locale.ROOT, "%,d keys in %.1f s (%.0f ns/put), tree height %d, "
                        + "%,d pages; peak heap ≤ %.0f MiB", r.keysLoaded(), r.loadNanos() / 1e9,
                (double) r.loadNanos() / r.keysLoaded(), r.height(), r.pages(), r.peakHeap() / 1048576.0),
                r.keysLoaded() >= 1_000_000 ? 1 : 0, 1);
    }

    /** Step 5's durable counter against the fastest peer's. */
    private String counterVsPeers() {
        String target = "durable counter faster than every peer's";
        Optional<Double> mine = score("counter", "durable", "step5");
        Optional<Measurement> best = contenders.stream().filter(c -> c.kind() == Contender.Kind.PEER)
                .flatMap(c -> measurements.stream().filter(m -> m.workload().equals("counter")
                        && m.variant().equals("durable") && m.store().equals(c.name())))
                .max(Comparator.comparingDouble(Measurement::score));
        if (mine.isEmpty() || best.isEmpty()) {
            return pending("step5", target, (mine.isEmpty() ? "step5" : "no peer") + " measured in this run");
        }
        double fastest = best.get().score();
        return verdict("step5", target, String.format(Locale.ROOT, "step5 %s increments/s vs fastest peer %s %s/s (%.2f×)",
                Format.rate(mine.get()), best.get().store(), Format.rate(fastest), mine.get() / fastest),
                mine.get() / fastest, 1);
    }

    private Optional<Double> score(String workload, String variant, String store) {
        return measurements.stream().filter(m -> m.workload().equals(workload) && m.variant().equals(variant)
                && m.store().equals(store)).map(Measurement::score).findFirst();
    }

    private String ratio(String step, String target, String workload, String variant, String store, String peer,
                         double factor) {
        return ratio(step, target, workload, variant, store, workload, variant, peer, factor);
    }

    /** {@code store}'s figure in one workload and variant against {@code peer}'s in another (or the same). */
    private String ratio(String step, String target, String workload, String variant, String store,
                         String peerWorkload, String peerVariant, String peer, double factor) {
        Optional<Double> mine = score(workload, variant, store);
        Optional<Double> theirs = score(peerWorkload, peerVariant, peer);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return pending(step, target, (mine.isEmpty() ? store : peer) + " not measured in this run");
        }
        String theirName = peer.equals(store) ? peer + " " + peerVariant : peer;
        return verdict(step, target, String.format(Locale.ROOT, "%s %s ops/s vs %s %s ops/s (%.2f×)", store,
                Format.rate(mine.get()), theirName, Format.rate(theirs.get()), mine.get() / theirs.get()),
                mine.get() / theirs.get(), factor);
    }

    private String commitRatio(String step, String target, String variant, String floor, double factor) {
        Optional<Double> mine = score("commit", variant, step);
        Optional<Double> limit = score("commit", variant, floor);
        if (mine.isEmpty() || limit.isEmpty()) {
            return pending(step, target, (mine.isEmpty() ? step : floor) + " not measured in this run");
        }
        return verdict(step, target, String.format(Locale.ROOT, "%s vs %s commits/s (%.2f×)", Format.rate(mine.get()),
                Format.rate(limit.get()), mine.get() / limit.get()), mine.get() / limit.get(), factor);
    }

    private String loadRatio(String step, String target, long n, String store, String peer, double factor) {
        Optional<ScalingRow> mine = row(store, n);
        Optional<ScalingRow> theirs = row(peer, n);
        if (mine.isEmpty() || theirs.isEmpty() || mine.get().stoppedEarly()) {
            return pending(step, target, "no complete load of " + n + " keys for " + store + " or " + peer);
        }
        double speedup = theirs.get().nanosPerPut() / mine.get().nanosPerPut();
        return verdict(step, target, String.format(Locale.ROOT, "%s %.0f ns/put vs %s %.0f ns/put (%.2f× as fast)",
                store, mine.get().nanosPerPut(), peer, theirs.get().nanosPerPut(), speedup), speedup, factor);
    }

    /**
     * Step 1's durable counter against its physical floor, {@link RawReplaceContender}: the same
     * two syncs per write (the file, then the directory) around the same create and rename, without
     * step 1's code. Half the raw fsync rate, the floor a first guess would take, is shown beside it.
     */
    private String step1Floor() {
        String target = "durable counter within 1.2× of its floor (two syncs per write: raw-replace, the same "
                + "file operations without step 1's code)";
        Optional<Double> mine = score("counter", "durable", "step1");
        Optional<Double> floor = score("counter", "durable", "raw-replace");
        Optional<Double> raw = score("counter", "durable", "raw-append");
        if (mine.isEmpty() || floor.isEmpty()) {
            return pending("step1", target, "step1 or raw-replace not measured in this run");
        }
        String halfRaw = raw.map(r -> String.format(Locale.ROOT, "; half the raw append fsync rate would be %s/s",
                Format.rate(r / 2))).orElse("");
        return verdict("step1", target, String.format(Locale.ROOT, "%s increments/s vs floor %s/s (step1 takes %.2f× "
                        + "the floor's time)%s", Format.rate(mine.get()), Format.rate(floor.get()),
                floor.get() / mine.get(), halfRaw), mine.get() * 1.2 / floor.get(), 1);
    }

    /**
     * Cost per put linear in N. The scaling run times whole loads, so what it sees is the average
     * cost of a put while the map grows from 0 to N: c + b × N / 2 for a put costing c + b × (keys
     * so far). That is a straight line in N, but not proportional to N while the fixed part c (a
     * file created, written, synced and renamed) is large, so a log-log slope of 1 is the wrong test.
     * This fits the line by least squares over every step-1 load of at least 1,000 keys and calls
     * the target met when the line fits (R² ≥ 0.9 over at least three loads) and its growing part
     * is at least half the cost at the largest N: linear, and plainly visible.
     */
    private String step1Linear() {
        String target = "cost per put rising linearly with N (least-squares line through the loads)";
        List<ScalingRow> rows = scaling.stream().filter(r -> r.store().equals("step1") && r.keysLoaded() >= 1000).toList();
        if (rows.size() < 3) {
            return pending("step1", target, "fewer than three step1 loads of ≥ 1,000 keys (two points fit any line)");
        }
        double n = rows.size();
        double sumX = 0, sumY = 0, sumXX = 0, sumXY = 0;
        for (ScalingRow r : rows) {
            double x = r.keysLoaded();
            double y = r.nanosPerPut();
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumXY += x * y;
        }
        double slope = (n * sumXY - sumX * sumY) / (n * sumXX - sumX * sumX);
        double intercept = (sumY - slope * sumX) / n;
        double meanY = sumY / n;
        double residual = 0, total = 0;
        for (ScalingRow r : rows) {
            double fitted = intercept + slope * r.keysLoaded();
            residual += Math.pow(r.nanosPerPut() - fitted, 2);
            total += Math.pow(r.nanosPerPut() - meanY, 2);
        }
        double rSquared = total == 0 ? 0 : 1 - residual / total;
        ScalingRow last = rows.get(rows.size() - 1);
        double growing = slope * last.keysLoaded() / (intercept + slope * last.keysLoaded());
        double achieved = slope <= 0 ? 0 : Math.min(rSquared / 0.9, growing / 0.5);
        return verdict("step1", target, String.format(Locale.ROOT, "%d loads, %,d to %,d keys: ns/put ≈ %.0f + %.1f × N "
                        + "(R² %.3f); at %,d keys the growing part is %.0f%% of a put's cost", rows.size(),
                rows.get(0).keysLoaded(), last.keysLoaded(), intercept, slope, rSquared, last.keysLoaded(), 100 * growing),
                achieved, 1);
    }

    private Optional<ScalingRow> row(String store, long n) {
        return scaling.stream().filter(r -> r.store().equals(store) && r.keysAsked() == n).findFirst();
    }

    private static String verdict(String step, String target, String figures, double achieved, double needed) {
        String verdict = achieved >= needed ? "**met**"
                : String.format(Locale.ROOT, "**missed** (at %.0f%% of the target)", 100 * achieved / needed);
        return "| " + step + " | " + target + " | " + figures + " | " + verdict + " |";
    }

    private static String pending(String step, String target, String why) {
        return "| " + step + " | " + target + " | — | not measured: " + why + " |";
    }
}
