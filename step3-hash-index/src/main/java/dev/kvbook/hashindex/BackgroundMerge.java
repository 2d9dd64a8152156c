package dev.kvbook.hashindex;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Merge on its own, as Bitcask does: once garbage makes up a set fraction of the bytes on disk
 * (and is at least a set size), hand a merge to one background thread, and let the writer go on.
 * Set with {@link HashIndexStore.Options#withBackgroundMerge}; off when the fraction is 0.
 *
 * <h2>The trigger</h2>
 * After every put and delete, {@link #afterWrite()} reads two running sums that {@link Segments}
 * keeps (garbage bytes and bytes on disk): O(1), no lock, no I/O. When
 * {@code garbage >= ratio * bytesOnDisk} and {@code garbage >= minGarbageBytes}, and no
 * background merge is already queued or running, it queues one. Step 2 had to replay its whole
 * log to learn its garbage, so it looked only now and then; step 3's segments count their live
 * bytes as the keydir changes, so the figure is always at hand.
 *
 * <h2>The thread</h2>
 * One daemon thread, {@value #THREAD_NAME}, started with the first merge it is given. It runs
 * the store's task, which calls {@link HashIndexStore#merge()} exactly as a caller would: the
 * same locks, the same crash-safe protocol, the same failure handling. Close stops it: no new
 * merge is queued, a queued one finds the store closed and does nothing, and {@link #shutdown()}
 * waits for the thread to end.
 *
 * <p>Thread-safe: the flag and the counter are atomic, the settings final.
 */
final class BackgroundMerge {

    /** The name of the merge thread (followed by the store's directory). */
    static final String THREAD_NAME = "kvbook-step3-merge";

    private final double garbageRatio;
    private final long minGarbageBytes;
    private final Segments segments;
    private final Runnable task;
    private final List<Thread> started = new CopyOnWriteArrayList<>(); // one, or one more per thread an Error ended
    private final ExecutorService thread; // null when off, or when the caller supplied the runner
    private final Executor runner;        // null when off
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicLong merges = new AtomicLong();

    /**
     * The policy of {@code options} over {@code segments}. When it is on, {@code task} (the
     * store's merge) runs on {@code runner}, or on a thread of its own when {@code runner} is
     * null; {@code onDeath} hears of any throwable that ends that thread (an {@link Error}: the
     * task itself records exceptions).
     */
    BackgroundMerge(HashIndexStore.Options options, String storeName, Segments segments, Runnable task,
                    Executor runner, Consumer<Throwable> onDeath) {
        this.garbageRatio = options.mergeGarbageRatio();
        this.minGarbageBytes = options.mergeMinGarbageBytes();
        this.segments = segments;
        this.task = task;
        boolean on = options.backgroundMerge();
        this.thread = on && runner == null ? threadPool(THREAD_NAME + " " + storeName, onDeath) : null;
        this.runner = !on ? null : runner == null ? thread : runner;
    }

    /**
     * Checks the settings as {@link HashIndexStore.Options} takes them: a ratio in [0, 1), where 0
     * is off, and a size of at least 0.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    static void checkSettings(double garbageRatio, long minGarbageBytes) {
        if (!(garbageRatio >= 0 && garbageRatio < 1)) {
            throw new IllegalArgumentException("mergeGarbageRatio must be in [0, 1) (0 = off), not " + garbageRatio);
        }
        if (minGarbageBytes < 0) {
            throw new IllegalArgumentException("mergeMinGarbageBytes must be at least 0, not " + minGarbageBytes);
        }
    }

    /**
     * After a write: queues a merge if garbage has passed the ratio and the minimum and none is
     * queued or running. O(1): two counter reads. Never waits for the merge.
     */
    void afterWrite() {
        if (runner != null && isWorthMerging() && queued.compareAndSet(false, true)) {
            // Invariant: the store stops writes (close) before it shuts the thread down, so the
            // thread is still taking work here.
            runner.execute(this::run);
        }
    }

    /** Whether garbage has passed both thresholds. O(1); the figures may be a write behind. */
    boolean isWorthMerging() {
        long garbage = segments.garbageBytes();
        return garbageRatio > 0 && garbage >= minGarbageBytes && garbage > 0
                && garbage >= garbageRatio * segments.bytesOnDisk();
    }

    /** Notes one merge the background thread completed. */
    void merged() {
        merges.incrementAndGet();
    }

    /** Merges completed by the background thread since open. */
    long merges() {
        return merges.get();
    }

    /**
     * Stops the thread: no more work is taken, and this waits until the thread has ended (a
     * running task first finishes; the store makes any task that starts after close do nothing).
     * Idempotent. Waits through interrupts (the wait is at most one merge) and keeps the flag.
     */
    void shutdown() {
        if (thread == null) {
            return;
        }
        thread.shutdown();
        boolean interrupted = false;
        while (!thread.isTerminated()) {
            try {
                thread.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted = true; // the thread must end before close returns; re-raised below
            }
        }
        // Terminated means no task runs and no thread will start; the last one may still be on
        // its way out, so join it too.
        for (Thread t : started) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One queued merge. The flag drops however it ends, so a later write can queue the next. */
    private void run() {
        try {
            task.run();
        } finally {
            queued.set(false);
        }
    }

    private ExecutorService threadPool(String name, Consumer<Throwable> onDeath) {
        return Executors.newSingleThreadExecutor(work -> {
            Thread t = new Thread(work, name);
            started.add(t);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((dying, e) -> {
                onDeath.accept(e); // the store records it as its failure; then the usual report
                dying.getThreadGroup().uncaughtException(dying, e);
            });
            return t;
        });
    }
}
