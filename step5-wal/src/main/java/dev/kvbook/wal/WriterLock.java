package dev.kvbook.wal;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The writer lock: one write transaction at a time, granted in arrival order.
 *
 * <p>Why one writer: the tree's pages form one structure, and two transactions changing private
 * copies of the same root could not both commit. SQLite's WAL mode makes the same choice; readers
 * do not need this lock at all (they read published snapshots), so only writers queue.
 *
 * <p>Why a fair {@link Semaphore} and not a {@code ReentrantLock}: a transaction may be begun on
 * one thread and committed on another, and with group commit the lock is released by the
 * committing thread <em>before</em> its fsync (see {@link Committer}); a semaphore has no owner
 * that must release it. What a semaphore cannot do is notice a thread waiting for itself, so the
 * holder is noted and a second {@code begin} on the same thread is refused instead of hanging.
 *
 * <p>Held by: a transaction from {@code begin} to commit or rollback; a checkpoint while it runs;
 * close while it closes the files. Cost: uncontended, one compare-and-set; contended, the wait for
 * the transaction ahead. Thread-safe.
 */
final class WriterLock {

    private final Path file;
    private final Semaphore permit = new Semaphore(1, true);
    private volatile Thread holder;

    /** The writer lock of the store in {@code file} (named in errors). */
    WriterLock(Path file) {
        this.file = file;
    }

    /**
     * Takes the lock, waiting (fairly) for the transaction ahead. {@code check} (can the store
     * still write?) runs before waiting, and again after: the store may have failed or closed
     * while this thread waited, and then the lock is given back and the check's exception thrown.
     *
     * @throws IllegalStateException this thread already holds the lock (it would wait for itself)
     */
    void acquire(Runnable check) {
        check.run();
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread already has a transaction open on " + file
                    + "; finish it first (one writer at a time)");
        }
        permit.acquireUninterruptibly();
        holder = Thread.currentThread();
        try {
            check.run(); // the store may have failed or closed while we waited
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * Takes the lock for close: waits for the open transaction, checks nothing (a failed store is
     * closed too) and notes no holder. Released with {@link #releaseAfterClose}.
     */
    void acquireToClose() {
        permit.acquireUninterruptibly();
    }

    /** Gives the lock back after {@link #acquireToClose}. */
    void releaseAfterClose() {
        permit.release();
    }

    /** Gives the lock back (commit or rollback of the transaction holding it, end of a checkpoint). */
    void release() {
        holder = null;
        permit.release();
    }

    /** Whether this thread took the lock with {@link #acquire} and has not released it. */
    boolean isHeldByCurrentThread() {
        return holder == Thread.currentThread();
    }
}
