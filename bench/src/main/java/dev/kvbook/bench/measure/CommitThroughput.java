package dev.kvbook.bench.measure;

import dev.kvbook.wal.WalStore;
import dev.kvbook.api.Keys;
import dev.kvbook.btree.BTreeStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A measurement, not a test: durable commits per second on the real disk from 1 and 8 threads
 * (with and without group commit), next to the raw fsync rate of the machine (4 KiB append +
 * {@code FileChannel.force}, the physical limit of one-fsync-per-commit), and point-get
 * throughput next to step 4's. Run: {@code bench/measure.sh CommitThroughput [dir]}.
 * Test code may use FileChannel; the stores use only the Vfs.
 */
public final class CommitThroughput {

    private static final int KEYS = 100_000;

    private CommitThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")),
                "kvbook-throughput");
        System.out.printf("machine: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf("raw 4 KiB append + fsync:          %,8.0f /s%n", rawFsyncRate(dir.resolve("raw"), 600));
        for (boolean group : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 8}) {
                double rate = commitRate(dir.resolve("c" + group + threads + ".db"), threads, threads == 1 ? 600 : 150, group);
                System.out.printf("step5 durable commits, %d thread(s), group commit %-5s %,8.0f /s%n", threads, group, rate);
            }
        }
        System.out.printf("step5 point gets (%,d keys):        %,8.0f /s%n", KEYS, step5Gets(dir.resolve("g5.db")));
        System.out.printf("step4 point gets (%,d keys):        %,8.0f /s%n", KEYS, step4Gets(dir.resolve("g4.db")));
    }

    static double rawFsyncRate(Path file, int appends) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            long start = System.nanoTime();
            for (int i = 0; i < appends; i++) {
                block.clear();
                channel.write(block, (long) i * 4096);
                channel.force(true);
            }
            return appends / seconds(start);
        }
    }

    static double commitRate(Path file, int threads, int each, boolean groupCommit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (WalStore store = WalStore.open(file, WalStore.Options.defaults().withGroupCommit(groupCommit))) {
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        store.put(key(id * 1_000_000 + i), value(i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double rate = threads * each / seconds(start);
            System.out.println("    " + store.stats().details().get("commitsPerSync") + " commits per log fsync");
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    static double step5Gets(Path file) {
        try (WalStore store = WalStore.open(file)) {
            for (int batch = 0; batch < KEYS; batch += 1000) {
                int first = batch;
                store.inTransaction(t -> {
                    for (int i = first; i < first + 1000; i++) {
                        t.put(key(i), value(i));
                    }
                    return null;
                });
            }
            store.checkpoint();
            return gets(store::get);
        }
    }

    static double step4Gets(Path file) {
        try (BTreeStore store = BTreeStore.open(file, BTreeStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int i = 0; i < KEYS; i++) {
                store.put(key(i), value(i));
            }
            store.sync();
            return gets(store::get);
        }
    }

    private static double gets(java.util.function.Function<byte[], byte[]> get) {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            get.apply(key(random.nextInt(KEYS))); // warm up the JIT and the cache
        }
        int n = 300_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (get.apply(key(random.nextInt(KEYS))) == null) {
                throw new IllegalStateException("a key went missing");
            }
        }
        return n / seconds(start);
    }

    private static byte[] key(int i) {
        return Keys.utf8(String.format("key-%011d", (long) i * 2654435761L % 100_000_000_000L));
    }

    private static byte[] value(int i) {
        return Keys.utf8(String.format("%-100s", "value-" + i));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
