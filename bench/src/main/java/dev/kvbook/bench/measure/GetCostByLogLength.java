package dev.kvbook.bench.measure;

import dev.kvbook.bench.Dirs;
import dev.kvbook.applog.AppendLogStore;
import dev.kvbook.api.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Not a test: a small measurement to run by hand, showing step 2's lesson in numbers. Puts cost
 * the same however long the log is; a get costs a read of the whole log, so its time grows in
 * proportion to the number of records.
 *
 * <p>For each N it loads N records (16-byte keys, 100-byte values, {@code syncEveryWrite} off, so
 * the page cache holds the log and the numbers show CPU and memory cost rather than the disk),
 * then times gets of random keys. Run it with the module's test class path, for example:
 * <pre>
 * bench/measure.sh GetCostByLogLength
 * </pre>
 * Proper benchmarks, with JMH and side by side with real engines, live in {@code bench/}.
 */
public final class GetCostByLogLength {

    private static final int KEY_SIZE = 16;
    private static final int VALUE_SIZE = 100;

    private GetCostByLogLength() {
    }

    public static void main(String[] args) throws IOException {
        measure(10_000, false); // warm-up round, not printed: lets the JIT compile the hot paths first
        System.out.printf("%9s  %10s  %12s  %12s  %16s%n", "records", "log bytes", "put (us)", "get (us)",
                "get ns / record");
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            measure(n, true);
        }
    }

    private static void measure(int n, boolean print) throws IOException {
        Path dir = Files.createTempDirectory("kvbook-getcost");
        Random random = new Random(n);
        try (AppendLogStore store = AppendLogStore.open(dir.resolve("store.log"),
                AppendLogStore.Options.defaults().withSyncEveryWrite(false))) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.put(key(i), value(random));
            }
            double putMicros = (System.nanoTime() - start) / 1e3 / n;
            store.sync();
            timeGets(store, random, n, 20); // warm up the JIT and the page cache
            double getMicros = timeGets(store, random, n, 1_000_000_000L);
            if (print) {
                System.out.printf("%9d  %10d  %12.2f  %12.1f  %16.1f%n", n, store.stats().bytesOnDisk(), putMicros,
                        getMicros, getMicros * 1e3 / n);
            }
        } finally {
            Dirs.deleteRecursively(dir);
        }
    }

    /** Gets random present keys for at least {@code budgetNanos} (and at least 20 gets); returns the mean in us. */
    private static double timeGets(AppendLogStore store, Random random, int n, long budgetNanos) {
        int gets = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            if (store.get(key(random.nextInt(n))) == null) {
                throw new AssertionError("a key that was put is missing");
            }
            gets++;
            elapsed = System.nanoTime() - start;
        } while (gets < 20 || elapsed < budgetNanos);
        return elapsed / 1e3 / gets;
    }

    /** Key number {@code i}: 16 ASCII bytes, {@code key-000000000042}. */
    private static byte[] key(int i) {
        assert KEY_SIZE == 4 + 12;
        return String.format("key-%012d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] value(Random random) {
        byte[] value = new byte[VALUE_SIZE];
        random.nextBytes(value);
        return value;
    }

}
