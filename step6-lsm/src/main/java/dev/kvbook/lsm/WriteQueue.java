package dev.kvbook.lsm;

import dev.kvbook.api.StoreFailedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit for the memtable's log, as LevelDB's writer queue does it: writers line up, and
 * the one at the head of the line (the <em>leader</em>) writes the records of everyone queued
 * behind it as one batch, fsyncs once, and wakes them all. While it fsyncs, new writers queue up
 * for the next batch. With many threads writing and an fsync costing milliseconds, one fsync
 * carries many writes; with one thread, each write is its own batch, as before.
 *
 * <p><b>How this differs from step 5's {@code GroupCommit}.</b> There, each commit appends its
 * own frames under the writer lock and then waits, outside the lock, for some leader's fsync to
 * cover them; the fsync runs while other threads append. That needs a log whose "synced up to"
 * mark may be updated while others append. Step 2's {@code LogWriter} keeps that mark for the
 * SYNCED_BEFORE flag and is single-threaded, so here one thread, the leader, does all of a
 * batch's appends <em>and</em> its fsync; the others only wait in line. Same sharing of fsyncs,
 * no shared log state.
 *
 * <p>A batch fails as a whole: when the leader's work throws, every write of the batch gets the
 * failure (the store has latched it, and refuses later writes).
 *
 * <p>Thread-safe: one lock and condition; the batch's work runs outside them.
 */
final class WriteQueue {

    /** Writes accepted into one batch at most, so one leader does not write forever. */
    static final int MAX_BATCH = 512;

    /** One queued write: a put ({@code value} non-null) or a delete. */
    static final class Write {
        final byte[] key;
        final byte[] value;
        /** For a delete: whether the key was there (set by the leader). */
        boolean found;
        private boolean done;
        private Throwable failure;

        Write(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        boolean isDelete() {
            return value == null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private long batches;
    private long writes;

    /**
     * Queues {@code write} and returns when it is done: written by a leader (perhaps this
     * thread, running {@code apply} on a batch) or failed. O(1) plus the batch's work when leading.
     */
    void submit(Write write, Consumer<List<Write>> apply) {
        List<Write> batch;
        lock.lock();
        try {
            queue.addLast(write);
            while (!write.done && queue.peekFirst() != write) {
                changed.awaitUninterruptibly();
            }
            if (write.done) {
                rethrow(write.failure);
                return;
            }
            batch = new ArrayList<>();
            for (Write w : queue) {
                batch.add(w);
                if (batch.size() == MAX_BATCH) {
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        Throwable failure = null;
        try {
            apply.accept(batch);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        lock.lock();
        try {
            for (Write w : batch) {
                Write head = queue.pollFirst();
                assert head == w : "the batch is the head of the queue";
                w.done = true;
                w.failure = w == write ? null : failure;
            }
            batches++;
            writes += batch.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure instanceof Error e) {
            throw e; // the leader's own failure passes as it is (a simulated power loss must unwind)
        }
        rethrow(failure);
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw new StoreFailedException("the write's batch failed: " + e, e);
        }
    }

    /** Writes in the queue now: the batch being written and those waiting behind it. */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Batches written so far (each one fsync when every write is durable). */
    long batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }

    /** Writes done so far. */
    long writes() {
        lock.lock();
        try {
            return writes;
        } finally {
            lock.unlock();
        }
    }
}
