package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <li><b>transaction</b>, for a {@link TransactionalStore} only: {@value #TRANSACTION_PUTS} new
 *     keys put in one transaction and committed, to count what a commit costs;</li>
 * <li><b>close and reopen</b>: time the reopen, measure the heap the open store holds, and check
 *     its size and a sample of keys against what the workload did.</li>
 * </ol>
 *
 * <h2>Fixed work, and an optional budget</h2>
 * The work is fixed: the same keys in the same order on every run, so two runs differ only in
 * their timings. That is why the slowest store gets fewer keys ({@link TourCommand} decides how
 * many) rather than a time limit. A time budget per phase is still there for a learner who asks
 * for many keys: given one, each phase stops where it is when the budget runs out, and the
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
    /** The puts in the one transaction a {@link TransactionalStore} commits. */
    static final int TRANSACTION_PUTS = 100;
    /** No budget: every phase does all its work. */
    static final Duration NO_BUDGET = Duration.ofNanos(Long.MAX_VALUE);

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
     * @param budget    the longest any one phase may run, or {@link #NO_BUDGET}
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
        TourFigures.Phase transaction;
        long diskAfterLoad;
        long closeNanos;
        Map<String, Long> readDetails;
        StoreStats atClose;
        KeyValueStore store = TourStores.open(provider, path, vfs);
        try {
            KeyValueStore s = store;
            load = phase("load", keysAsked, i -> s.put(TourKeys.key(i), TourKeys.value(i, 0, TourKeys.VALUE_SIZE)), curve);
            long n = load.done();
            diskAfterLoad = store.stats().bytesOnDisk();
            long reads = Math.min(n, MAX_READS);
            StoreStats beforeRead = store.stats();
            read = phase("read back", reads, j -> {
                long i = spread(j, reads, n);
                if (!Arrays.equals(s.get(TourKeys.key(i)), TourKeys.value(i, 0, TourKeys.VALUE_SIZE))) {
                    wrong[0]++;
                }
            }, null);
            readDetails = numericDeltas(beforeRead, store.stats());
            overwrite = phase("overwrite", Math.min(n / 4, MAX_OVERWRITES),
                    i -> s.put(TourKeys.key(i), TourKeys.value(i, 1, TourKeys.VALUE_SIZE)), null);
            long firstDeleted = overwrite.planned();
            delete = phase("delete", Math.min(n / 10, MAX_DELETES), j -> {
                if (!s.delete(TourKeys.key(firstDeleted + j))) {
                    wrong[0]++;
                }
            }, null);
            transaction = transaction(store, n);
            atClose = store.stats();
            long start = System.nanoTime();
            store.close();
            closeNanos = System.nanoTime() - start;
        } finally {
            store.close();
        }
        Workload done = new Workload(load.done(), overwrite.done(), overwrite.planned(), delete.done(), transaction.done());
        TourFigures.Phases phases = new TourFigures.Phases(new TourFigures.Loaded(load, curve, diskAfterLoad), read,
                overwrite, delete, transaction);
        return reopen(done, wrong[0], phases, new TourFigures.Own(readDetails, atClose), closeNanos);
    }

    /**
     * Puts {@value #TRANSACTION_PUTS} new keys (numbered from {@code first}) in one transaction and
     * commits it, when the store has transactions; an empty phase otherwise. The phase counts as
     * {@value #TRANSACTION_PUTS} operations, so its syncs per operation compare with the load's.
     */
    private TourFigures.Phase transaction(KeyValueStore store, long first) {
        if (!(store instanceof TransactionalStore transactional)) {
            return new TourFigures.Phase("transaction", 0, 0, 0, CountingVfs.IoCounts.ZERO);
        }
        try (Progress.Bar bar = progress.bar(provider.name() + " transaction", TRANSACTION_PUTS)) {
            CountingVfs.IoCounts before = vfs.total();
            long start = System.nanoTime();
            transactional.inTransaction(tx -> {
                for (long i = first; i < first + TRANSACTION_PUTS; i++) {
                    tx.put(TourKeys.key(i), TourKeys.value(i, 0, TourKeys.VALUE_SIZE));
                    bar.step();
                }
                return null;
            });
            long nanos = System.nanoTime() - start;
            return new TourFigures.Phase("transaction", TRANSACTION_PUTS, TRANSACTION_PUTS, nanos, vfs.total().minus(before));
        }
    }

    /** What the workload did, so the reopened store can be checked against it. */
    private record Workload(long keys, long overwritten, long firstDeleted, long deleted, long transacted) {

        /** The keys the store should hold. */
        long live() {
            return keys - deleted + transacted;
        }

        /** The value key i should have now, or null when it was deleted (or never written). */
        byte[] expected(long i) {
            if (i >= keys) {
                return i < keys + transacted ? TourKeys.value(i, 0, TourKeys.VALUE_SIZE) : null;
            }
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
    private TourFigures reopen(Workload done, long wrongSoFar, TourFigures.Phases phases, TourFigures.Own own,
                               long closeNanos) {
        long heapBefore = heapAfterGc();
        CountingVfs.IoCounts ioBefore = vfs.total();
        long start = System.nanoTime();
        try (KeyValueStore store = TourStores.open(provider, path, vfs)) {
            long reopenNanos = System.nanoTime() - start;
            CountingVfs.IoCounts reopenIo = vfs.total().minus(ioBefore);
            long heapHeld = Math.max(0, heapAfterGc() - heapBefore);
            long wrong = wrongSoFar + (store.size() == done.live() ? 0 : 1);
            long checks = Math.min(done.keys(), MAX_CHECKS);
            for (long j = 0; j < checks; j++) {
                long i = spread(j, checks, done.keys());
                if (!Arrays.equals(store.get(TourKeys.key(i)), done.expected(i))) {
                    wrong++;
                }
            }
            for (long i = done.keys(); i < done.keys() + done.transacted(); i++) {
                if (!Arrays.equals(store.get(TourKeys.key(i)), done.expected(i))) {
                    wrong++; // a committed transaction must survive the reopen whole
                }
            }
            TourFigures.Reopen reopen = new TourFigures.Reopen(closeNanos, reopenNanos, reopenIo, heapHeld);
            return new TourFigures(provider.name(), provider.description(), keysAsked, phases, wrong, reopen, store.stats(),
                    own);
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

    /**
     * How much each of the store's own whole-number figures grew from {@code before} to {@code after}
     * (a step-6 store counts the tables its gets probed and the probes its Bloom filters saved, for
     * instance); figures that are not counts are left out.
     */
    private static Map<String, Long> numericDeltas(StoreStats before, StoreStats after) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        after.details().forEach((name, value) -> {
            if (value instanceof Long || value instanceof Integer) {
                Object was = before.detail(name);
                long from = was instanceof Number number ? number.longValue() : 0;
                deltas.put(name, ((Number) value).longValue() - from);
            }
        });
        return deltas;
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
