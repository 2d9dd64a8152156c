package dev.kvbook.bench.measure;

import dev.kvbook.btree.BTreeStore;
import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.StoreStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A scaling run, not a test: loads N random keys (16-byte keys, 100-byte values, durable only
 * at the final sync) for N = 10^4, 10^5, 10^6 and reports put, point-get and 100-key range-scan
 * throughput, the tree height and the heap in use. Run it with a small heap to see that memory
 * is the buffer pool, not the data:
 * <pre>
 * JAVA_OPTS=-Xmx64m bench/measure.sh BTreeScaling [N...]
 * </pre>
 * The numbers belong in notes and in {@code bench/}, never in assertions.
 */
public final class BTreeScaling {

    private BTreeScaling() {
    }

    public static void main(String[] args) throws IOException {
        long[] sizes = args.length == 0 ? new long[] {10_000, 100_000, 1_000_000}
                : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        System.out.printf("%10s %12s %12s %14s %7s %10s %9s%n", "keys", "puts/s", "gets/s", "scans(100)/s",
                "height", "file MiB", "heap MiB");
        for (long n : sizes) {
            Path dir = Files.createTempDirectory("btree-scaling");
            try {
                run(dir.resolve("tree.db"), (int) n);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    private static void run(Path file, int n) {
        BTreeStore.Options options = BTreeStore.Options.defaults().withSyncEveryWrite(false);
        byte[] value = new byte[100];
        long putStart = System.nanoTime();
        try (BTreeStore store = BTreeStore.open(file, options)) {
            Random keys = new Random(1);
            for (int i = 0; i < n; i++) {
                keys.nextBytes(value);
                store.put(key(keys), value);
            }
            store.sync();
            double puts = n / seconds(putStart);

            int lookups = Math.min(n, 200_000);
            Random again = new Random(1); // replays the keys of the puts: every lookup hits
            byte[] skipped = new byte[100];
            long getStart = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                again.nextBytes(skipped);
                if (store.get(key(again)) == null) {
                    throw new AssertionError("key " + i + " is missing");
                }
            }
            double gets = lookups / seconds(getStart);

            int scans = Math.min(n / 10, 20_000);
            long scanStart = System.nanoTime();
            Random from = new Random(3);
            long seen = 0;
            for (int i = 0; i < scans; i++) {
                try (CloseableIterator<Entry> it = store.scan(key(from), null)) {
                    for (int k = 0; k < 100 && it.hasNext(); k++) {
                        seen += it.next().value().length;
                    }
                }
            }
            double scansPerSecond = scans / seconds(scanStart);
            StoreStats stats = store.stats();
            Runtime rt = Runtime.getRuntime();
            long heap = (rt.totalMemory() - rt.freeMemory()) >> 20;
            System.out.printf("%10d %12.0f %12.0f %14.0f %7s %10.1f %9d   (%s)%n", n, puts, gets, scansPerSecond,
                    stats.detail("height"), stats.bytesOnDisk() / 1048576.0, heap, seen > 0 ? "ok" : "empty");
        }
    }

    /** 16 random bytes. */
    private static byte[] key(Random random) {
        byte[] key = new byte[16];
        random.nextBytes(key);
        return key;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
