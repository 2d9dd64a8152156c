package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The tour's workload on one store, and the figures it measures ({@link TourFigures}).
 *
 * <p>Every byte goes through a {@link CountingVfs} over the real disk, so the tour sees what the
 * store asked of the disk, not only how long it took. The phases:
 * <ol>
 * <li><b>load</b>: put n keys of 16 bytes with 100-byte values, in random key order
 *     ({@link TourKeys});</li>
 * <li><b>read back</b>: get up to {@value #MAX_READS} of them, spread over the whole load, and
 *     check every value;</li>
 * <li><b>overwrite</b>: put new values under a quarter of the keys (at most {@value #MAX_OVERWRITES});</li>
 * <li><b>delete</b>: a tenth of the keys (at most {@value #MAX_DELETES});</li>
 * <li><b>close and reopen</b>: time the reopen, measure the heap the open store holds, and check
 *     its size and a sample of keys against what the workload did.</li>
 * </ol>
 *
 * <h2>Never hang</h2>
 * Some stores are slow on purpose: step 1 rewrites its whole file for every put, so loading n
 * keys writes O(n²) bytes. So each phase has a time budget and stops where it is when the budget
 * runs out. The load decides how many keys the rest of the tour uses: when it stops early, the
 * figures say so, with an estimate of how long all the keys would have taken
 * ({@link LoadCurve#estimateNanos}).
 */
final class Tour {

    /** The most keys read back. */
    static final int MAX_READS = 1_000;
    /** The most keys overwritten. */
    static final int MAX_OVERWRITES = 500;
    /** The most keys deleted. */
    static final int MAX_DELETES = 200;
    /** The most keys checked after the reopen. */
    static final int MAX_CHECKS = 100;

    private final StoreProvider provider;
    private final Path path;
    private final long keysAsked;
    private final long budgetNanos;
    private final Progress progress;
    private final CountingVfs vfs = new CountingVfs(Vfs.local());

    /**
     * A tour of the store {@code provider} makes, kept at {@code path} (which must not exist yet).
     *
     * @param keysAsked how many keys to load, if the budget allows
     * @param budget    the longest any one phase may run
     */
    Tour(StoreProvider provider, Path path, long keysAsked, Duration budget, Progress progress) {
        this.provider = provider;
        this.path = path;
        this.keysAsked = keysAsked;
        this.budgetNanos = budget.toNanos();
        this.progress = progress;
    }

    /** Runs the workload and returns what it measured. */
    TourFigures run() {
        long[] wrong = {0};
        LoadCurve curve = new LoadCurve(Math.max(1, keysAsked / 256));
        TourFigures.Phase load;
        TourFigures.Phase read;
        TourFigures.Phase overwrite;
        TourFigures.Phase delete;
        long diskAfterLoad;
        long closeNanos;
        KeyValueStore store = provider.open(path, vfs);
        try {
            KeyValueStore s = store;
            load = phase("load", keysAsked, i -> s.put(TourKeys.key(i), TourKeys.value(i, 0, TourKeys.VALUE_SIZE)), curve);
            long n = load.done();
            diskAfterLoad = store.stats().bytesOnDisk();
            long reads = Math.min(n, MAX_READS);
            read = phase("read back", reads, j -> {
                long i = spread(j, reads, n);
                if (!Arrays.equals(s.get(TourKeys.key(i)), TourKeys.value(i, 0, TourKeys.VALUE_SIZE))) {
                    wrong[0]++;
                }
            }, null);
            overwrite = phase("overwrite", Math.min(n / 4, MAX_OVERWRITES),
                    i -> s.put(TourKeys.key(i), TourKeys.value(i, 1, TourKeys.VALUE_SIZE)), null);
            long firstDeleted = overwrite.planned();
            delete = phase("delete", Math.min(n / 10, MAX_DELETES), j -> {
                if (!s.delete(TourKeys.key(firstDeleted + j))) {
                    wrong[0]++;
                }
            }, null);
            long start = System.nanoTime();
            store.close();
            closeNanos = System.nanoTime() - start;
        } finally {
            store.close();
        }
        Workload done = new Workload(load.done(), overwrite.done(), overwrite.planned(), delete.done());
        return reopen(done, wrong[0], new TourFigures.Loaded(load, curve, diskAfterLoad), read, overwrite, delete, closeNanos);
    }

    /** What the workload did, so the reopened store can be checked against it. */
    private record Workload(long keys, long overwritten, long firstDeleted, long deleted) {

        /** The value key i should have now, or null when it was deleted. */
        byte[] expected(long i) {
            if (i < overwritten) {
                return TourKeys.value(i, 1, TourKeys.VALUE_SIZE);
            }
            if (i >= firstDeleted && i < firstDeleted + deleted) {
                return null;
            }
            return TourKeys.value(i, 0, TourKeys.VALUE_SIZE);
        }
    }

    /** Reopens the store (timed, with the heap it holds), checks it, and gathers the figures. */
    private TourFigures reopen(Workload done, long wrongSoFar, TourFigures.Loaded loaded, TourFigures.Phase read,
                               TourFigures.Phase overwrite, TourFigures.Phase delete, long closeNanos) {
        long heapBefore = heapAfterGc();
        CountingVfs.IoCounts ioBefore = vfs.total();
        long start = System.nanoTime();
        try (KeyValueStore store = provider.open(path, vfs)) {
            long reopenNanos = System.nanoTime() - start;
            CountingVfs.IoCounts reopenIo = vfs.total().minus(ioBefore);
            long heapHeld = Math.max(0, heapAfterGc() - heapBefore);
            long wrong = wrongSoFar + (store.size() == done.keys() - done.deleted() ? 0 : 1);
            long checks = Math.min(done.keys(), MAX_CHECKS);
            for (long j = 0; j < checks; j++) {
                long i = spread(j, checks, done.keys());
                if (!Arrays.equals(store.get(TourKeys.key(i)), done.expected(i))) {
                    wrong++;
                }
            }
            TourFigures.Reopen reopen = new TourFigures.Reopen(closeNanos, reopenNanos, reopenIo, heapHeld);
            return new TourFigures(provider.name(), provider.description(), keysAsked, loaded, read, overwrite, delete,
                    wrong, reopen, store.stats());
        }
    }

    /**
     * Runs {@code op} for 0, 1, ... up to {@code planned} or until the budget runs out, with a
     * progress bar, and records time and I/O. {@code curve}, when given, samples the way there.
     */
    private TourFigures.Phase phase(String name, long planned, LongConsumer op, LoadCurve curve) {
        long done = 0;
        long nanos;
        CountingVfs.IoCounts io;
        // The bar is made before the clock starts and closed after it stops: drawing it is not the store's time.
        try (Progress.Bar bar = progress.bar(provider.name() + " " + name, planned)) {
            CountingVfs.IoCounts before = vfs.total();
            long start = System.nanoTime();
            while (done < planned && System.nanoTime() - start < budgetNanos) {
                op.accept(done);
                done++;
                bar.step();
                if (curve != null && curve.due(done)) {
                    curve.record(done, System.nanoTime() - start, vfs.total().minus(before).bytesWritten());
                }
            }
            nanos = System.nanoTime() - start;
            io = vfs.total().minus(before);
        }
        if (curve != null) {
            curve.record(done, nanos, io.bytesWritten());
        }
        return new TourFigures.Phase(name, planned, done, nanos, io);
    }

    /** The j-th of {@code count} indices spread evenly over {@code [0, n)}; distinct while count <= n. */
    private static long spread(long j, long count, long n) {
        return j * n / count;
    }

    /** The heap in use after a full collection: what live objects hold. Approximate. */
    private static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
