package dev.kvbook.hashindex;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * {@link StoreGuard} for a store that merges in the background ({@link BackgroundMerge}): the same
 * methods, with three locks instead of one, so that gets and puts go on while a merge copies its
 * records. An optimisation of the plain guard: read {@link StoreGuard} first.
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
 * {@link #closeOnce} does), so two threads never wait on each other. Why this is safe while a merge
 * copies: the copy reads only sealed segments, which no writer touches, and the switch-over moves a
 * key to its copy only if it still points where the copy was read from ({@link Keydir#replace}).
 */
final class ConcurrentMergeGuard extends StoreGuard {

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
    private final ReentrantLock mergeLock = new ReentrantLock();

    ConcurrentMergeGuard(String storeName) {
        super(storeName);
    }

    /** Runs {@code work} under the switch lock's read side, on an open store: beside writers and merges. */
    @Override
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
    @Override
    <T> T writing(Supplier<T> work) {
        writeLock.lock();
        try {
            checkWritable();
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} under the switch lock's write side: no get, iterator or stats is reading. */
    @Override
    void switching(Runnable work) {
        switchLock.writeLock().lock();
        try {
            work.run();
        } finally {
            switchLock.writeLock().unlock();
        }
    }

    /** Runs {@code work} under the merge lock only, so no other merge runs at the same time. Reentrant. */
    @Override
    void merging(Runnable work) {
        mergeLock.lock();
        try {
            work.run();
        } finally {
            mergeLock.unlock();
        }
    }

    /** Marks the store closed and runs {@code work}, under every lock, so that no merge, write or read is under way. */
    @Override
    void closeOnce(Runnable work) {
        mergeLock.lock();
        writeLock.lock();
        switchLock.writeLock().lock();
        try {
            runOnceClosing(work);
        } finally {
            switchLock.writeLock().unlock();
            writeLock.unlock();
            mergeLock.unlock();
        }
    }
}
