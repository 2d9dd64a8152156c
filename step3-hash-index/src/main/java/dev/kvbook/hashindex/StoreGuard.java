package dev.kvbook.hashindex;

import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.FailureLatch;

import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The locks and the open / closed / failed state of one {@link HashIndexStore}: every public
 * method of the store runs its work through one of the methods here.
 *
 * <h2>Three locks, each with one job</h2>
 * <ul>
 *   <li>{@code writeLock} serializes the writers: put, delete, sync, rollover, a merge's plan and
 *       switch-over, close. Taken by {@link #writing}.</li>
 *   <li>{@code switchLock} is a read/write lock. Gets, iterators and stats hold its read lock for
 *       their lookup and read ({@link #reading}), so they run in parallel with each other and with
 *       the writer. Only a merge's switch-over ({@link #switching}) and close take its write lock,
 *       to close segment files no reader is using.</li>
 *   <li>{@code mergeLock} lets one merge run at a time ({@link #merging}). The copy phase of a
 *       merge holds no other lock, so gets and puts go on while records are copied.</li>
 * </ul>
 * When more than one is held, they are taken in the order merge, write, switch (as
 * {@link #closeOnce} does), so two threads never wait on each other.
 *
 * <h2>Why a failed write fails the store</h2>
 * If a write or an fsync throws, what is on disk is unknown: the record may be half written, or
 * written but not durable, and after a failed fsync the kernel may have dropped the dirty pages
 * and reports success next time. Retrying could acknowledge a write that is not there. So
 * {@link #failing} records the failure in the store's {@link FailureLatch}, and from then on
 * {@link #writing} refuses every write
 * with {@link StoreFailedException} (reads go on: the keydir only points at fully written
 * records). Reopening the store recovers from what the disk really holds.
 */
final class StoreGuard {

    private final String storeName;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
    private final ReentrantLock mergeLock = new ReentrantLock();
    private volatile boolean closed;
    private final FailureLatch failure;

    /** @param storeName the store's {@code toString()}, for the messages of the exceptions */
    StoreGuard(String storeName) {
        this.storeName = storeName;
        this.failure = new FailureLatch(storeName);
    }

    /** Whether the store has failed: a write or a merge threw, and writes are refused. */
    boolean hasFailed() {
        return failure.isSet();
    }

    /** Whether {@link #closeOnce} has run. */
    boolean isClosed() {
        return closed;
    }

    /**
     * Runs a step of a write. If it fails, what is on disk is unknown, so the store is marked
     * failed and refuses writes from then on: an I/O error is thrown as
     * {@link StoreFailedException}; damage found on the way keeps its own type.
     */
    <T> T failing(String during, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            StoreFailedException failed = failure.fail(e, during);
            throw e instanceof UncheckedIOException ? failed : e;
        }
    }

    /**
     * Marks the store failed by {@code cause}, unless it failed already (a merge step run through
     * {@link #failing} has recorded its own failure): for a background merge, which has no caller
     * to throw to. The next write throws {@link StoreFailedException} with it as the cause.
     */
    void markFailed(String during, Throwable cause) {
        if (!failure.isSet()) {
            failure.fail(cause, during);
        }
    }

    /** Runs {@code work} under the readers' lock, on an open store. */
    <T> T reading(Supplier<T> work) {
        switchLock.readLock().lock();
        try {
            checkOpen();
            return work.get();
        } finally {
            switchLock.readLock().unlock();
        }
    }

    /** Runs {@code work} under the write lock, on an open store that has not failed. */
    <T> T writing(Supplier<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            failure.check();
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} under the switch lock's write side: no get, iterator or stats is reading. */
    void switching(Runnable work) {
        switchLock.writeLock().lock();
        try {
            work.run();
        } finally {
            switchLock.writeLock().unlock();
        }
    }

    /** Runs {@code work} under the merge lock, so no other merge runs at the same time. Reentrant. */
    void merging(Runnable work) {
        mergeLock.lock();
        try {
            work.run();
        } finally {
            mergeLock.unlock();
        }
    }

    /**
     * Marks the store closed and runs {@code work}, under every lock, so that no merge, write or
     * read is under way; a later call does nothing.
     */
    void closeOnce(Runnable work) {
        mergeLock.lock();
        writeLock.lock();
        switchLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            work.run();
        } finally {
            switchLock.writeLock().unlock();
            writeLock.unlock();
            mergeLock.unlock();
        }
    }

    /** @throws StoreClosedException once the store is closed */
    void checkOpen() {
        if (closed) {
            throw new StoreClosedException(storeName);
        }
    }
}
