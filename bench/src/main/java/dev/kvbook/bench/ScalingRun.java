package dev.kvbook.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Workloads 2, 6 and 7 for one contender, outside JMH because each is one long, single event rather
 * than a rate: load N keys (relaxed, one sync at the end), note the bytes written, the bytes on
 * disk and the heap the open engine holds, then close, reopen (timed) and check a sample of keys.
 *
 * <p>N grows by powers of ten. A load that runs out of its time budget stops where it is, is
 * reported with the keys it reached, and the larger N are skipped: step 1 rewrites its whole file
 * per put, so it cannot reach 10^6 in any reasonable time, and the results say so.
 */
final class ScalingRun {

    /** Keys read back after the reopen. */
    static final int CHECKS = 100;

    private final Contender contender;
    private final Path home;
    private final long budgetNanos;

    /** Runs in {@code home} (a fresh directory per N), each load at most {@code budgetNanos}. */
    ScalingRun(Contender contender, Path home, long budgetNanos) {
        this.contender = contender;
        this.home = home;
        this.budgetNanos = budgetNanos;
    }

    /** One row per N in {@code sizes} (ascending), stopping after the first that ran out of time. */
    List<ScalingRow> run(long[] sizes) {
        List<ScalingRow> rows = new ArrayList<>();
        for (long n : sizes) {
            ScalingRow row = one(n);
            rows.add(row);
            if (row.stoppedEarly()) {
                break;
            }
        }
        return rows;
    }

    /** Loads, measures, reopens and checks at one N. */
    ScalingRow one(long n) {
        Path dir = Dirs.fresh(home, contender.name() + "-" + n);
        try {
            long heapBefore = ProcessIo.heapAfterGc();
            long processBytesBefore = ProcessIo.bytesWritten();
            Engine engine = contender.open(dir, Durability.RELAXED);
            long loaded;
            long loadNanos;
            long bytesWritten;
            long onDisk;
            long heapHeld;
            try {
                long start = System.nanoTime();
                loaded = load(engine, n, start);
                engine.sync();
                loadNanos = System.nanoTime() - start;
                long counted = engine.bytesWritten();
                bytesWritten = counted >= 0 ? counted : delta(processBytesBefore, ProcessIo.bytesWritten());
                onDisk = engine.bytesOnDisk();
                heapHeld = Math.max(0, ProcessIo.heapAfterGc() - heapBefore);
            } finally {
                engine.close();
            }
            String source = contender.kind() == Contender.Kind.STEP || contender.kind() == Contender.Kind.MAP ? "CountingVfs"
                    : contender.kind() == Contender.Kind.LIMIT ? "counted" : "/proc/self/io";
            long[] reopen = reopenAndCheck(dir, loaded);
            return new ScalingRow(contender.name(), contender.kind().name().toLowerCase(java.util.Locale.ROOT), n,
                    loaded, loadNanos, bytesWritten, source, onDisk, heapHeld, reopen[0], reopen[1]);
        } finally {
            Dirs.deleteRecursively(dir);
        }
    }

    private long load(Engine engine, long n, long start) {
        long i = 0;
        while (i < n && System.nanoTime() - start < budgetNanos) {
            engine.put(BenchKeys.key(i), BenchKeys.value(i, 0));
            i++;
        }
        return i;
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    /** Returns {reopen nanoseconds, wrong answers}; {-1, 0} for an engine that keeps nothing. */
    private long[] reopenAndCheck(Path dir, long loaded) {
        if (!contender.persistent()) {
            return new long[] {-1, 0};
        }
        long start = System.nanoTime();
        try (Engine engine = contender.open(dir, Durability.DURABLE)) {
            long reopenNanos = System.nanoTime() - start;
            long wrong = 0;
            if (contender.readable()) {
                long checks = Math.min(loaded, CHECKS);
                for (long j = 0; j < checks; j++) {
                    long i = j * loaded / checks;
                    if (!Arrays.equals(engine.get(BenchKeys.key(i)), BenchKeys.value(i, 0))) {
                        wrong++;
                    }
                }
            }
            return new long[] {reopenNanos, wrong};
        }
    }
}
