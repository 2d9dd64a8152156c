package dev.kvbook.bench;

import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.lsm.LsmStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 6's Bloom filters, measured in the store: how often a filter says "maybe" for a key its
 * table does not hold, against the formula {@code (1 - e^(-k n / m))^k}.
 *
 * <p>Load N keys into step 6 with {@code b} bits per key, flush, then get N keys that were never
 * written ({@link BenchKeys#key} numbers N to 2N-1, spread over the same key space). For each
 * such get the store looks at every table whose key range holds the key: its filter either rules
 * the table out ({@code bloomSkips} in the store's figures) or lets the get read it
 * ({@code tableProbes}). No table holds any of these keys, so every probe is a false positive:
 * the measured rate is {@code probes / (probes + skips)}, over every table consulted. The store's
 * filters have {@code m = n × b} bits for a table of {@code n} keys (at least 64) and
 * {@code k = round(b ln 2)} hash functions, so the formula's rate is {@code (1 - e^(-k / b))^k}.
 */
public final class BloomFalsePositives {

    /** The columns of {@code bloom-fp.csv}, one per {@link Row#cells()}. */
    public static final String HEADER = "bits_per_key,hash_functions,keys,tables,tables_consulted,false_positives,"
            + "measured_rate,formula_rate,measured_over_formula";

    /** The bits per key measured: step 6's default, 10, and half of it. */
    public static final int[] BITS_PER_KEY = {10, 5};

    /**
     * One setting.
     *
     * @param bitsPerKey    b
     * @param hashFunctions k, as the store chooses it: {@code round(b ln 2)}
     * @param keys          N, the keys loaded (and the absent keys asked for)
     * @param tables        tables in the store after the load
     * @param consulted     tables whose key range held an absent key: filter checks
     * @param passed        of those, the filter checks that said "maybe": false positives
     */
    public record Row(int bitsPerKey, int hashFunctions, long keys, long tables, long consulted, long passed) {

        /** The measured false-positive rate. */
        public double measured() {
            return consulted == 0 ? Double.NaN : (double) passed / consulted;
        }

        /** The formula's rate for this b and k. */
        public double formula() {
            return formulaRate(bitsPerKey, hashFunctions);
        }

        /** Measured over formula: 1 when theory and store agree. */
        public double ratio() {
            return measured() / formula();
        }

        /** The row as the values of {@link #HEADER}'s columns. */
        public List<String> cells() {
            return List.of(Integer.toString(bitsPerKey), Integer.toString(hashFunctions), Long.toString(keys),
                    Long.toString(tables), Long.toString(consulted), Long.toString(passed), CsvFiles.number(measured()),
                    CsvFiles.number(formula()), CsvFiles.number(ratio()));
        }
    }

    private BloomFalsePositives() {
    }

    /** {@code round(b ln 2)}, at least 1: the hash functions step 6 uses for {@code b} bits per key. */
    static int hashFunctions(int bitsPerKey) {
        return (int) Math.max(1, Math.min(30, Math.round(bitsPerKey * Math.log(2))));
    }

    /** {@code (1 - e^(-k / b))^k}: the formula with {@code m / n = b}. */
    static double formulaRate(int bitsPerKey, int k) {
        return Math.pow(1 - Math.exp(-(double) k / bitsPerKey), k);
    }

    /** Measures each of {@code bitsPerKey} with {@code keys} keys, in a fresh directory under {@code home}. */
    public static List<Row> run(Path home, long keys, int[] bitsPerKey) {
        List<Row> rows = new ArrayList<>();
        for (int b : bitsPerKey) {
            Path dir = Dirs.fresh(home, "bloom-" + b);
            try (LsmStore store = LsmStore.open(dir.resolve("store"), LsmStore.Options.defaults()
                    .withVfs(new NoSyncVfs(Vfs.local())).withBloomBitsPerKey(b))) {
                for (long i = 0; i < keys; i++) {
                    store.put(BenchKeys.key(i), BenchKeys.value(i, 0));
                }
                store.flush();
                StoreStats before = store.stats();
                for (long i = keys; i < 2 * keys; i++) {
                    if (store.get(BenchKeys.key(i)) != null) {
                        throw new IllegalStateException("step 6 found key " + i + ", which was never written");
                    }
                }
                StoreStats after = store.stats();
                long passed = count(after, "tableProbes") - count(before, "tableProbes");
                long skipped = count(after, "bloomSkips") - count(before, "bloomSkips");
                Row row = new Row(b, hashFunctions(b), keys, count(after, "tables"), passed + skipped, passed);
                System.out.println("# bloom: " + row + String.format(java.util.Locale.ROOT,
                        " measured %.4f%%, formula %.4f%%", 100 * row.measured(), 100 * row.formula()));
                rows.add(row);
            } finally {
                Dirs.deleteRecursively(dir);
            }
        }
        return rows;
    }

    private static long count(StoreStats stats, String name) {
        Object value = stats.detail(name);
        if (!(value instanceof Number number)) {
            throw new IllegalStateException("step 6's figures have no count '" + name + "': " + stats.details().keySet());
        }
        return number.longValue();
    }
}
