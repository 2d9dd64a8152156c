package dev.kvbook.hashindex;

import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.FailureLatch;

import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The lock and the open / closed / failed state of one {@link HashIndexStore}: every public
 * method of the store runs its work through one of the methods here.
 *
 * <h2>One read/write lock</h2>
 * Gets, iterators and stats hold its read side ({@link #reading}), so they run in parallel with
 * each other. Writers hold its write side ({@link #writing}): put, delete, sync, rollover, close,
 * and a whole merge ({@link #merging}), copy included, so while a merge copies records nothing
 * else runs. That is the simplest correct design, and the one to read first. A store that merges
 * in the background cannot afford it: {@link ConcurrentMergeGuard} keeps the same methods with
 * three locks, so that gets and puts go on while a merge copies.
 *
 * <h2>Why a failed write fails the store</h2>
 * If a write or an fsync throws, what is on disk is unknown: the record may be half written, or
 * written but not durable, and after a failed fsync the kernel may have dropped the dirty pages
 * and reports success next time. Retrying could acknowledge a write that is not there. So
 * {@link #failing} records the failure in the store's {@link FailureLatch}, and from then on
 * {@link #writing} refuses every write with {@link StoreFailedException} (reads go on: the keydir
 * only points at fully written records). Reopening the store recovers from what the disk holds.
 */
class StoreGuard {

    private final String storeName;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private final FailureLatch failure;

    /** @param storeName the store's {@code toString()}, for the messages of the exceptions */
    StoreGuard(String storeName) {
        this.storeName = storeName;
        this.failure = new FailureLatch(storeName);
    }

    /** The guard a store opened with {@code options} needs: {@link ConcurrentMergeGuard} with background merge on. */
    static StoreGuard forOptions(HashIndexStore.Options options, String storeName) {
        return options.backgroundMerge() ? new ConcurrentMergeGuard(storeName) : new StoreGuard(storeName);
    }

    /** Whether the store has failed: a write or a merge threw, and writes are refused. */
    final boolean hasFailed() {
        return failure.isSet();
    }

    /** Whether {@link #closeOnce} has run. */
    final boolean isClosed() {
        return closed;
    }

    /**
     * Runs a step of a write. If it fails, what is on disk is unknown, so the store is marked
     * failed and refuses writes from then on: an I/O error is thrown as
     * {@link StoreFailedException}; damage found on the way keeps its own type.
     */
    final <T> T failing(String during, Supplier<T> work) {
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
    final void markFailed(String during, Throwable cause) {
        if (!failure.isSet()) {
            failure.fail(cause, during);
        }
    }

    /** Runs {@code work} under the read lock, on an open store. */
    <T> T reading(Supplier<T> work) {
        lock.readLock().lock();
        try {
            checkOpen();
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code work} under the write lock, on an open store that has not failed. */
    <T> T writing(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            checkWritable();
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs a merge's switch-over, which must see no reader: here the merge already holds the
     * write lock (see {@link #merging}), so there is nothing more to take.
     */
    void switching(Runnable work) {
        assert lock.isWriteLockedByCurrentThread() : "a switch-over runs inside a merge, under the write lock";
        work.run();
    }

    /** Runs a whole merge under the write lock: one merge at a time, and nothing else meanwhile. Reentrant. */
    void merging(Runnable work) {
        lock.writeLock().lock();
        try {
            work.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks the store closed and runs {@code work} under the write lock; a later call does nothing. */
    void closeOnce(Runnable work) {
        lock.writeLock().lock();
        try {
            runOnceClosing(work);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks the store closed and runs {@code work}, unless it was closed already. The caller excludes everyone else. */
    final void runOnceClosing(Runnable work) {
        if (closed) {
            return;
        }
        closed = true;
        work.run();
    }

    /** @throws StoreClosedException once the store is closed; {@link StoreFailedException} once it has failed */
    final void checkWritable() {
        checkOpen();
        failure.check();
    }

    /** @throws StoreClosedException once the store is closed */
    final void checkOpen() {
        if (closed) {
            throw new StoreClosedException(storeName);
        }
    }
}
