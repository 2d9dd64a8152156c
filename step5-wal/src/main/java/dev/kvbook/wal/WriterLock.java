package dev.kvbook.wal;

import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.vfs.FailureLatch;

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
 * <p>It also says whether the store can still write: once closed (by {@link #acquireToClose}) it
 * refuses with {@link StoreClosedException}, once the {@link FailureLatch} is set with
 * {@code StoreFailedException}, checked before waiting and again after.
 *
 * <p>Held by: a transaction from {@code begin} to commit or rollback; a checkpoint while it runs;
 * close while it closes the files. Cost: uncontended, one compare-and-set; contended, the wait for
 * the transaction ahead. Thread-safe.
 */
final class WriterLock {

    private final Path file;
    private final FailureLatch failure;
    private final Semaphore permit = new Semaphore(1, true);
    private volatile Thread holder;
    private volatile boolean closed;

    /** The writer lock of the store in {@code file} (named in errors), refusing once {@code failure} is set. */
    WriterLock(Path file, FailureLatch failure) {
        this.file = file;
        this.failure = failure;
    }

    /**
     * Takes the lock, waiting (fairly) for the transaction ahead. Checks that the store can still
     * write before waiting, and again after: it may have failed or closed while this thread
     * waited, and then the lock is given back and the refusal thrown.
     *
     * @throws StoreClosedException the store is closed
     * @throws dev.kvbook.api.StoreFailedException the store has failed
     * @throws IllegalStateException this thread already holds the lock (it would wait for itself)
     */
    void acquire() {
        checkWritable();
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread already has a transaction open on " + file
                    + "; finish it first (one writer at a time)");
        }
        permit.acquireUninterruptibly();
        holder = Thread.currentThread();
        try {
            checkWritable(); // the store may have failed or closed while we waited
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * Takes the lock for close: waits for the open transaction, checks no failure (a failed store
     * is closed too), notes no holder, and marks the store closed. Returns false, without the
     * lock, when it was closed already. Released with {@link #releaseAfterClose}.
     */
    boolean acquireToClose() {
        permit.acquireUninterruptibly();
        if (closed) {
            permit.release();
            return false;
        }
        closed = true;
        return true;
    }

    /** Whether {@link #acquireToClose} has closed the store. A volatile read. */
    boolean isClosed() {
        return closed;
    }

    /** Throws if the store is closed ({@link StoreClosedException}) or has failed. */
    void checkWritable() {
        if (closed) {
            throw new StoreClosedException("WAL store " + file);
        }
        failure.check();
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
