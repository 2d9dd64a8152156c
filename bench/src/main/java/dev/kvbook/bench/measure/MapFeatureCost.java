package dev.kvbook.bench.measure;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.MapStats;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.bench.BenchKeys;
import dev.kvbook.bench.Dirs;
import dev.kvbook.bench.NoSyncVfs;
import dev.kvbook.bench.Zipf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: what each {@link PersistentMap} feature costs over step 3, measured by hand. For
 * the bare store, the map with every feature off, and the map with each feature on alone and all
 * together, it loads the same N keys (16-byte keys, 100-byte values, fsync skipped, one sync at the
 * end) and reports:
 * <ul>
 *   <li>bytes on disk per entry right after the load (a count: the same on every machine);</li>
 *   <li>gets per second, uniform and Zipfian over the N keys, and the read cache's hit rate;</li>
 *   <li>sets per second (overwrites of loaded keys, fsync skipped).</li>
 * </ul>
 * The variants are measured in rounds, each round timing every variant in turn (starting with a
 * different one each round), and the median round is printed: on a shared machine a burst of
 * other work then slows one round of every variant instead of every round of one. Still a
 * measurement of this machine, now: compare the rows with each other, not with another run.
 * <pre>
 * bench/measure.sh MapFeatureCost [keys] [rounds] [--out bench/results/map-features.csv]
 *                                                     # defaults: 10000 keys, 7 rounds
 * </pre>
 * With {@code --out}, the table is also written as CSV (one row per variant, with the machine and
 * the date), the file the book's figures about the map's features are checked against.
 * The JMH bench measures the same variants with forks and warm-ups ({@code bench/run.sh --only
 * 'map-'}); this program exists to compare them side by side in one JVM.
 */
public final class MapFeatureCost {

    /** Milliseconds each variant runs per round and per operation kind. */
    private static final long SLICE_MILLIS = 250;
    /** The cache the cache variants get: a tenth of the default N, so it cannot hold everything. */
    private static final int CACHE_ENTRIES = 1_000;

    /** One thing measured: a store, or a map with some options. */
    private interface Variant extends AutoCloseable {
        /** A short name without spaces, for selecting the variant's row in the CSV. */
        String id();

        String name();

        byte[] get(byte[] key);

        void set(byte[] key, byte[] value);

        /** Makes every write so far durable (and, for a map, writes its noted access times). */
        void sync();

        long bytesOnDisk();

        /** Cache hits and misses so far, or null without a cache. */
        long[] cache();

        /** Access times written back to the store so far (metadata, expiry after access): reads that became writes. */
        long accessWrites();

        @Override
        void close();
    }

