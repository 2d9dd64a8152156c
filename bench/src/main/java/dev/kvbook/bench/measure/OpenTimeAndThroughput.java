package dev.kvbook.bench.measure;

import dev.kvbook.bench.Dirs;
import dev.kvbook.hashindex.HashIndexStore;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.applog.AppendLogStore;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A measurement, not a test (timed assertions do not belong in tests): open time for a million
 * keys with and without hint files, keydir bytes per key, and get/put throughput next to step 2.
 * 16-byte keys, 100-byte values, {@code syncEveryWrite} off, files in the page cache.
 *
 * <p>Run: {@code bench/measure.sh OpenTimeAndThroughput [keys]}.
 */
public final class OpenTimeAndThroughput {

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path root = Files.createTempDirectory("step3-measure");
        try {
            openTimes(root.resolve("big"), keys);
            throughput(root, 10_000);
        } finally {
            Dirs.deleteRecursively(root);
        }
    }

    static byte[] key(int i) {
        return ByteBuffer.allocate(16).putLong(0x6b65792d6b65792dL).putLong(i * 0x9E3779B97F4A7C15L).array();
    }

    static byte[] value(int i) {
        byte[] v = new byte[100];
        new Random(i).nextBytes(v);
        return v;
    }

    static HashIndexStore.Options options(boolean hints) {
        // 4 MiB segments: most of the data sits in sealed segments, where hint files apply.
        return HashIndexStore.Options.defaults().withSyncEveryWrite(false).withHintFiles(hints).withSegmentSize(4L << 20);
    }

    static void openTimes(Path dir, int keys) {
        long t0 = System.nanoTime();
        try (HashIndexStore store = HashIndexStore.open(dir, options(true))) {
            for (int i = 0; i < keys; i++) {
                store.put(key(i), value(i));
            }
            System.out.printf("load %,d keys: %.2f s; %s%n", keys, (System.nanoTime() - t0) / 1e9, store.stats());
        }
        for (int round = 0; round < 2; round++) {
            for (boolean hints : new boolean[] {true, false}) {
                long before = usedHeap();
                long start = System.nanoTime();
                try (HashIndexStore store = HashIndexStore.open(dir, options(hints))) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long heap = usedHeap() - before;
                    System.out.printf("open %s hint files (round %d): %.2f s, scanned without hint %s, keydir estimate %s B/key,"
                                    + " measured heap delta %.0f B/key%n", hints ? "with" : "without", round + 1, seconds,
                            store.stats().detail("segmentsScannedWithoutHint"), store.stats().detail("keydirBytesPerKey"),
                            (double) heap / keys);
                }
            }
        }
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static void throughput(Path root, int n) {
        try (KeyValueStore step3 = HashIndexStore.open(root.resolve("s3"), options(true));
             KeyValueStore step2 = AppendLogStore.open(root.resolve("s2.log"),
                     AppendLogStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int warm = 0; warm < 2; warm++) {
                report("step3", step3, n, warm == 1);
                report("step2", step2, n, warm == 1);
            }
        }
    }

    static void report(String name, KeyValueStore store, int n, boolean print) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            store.put(key(i), value(i));
        }
        double putNs = (System.nanoTime() - start) / (double) n;
        Random random = new Random(1);
        int gets = name.equals("step2") ? 1_000 : 100_000;
        start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            if (store.get(key(random.nextInt(n))) == null) {
                throw new AssertionError("missing key");
            }
        }
        double getNs = (System.nanoTime() - start) / (double) gets;
        if (print) {
            System.out.printf("%s at %,d keys (log %,d records): put %.2f us (%,.0f/s), get %.2f us (%,.0f/s)%n", name, n,
                    2 * n, putNs / 1000, 1e9 / putNs, getNs / 1000, 1e9 / getNs);
        }
    }
}
