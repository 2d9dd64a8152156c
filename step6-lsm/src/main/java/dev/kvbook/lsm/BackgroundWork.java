package dev.kvbook.lsm;

import dev.kvbook.api.StoreFailedException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Flushes and compactions on a thread of their own, so that a put that fills the memtable only
 * swaps it for an empty one and goes on: an optimisation beside the idea, which works the same
 * with this off ({@code backgroundCompaction(false)}: the writer that fills the memtable flushes
 * and compacts before its write).
 *
 * <h2>When writers wait (back-pressure)</h2>
 * A writer that finds the memtable full waits while either
 * <ul>
 * <li>the previous memtable is still being flushed (there is one immutable memtable at most, so
 *     memory stays bounded at two memtables), or</li>
 * <li>level 0 has {@code level0StopWrites} tables or more: compaction has fallen behind, and
 *     every further flush would add a table that every get may have to probe.</li>
 * </ul>
 * It waits on this class's monitor, which the background thread signals after each flush and
 * compaction (and when it fails, so that waiting writers see the store has failed). Before it
 * comes to that, {@link WritePath} slows each write batch by 1 ms from the lower
 * {@code level0SlowdownWrites} count on, as LevelDB does: a gentler brake than a stop.
 *
 * <p>Thread-safe.
 */
final class BackgroundWork implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kvbook-step6-compaction");
        t.setDaemon(true);
        return t;
    });
    private final Runnable work;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object room = new Object();
    final LongAdder stalls = new LongAdder();

    /** Background work that runs {@code work} (flush, then compact while needed) whenever scheduled. */
    BackgroundWork(Runnable work) {
        this.work = work;
    }

    /** Asks for one more run of the work, unless one is already waiting to start. O(1). */
    void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            thread.execute(() -> {
                scheduled.set(false);
                try {
                    work.run();
                } finally {
                    signal();
                }
            });
        }
    }

    /** Wakes every writer waiting for room. */
    void signal() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    /**
     * Waits while {@code blocked} says there is no room; {@code failed} is checked on every wake
     * and throws to end the wait when the store has failed.
     */
    void awaitRoom(BooleanSupplier blocked, Runnable failed) {
        synchronized (room) {
            boolean counted = false;
            while (blocked.getAsBoolean()) {
                failed.run();
                if (!counted) {
                    stalls.increment();
                    counted = true;
                }
                try {
                    room.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreFailedException("interrupted while waiting for a flush or compaction to make room", e);
                }
            }
        }
    }

    /** Stops taking work and waits for the running work to finish. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the background flush or compaction did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