    private MapFeatureCost() {
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>(Arrays.asList(args));
        Path out = ResultFile.takeOutOption(positional);
        int keys = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10_000;
        int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 7;
        Path home = Files.createTempDirectory("kvbook-mapcost");
        List<Variant> variants = open(home);
        try {
            long[] onDisk = new long[variants.size()];
            for (int i = 0; i < variants.size(); i++) {
                load(variants.get(i), keys);
                onDisk[i] = variants.get(i).bytesOnDisk(); // before the sets below add superseded records
            }
            int[] uniform = Zipf.draws("uniform", keys, 1 << 16, 42);
            int[] zipfian = Zipf.draws("zipfian", keys, 1 << 16, 43);
            for (int warm = 0; warm < 2; warm++) { // let the JIT compile every variant's path first
                variants.forEach(v -> gets(v, uniform, 20_000));
            }
            double[][] results = new double[variants.size()][];
            List<List<double[]>> samples = new ArrayList<>();
            variants.forEach(v -> samples.add(new ArrayList<>()));
            long[][] cacheUniform = new long[variants.size()][2];
            long[][] cacheZipfian = new long[variants.size()][2];
            long[][] accessUniform = new long[variants.size()][2]; // access times written, gets made
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < variants.size(); i++) {
                    int at = (i + r) % variants.size();
                    Variant v = variants.get(at);
                    double u = timed(v, uniform, cacheUniform[at], accessUniform[at]);
                    double z = timed(v, zipfian, cacheZipfian[at], new long[2]);
                    double s = timedSets(v, uniform);
                    samples.get(at).add(new double[] {u, z, s});
                }
            }
            for (int i = 0; i < variants.size(); i++) {
                results[i] = medians(samples.get(i));
            }
            ResultFile file = print(variants, keys, rounds, onDisk, results, cacheUniform, cacheZipfian, accessUniform);
            if (out != null) {
                file.write(out);
            }
        } finally {
            variants.forEach(Variant::close);
            Dirs.deleteRecursively(home);
        }
    }

    /** Step 3 bare, then through the map with each set of options. */
    private static List<Variant> open(Path home) {
        List<Variant> variants = new ArrayList<>();
        variants.add(bare(home.resolve("step3")));
        MapOptions off = MapOptions.defaults();
        variants.add(map(home, "off", "map, every feature off", off));
        variants.add(map(home, "expiry", "map + expiry (30d after creation)", off.withExpireAfterCreation(Duration.ofDays(30))));
        variants.add(map(home, "metadata", "map + metadata", off.withMetadata(true)));
        variants.add(map(home, "cache", "map + cache (" + CACHE_ENTRIES + " entries)", off.withReadCache(CACHE_ENTRIES, 64L << 20)));
        variants.add(map(home, "long-keys", "map + long keys", off.withLongKeys(true)));
        variants.add(map(home, "all", "map + all four (expiry after access)", off.withExpireAfterAccess(Duration.ofDays(30))
                .withMetadata(true).withReadCache(CACHE_ENTRIES, 64L << 20).withLongKeys(true)));
        return variants;
    }

    private static Variant bare(Path path) {
        KeyValueStore store = Stores.open("step3", path, new NoSyncVfs(Vfs.local()));
        return new Variant() {
            @Override public String id() { return "bare"; }
            @Override public String name() { return "step3 store, no map"; }
            @Override public byte[] get(byte[] key) { return store.get(key); }
            @Override public void set(byte[] key, byte[] value) { store.put(key, value); }
            @Override public void sync() { store.sync(); }
            @Override public long bytesOnDisk() { return store.stats().bytesOnDisk(); }
            @Override public long[] cache() { return null; }
            @Override public long accessWrites() { return 0; }
            @Override public void close() { store.close(); }
        };
    }

    private static Variant map(Path home, String id, String name, MapOptions options) {
        Path path = home.resolve("map-" + home.toFile().list().length);
        PersistentMap<byte[], byte[]> map = PersistentMap.open("step3", path, new NoSyncVfs(Vfs.local()),
                Codecs.BYTES, Codecs.BYTES, options);
        return new Variant() {
            @Override public String id() { return id; }
            @Override public String name() { return name; }
            @Override public byte[] get(byte[] key) { return map.get(key); }
            @Override public void set(byte[] key, byte[] value) { map.set(key, value); }
            @Override public void sync() { map.sync(); }
            @Override public long bytesOnDisk() { return map.store().stats().bytesOnDisk(); }

            @Override
            public long[] cache() {
                MapStats stats = map.stats();
                return options.caches() ? new long[] {stats.cacheHits(), stats.cacheMisses()} : null;
            }

            @Override public long accessWrites() { return map.stats().accessTimesWritten(); }
            @Override public void close() { map.close(); }
        };
    }

    private static void load(Variant v, int keys) {
        for (int i = 0; i < keys; i++) {
            v.set(BenchKeys.key(i), BenchKeys.value(i, 0));
        }
        v.sync();
    }

    /**
     * Gets per second over one slice; adds the slice's cache hits and misses to {@code cache}, and
     * its access times written and gets made to {@code access}.
     */
    private static double timed(Variant v, int[] order, long[] cache, long[] access) {
        long[] before = v.cache();
        long writesBefore = v.accessWrites();
        long start = System.nanoTime();
        long deadline = start + SLICE_MILLIS * 1_000_000;
        int n = 0;
        while (System.nanoTime() < deadline) {
            n += gets(v, order, 256);
        }
        double rate = n * 1e9 / (System.nanoTime() - start);
        access[0] += v.accessWrites() - writesBefore;
        access[1] += n;
        long[] after = v.cache();
        if (after != null) {
            cache[0] += after[0] - before[0];
            cache[1] += after[1] - before[1];
        }
        return rate;
    }

    /** Where the next get reads in its draws: the draws are cycled through, never restarted. */
    private static int next;

    /** Makes {@code count} gets of keys drawn from {@code order}; returns {@code count}. */
    private static int gets(Variant v, int[] order, int count) {
        for (int j = 0; j < count; j++) {
            int i = order[next++ & (order.length - 1)];
            if (v.get(BenchKeys.key(i)) == null) {
                throw new AssertionError(v.name() + " lost key " + i);
            }
        }
        return count;
    }

    /** Sets per second (overwrites of loaded keys, values of the same size) over one slice. */
    private static double timedSets(Variant v, int[] order) {
        long start = System.nanoTime();
        long deadline = start + SLICE_MILLIS * 1_000_000;
        int n = 0;
        while (System.nanoTime() < deadline) {
            int i = order[n & (order.length - 1)];
            v.set(BenchKeys.key(i), BenchKeys.value(i, 0));
            n++;
        }
        return n * 1e9 / (System.nanoTime() - start);
    }

    private static double[] medians(List<double[]> rows) {
        double[] medians = new double[rows.get(0).length];
        for (int c = 0; c < medians.length; c++) {
            int column = c;
            double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            medians[c] = values[values.length / 2];
        }
        return medians;
    }

    /** Prints the table and returns it as a result file. */
    private static ResultFile print(List<Variant> variants, int keys, int rounds, long[] onDisk, double[][] results,
                                    long[][] cu, long[][] cz, long[][] access) {
        ResultFile file = new ResultFile("id", "variant", "keys", "rounds", "disk_bytes_per_key", "gets_per_s_uniform",
                "gets_per_s_zipfian", "sets_per_s", "cache_hit_pct_uniform", "cache_hit_pct_zipfian",
                "access_writes_per_get_uniform");
        System.out.printf(Locale.ROOT, "# PersistentMap over step 3: %,d keys (16 B keys, 100 B values), fsync skipped;"
                + " median of %d rounds of %d ms per figure%n", keys, rounds, SLICE_MILLIS);
        System.out.printf(Locale.ROOT, "# %s, %d cores, %s%n", ZonedDateTime.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version"));
        System.out.printf(Locale.ROOT, "%-38s %10s %13s %13s %11s %15s%n", "variant", "disk B/key", "gets/s unif.",
                "gets/s Zipf", "sets/s", "cache hits u/z");
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            String hits = v.cache() == null ? "-" : percent(cu[i]) + " / " + percent(cz[i]);
            System.out.printf(Locale.ROOT, "%-38s %10.1f %,13.0f %,13.0f %,11.0f %15s%n", v.name(),
                    (double) onDisk[i] / keys, results[i][0], results[i][1], results[i][2], hits);
            file.row(v.id(), v.name(), keys, rounds, String.format(Locale.ROOT, "%.1f", (double) onDisk[i] / keys),
                    Math.round(results[i][0]), Math.round(results[i][1]), Math.round(results[i][2]),
                    v.cache() == null ? "" : percentValue(cu[i]), v.cache() == null ? "" : percentValue(cz[i]),
                    String.format(Locale.ROOT, "%.2f", (double) access[i][0] / Math.max(1, access[i][1])));
        }
        return file;
    }

    private static String percentValue(long[] hitsMisses) {
        long reads = hitsMisses[0] + hitsMisses[1];
        return reads == 0 ? "" : String.format(Locale.ROOT, "%.1f", 100.0 * hitsMisses[0] / reads);
    }

    private static String percent(long[] hitsMisses) {
        long reads = hitsMisses[0] + hitsMisses[1];
        return reads == 0 ? "-" : Math.round(100.0 * hitsMisses[0] / reads) + "%";
    }
}
