package dev.kvbook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets, judged against the figures of the same run (never as test assertions): each
 * becomes a line saying met, missed (by how much) or not measured, and why.
 */
final class Targets {

    private final List<Measurement> measurements;
    private final List<ScalingRow> scaling;

    Targets(List<Measurement> measurements, List<ScalingRow> scaling) {
        this.measurements = measurements;
        this.scaling = scaling;
    }

    /** One Markdown table row per target: step, target, figures, verdict. */
    List<String> rows() {
        List<String> rows = new ArrayList<>();
        rows.add(ratio("step3", "point get ≥ 2× RocksDB's (uniform)", "point-read", "uniform", "step3", "rocksdb", 2));
        rows.add(ratio("step3", "point get ≥ LMDB's (uniform)", "point-read", "uniform", "step3", "lmdb", 1));
        rows.add(ratio("step3", "put without per-write sync ≥ 1.5× RocksDB's (relaxed counter)", "counter", "relaxed",
                "step3", "rocksdb", 1.5));
        rows.add(pending("step3", "open with hint files for 10^6 keys < 1 s; keydir ≤ 48 B/key beyond the key",
                "needs step 3's hint-file switch and a 10^6 run (--full)"));
        rows.add(ratio("step4", "point get ≥ H2 MVStore's (uniform)", "point-read", "uniform", "step4", "h2-mvstore", 1));
        rows.add(loadRatio("step4", "put ≥ RocksDB's while the data fits the buffer pool (load of 10^4, ns/put)",
                10_000, "step4", "rocksdb", 1));
        rows.add(pending("step4", "10^6 keys load with -Xmx64m", "needs a forked -Xmx64m run (--full, not yet wired)"));
        rows.add(commitRatio("step5", "durable commits, 1 thread ≥ 0.9× raw fsync rate", "1 thread", "raw-append", 0.9));
        rows.add(pending("step5", "8 threads ≥ 4× its 1-thread figure and ≥ SQLite's at 8 threads; durable counter "
                + "faster than every peer's", "step 5 is not on the class path yet"));
        rows.add(step1Floor());
        rows.add(step1Linear());
        return rows;
    }

    private Optional<Double> score(String workload, String variant, String store) {
        return measurements.stream().filter(m -> m.workload().equals(workload) && m.variant().equals(variant)
                && m.store().equals(store)).map(Measurement::score).findFirst();
    }

    private String ratio(String step, String target, String workload, String variant, String store, String peer,
                         double factor) {
        Optional<Double> mine = score(workload, variant, store);
        Optional<Double> theirs = score(workload, variant, peer);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return pending(step, target, (mine.isEmpty() ? store : peer) + " not measured in this run");
        }
        return verdict(step, target, String.format(Locale.ROOT, "%s %s ops/s vs %s %s ops/s (%.2f×)", store,
                Format.rate(mine.get()), peer, Format.rate(theirs.get()), mine.get() / theirs.get()),
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

    /** Step 1 writes twice per durable put: the file, then the directory. Its floor is half the raw fsync rate. */
    private String step1Floor() {
        String target = "durable counter within 1.2× of its floor (two syncs per write = raw fsync rate / 2)";
        Optional<Double> mine = score("counter", "durable", "step1");
        Optional<Double> raw = score("counter", "durable", "raw-append");
        if (mine.isEmpty() || raw.isEmpty()) {
            return pending("step1", target, "step1 or raw-append not measured in this run");
        }
        double floor = raw.get() / 2;
        return verdict("step1", target, String.format(Locale.ROOT, "%s increments/s vs floor %s/s (step1 takes %.2f× the floor's time)",
                Format.rate(mine.get()), Format.rate(floor), floor / mine.get()), mine.get() * 1.2 / floor, 1);
    }

    /** Cost per put linear in N: the ns/put ratio between two loads should track the ratio of their N. */
    private String step1Linear() {
        String target = "cost per put rising linearly with N";
        List<ScalingRow> rows = scaling.stream().filter(r -> r.store().equals("step1") && r.keysLoaded() >= 1000).toList();
        if (rows.size() < 2) {
            return pending("step1", target, "fewer than two step1 loads of ≥ 1,000 keys");
        }
        ScalingRow first = rows.get(0);
        ScalingRow last = rows.get(rows.size() - 1);
        double keys = (double) last.keysLoaded() / first.keysLoaded();
        double cost = last.nanosPerPut() / first.nanosPerPut();
        double slope = Math.log(cost) / Math.log(keys);
        return verdict("step1", target, String.format(Locale.ROOT,
                "%,d → %,d keys: ns/put ×%.1f for keys ×%.1f (log-log slope %.2f; 1 = linear)", first.keysLoaded(),
                last.keysLoaded(), cost, keys, slope), slope / 0.7, 1);
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
