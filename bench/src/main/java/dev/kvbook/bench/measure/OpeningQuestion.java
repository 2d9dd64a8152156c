package dev.kvbook.bench.measure;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.bench.Dirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the workbook's opening question, measured. "My dict is too big to pickle on every
 * change; what do I use?" The question's own workload, the one notebook 07 runs: N small entries
 * ({@code user:i} → a 30-odd-byte JSON string), each {@code set} durable before it returns, then
 * five rounds of reading every entry back. Run three ways:
 * <ul>
 *   <li>as a pickled dict: {@link PersistentMap} over step 1, every feature off, so every set
 *       rewrites the whole map;</li>
 *   <li>as {@code PersistentMap} over step 3 and over step 5, with expiry (30 days after creation,
 *       so nothing expires during the run) and a read cache of N entries on.</li>
 * </ul>
 * A {@link CountingVfs} under each store counts the bytes written and the fsyncs: counts, the
 * same on every machine. The times are this machine's: each variant runs {@code rounds} times,
 * the variants alternating, and the file holds the median and the spread.
 * <pre>
 * bench/measure.sh OpeningQuestion [entries] [rounds] [--out bench/results/map-question.csv]
 *                                                   # defaults: 1000 entries, 3 rounds
 * </pre>
 */
public final class OpeningQuestion {

    private static final int READ_ROUNDS = 5;

    /** A variant: {@code id} selects its row in the CSV (no spaces, no commas). */
    private record Variant(String id, String name, String store, MapOptions options) {
    }

    /** One run of one variant: its times and its counts. */
    private record Run(long setNanos, long readNanos, long bytesWritten, long syncs, long bytesOnDisk, long cacheHits) {
    }

    private OpeningQuestion() {
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>(Arrays.asList(args));
        Path out = ResultFile.takeOutOption(positional);
        int entries = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 1_000;
        int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 3;

        MapOptions expiryAndCache = MapOptions.defaults().withExpireAfterCreation(Duration.ofDays(30))
                .withReadCache(entries, 16L << 20);
        List<Variant> variants = List.of(
                new Variant("pickled", "a pickled dict (step 1)", "step1", MapOptions.defaults()),
                new Variant("map-step3", "PersistentMap over step 3, expiry + cache", "step3", expiryAndCache),
                new Variant("map-step5", "PersistentMap over step 5, expiry + cache", "step5", expiryAndCache));

        Path home = Files.createTempDirectory("kvbook-question");
        List<List<Run>> runs = new ArrayList<>();
        variants.forEach(v -> runs.add(new ArrayList<>()));
        try {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < variants.size(); i++) {
                    int which = (i + r) % variants.size(); // a burst of other work slows one run of each, not every run of one
                    runs.get(which).add(run(variants.get(which), home.resolve(r + "-" + which), entries));
                }
            }
        } finally {
            Dirs.deleteRecursively(home);
        }

        ResultFile file = new ResultFile("id", "variant", "store", "entries", "rounds", "set_ms_median", "set_ms_min",
                "set_ms_max", "read_ms_median", "bytes_written", "fsyncs", "bytes_on_disk", "cache_hits",
                "bytes_written_per_set", "fsyncs_per_set");
        System.out.printf(Locale.ROOT, "# %,d entries set durably, then read back %d times; median of %d rounds%n",
                entries, READ_ROUNDS, rounds);
        System.out.printf(Locale.ROOT, "%-44s %9s %9s %15s %8s %13s%n", "variant", "sets ms", "reads ms",
                "bytes written", "fsyncs", "bytes on disk");
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            List<Run> rs = runs.get(i);
            Run counts = rs.get(rs.size() - 1);
            for (Run other : rs) { // counts are the same every run; a difference would mean a measurement of chance
                if (other.bytesWritten != counts.bytesWritten || other.syncs != counts.syncs) {
                    System.out.printf("# note: %s wrote %d bytes / %d fsyncs in one run, %d / %d in another%n", v.name,
                            other.bytesWritten, other.syncs, counts.bytesWritten, counts.syncs);
                }
            }
            double setMedian = median(rs, Run::setNanos) / 1e6;
            double readMedian = median(rs, Run::readNanos) / 1e6;
            double setMin = rs.stream().mapToLong(Run::setNanos).min().orElseThrow() / 1e6;
            double setMax = rs.stream().mapToLong(Run::setNanos).max().orElseThrow() / 1e6;
            System.out.printf(Locale.ROOT, "%-44s %9.0f %9.1f %,15d %,8d %,13d%n", v.name, setMedian, readMedian,
                    counts.bytesWritten, counts.syncs, counts.bytesOnDisk);
            file.row(v.id, v.name, v.store, entries, rounds, fixed(setMedian), fixed(setMin), fixed(setMax), fixed(readMedian),
                    counts.bytesWritten, counts.syncs, counts.bytesOnDisk, counts.cacheHits,
                    fixed((double) counts.bytesWritten / entries), fixed((double) counts.syncs / entries));
        }
        if (out != null) {
            file.write(out);
        }
    }

    private static Run run(Variant v, Path dir, int entries) {
        CountingVfs vfs = new CountingVfs(Vfs.local());
        try (PersistentMap<String, String> map = PersistentMap.open(v.store, dir, vfs, Codecs.STRING, Codecs.STRING,
                v.options)) {
            vfs.reset(); // count the workload, not creating the store
            long start = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                map.set("user:" + i, "{\"visits\": " + i + ", \"theme\": \"dark\"}");
            }
            long sets = System.nanoTime() - start;
            long written = vfs.total().bytesWritten();
            long syncs = vfs.total().syncs();
            start = System.nanoTime();
            for (int round = 0; round < READ_ROUNDS; round++) {
                for (int i = 0; i < entries; i++) {
                    if (map.get("user:" + i) == null) {
                        throw new AssertionError(v.name + " lost user:" + i);
                    }
                }
            }
            long reads = System.nanoTime() - start;
            return new Run(sets, reads, written, syncs, map.store().stats().bytesOnDisk(), map.stats().cacheHits());
        }
    }

    private static double median(List<Run> runs, java.util.function.ToLongFunction<Run> what) {
        long[] values = runs.stream().mapToLong(what).sorted().toArray();
        return values[values.length / 2];
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
