package dev.kvbook.bench;

import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.hashindex.HashIndexStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Workload 6 for step 3: how long a reopen takes with hint files and without, after loading N
 * keys; and what the keydir costs per key. The generic {@link StepContender} opens every step with
 * its defaults, so this one opens step 3 through its own {@link HashIndexStore.Options}.
 *
 * <p>A hint file is written only when a segment is sealed, so the load uses small segments
 * ({@link #SEGMENT_SIZE}): 10^6 keys of 16 + 100 bytes make about 130 sealed segments. Writes are
 * not synced one by one ({@code syncEveryWrite} off); each rollover still fsyncs its segment and
 * hint. Each way of opening is timed twice, alternating, and the faster kept: the first open
 * also pays for the JIT and for reading the files back into the page cache, if they were evicted.
 * Both opens read files the load has just written, so the page cache is warm for both: a cold
 * cache (after a reboot) adds the disk's read time, more without hints (every segment) than with
 * (hint files are about a fifth of the segments' size).
 */
final class HintFileReopen {

    /** The rollover size for the load: small, so that most records sit in sealed, hinted segments. */
    static final long SEGMENT_SIZE = 1L << 20;

    /** Opens of each kind; the fastest is reported. */
    static final int OPENS = 2;

    /**
     * What one load and its reopens measured.
     *
     * @param keys                  N, the keys loaded (all distinct)
     * @param segments              segment files after the load
     * @param loadNanos             the load, including the final sync and close
     * @param withHintsNanos        the fastest open with hint files
     * @param hintsUsed             sealed segments that open read from their hint file
     * @param withoutHintsNanos     the fastest open without hint files (every segment scanned)
     * @param segmentsScanned       sealed segments that open scanned
     * @param keydirBytesPerKey     step 3's own estimate, {@code stats().detail("keydirBytesPerKey")}
     * @param heapBytesPerKey       heap the open store holds after a full GC, divided by N (measured)
     * @param wrongAnswers          sampled keys that did not read back as written, over all opens
     */
    record Row(long keys, int segments, long loadNanos, long withHintsNanos, int hintsUsed,
               long withoutHintsNanos, int segmentsScanned, long keydirBytesPerKey, double heapBytesPerKey,
               long wrongAnswers) {

        /** The keydir's estimated bytes per key beyond the key's own bytes. */
        long keydirOverheadPerKey() {
            return keydirBytesPerKey - BenchKeys.KEY_SIZE;
        }
    }

    private final Path home;
    private final long segmentSize;

    /** Loads in a fresh directory under {@code home}, with segments of {@code segmentSize} bytes. */
    HintFileReopen(Path home, long segmentSize) {
        this.home = home;
        this.segmentSize = segmentSize;
    }

    /** One row per N in {@code sizes}. */
    List<Row> run(long[] sizes) {
        List<Row> rows = new ArrayList<>();
        for (long n : sizes) {
            System.out.println("# step3 reopen with and without hint files: " + n + " keys");
            rows.add(one(n));
        }
        return rows;
    }

    /** Loads {@code n} keys, then opens with and without hint files, alternating, and measures. */
    Row one(long n) {
        Path dir = Dirs.fresh(home, "step3-hints-" + n).resolve("store");
        try {
            long start = System.nanoTime();
            try (HashIndexStore store = HashIndexStore.open(dir, options(true))) {
                for (long i = 0; i < n; i++) {
                    store.put(BenchKeys.key(i), BenchKeys.value(i, 0));
                }
            }
            long loadNanos = System.nanoTime() - start;
            Open with = null;
            Open without = null;
            long wrong = 0;
            for (int round = 0; round < OPENS; round++) {
                Open w = open(dir, true, n);
                Open wo = open(dir, false, n);
                wrong += w.wrong + wo.wrong;
                with = with == null || w.nanos < with.nanos ? w : with;
                without = without == null || wo.nanos < without.nanos ? wo : without;
            }
            return new Row(n, intDetail(with.stats, "segments"), loadNanos, with.nanos, intDetail(with.stats, "hintFilesUsed"),
                    without.nanos, intDetail(without.stats, "segmentsScannedWithoutHint"),
                    ((Number) with.stats.detail("keydirBytesPerKey")).longValue(), with.heapBytesPerKey, wrong);
        } finally {
            Dirs.deleteRecursively(dir.getParent());
        }
    }

    private HashIndexStore.Options options(boolean hints) {
        return HashIndexStore.Options.defaults().withVfs(Vfs.local()).withSyncEveryWrite(false)
                .withSegmentSize(segmentSize).withHintFiles(hints);
    }

    /** What one timed open saw. */
    private record Open(long nanos, StoreStats stats, double heapBytesPerKey, long wrong) {
    }

    /** Times one open, then (untimed) weighs the heap it holds and reads back a sample of keys. */
    private Open open(Path dir, boolean hints, long n) {
        long heapBefore = ProcessIo.heapAfterGc();
        long start = System.nanoTime();
        try (HashIndexStore store = HashIndexStore.open(dir, options(hints))) {
            long nanos = System.nanoTime() - start;
            double heapPerKey = Math.max(0, ProcessIo.heapAfterGc() - heapBefore) / (double) n;
            long wrong = 0;
            long checks = Math.min(n, ScalingRun.CHECKS);
            for (long j = 0; j < checks; j++) {
                long i = j * n / checks;
                if (!Arrays.equals(store.get(BenchKeys.key(i)), BenchKeys.value(i, 0))) {
                    wrong++;
                }
            }
            if (store.size() != n) {
                wrong++;
            }
            return new Open(nanos, store.stats(), heapPerKey, wrong);
        }
    }

    private static int intDetail(StoreStats stats, String name) {
        return ((Number) stats.detail(name)).intValue();
    }
}
