package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * When checkpoints run, and what they wait for. {@link Checkpointer} is <em>how</em> a checkpoint
 * copies the log into the data file; this class makes sure it runs only when that is safe, and
 * publishes the result.
 *
 * <p><b>When.</b> Automatically after a commit that leaves the log larger than
 * {@code checkpointWalBytes} ({@link #afterCommit}); on demand ({@link #checkpoint}); and on close
 * ({@link #closeLog}), which also deletes the log so that at rest the store is one file.
 *
 * <p><b>What it waits for</b>, in this order, which establishes {@link Checkpointer}'s
 * preconditions:
 * <ol>
 *   <li>the {@link WriterLock}: no transaction is open, so no page changes under the copy;</li>
 *   <li>every appended commit durable and published ({@link Committer#awaitAllDurable}): a
 *       checkpoint copies only durable page versions, and restarting the log must not drop a
 *       commit still waiting for its fsync;</li>
 *   <li>the checkpoint lock, for writing: no reader is between taking a snapshot and reading its
 *       pages, because the checkpoint overwrites data pages and restarts the log under them.
 *       Readers hold the same lock for reading ({@link #readerLock}) for one operation or one
 *       iterator batch, so a checkpoint waits at most that long, and holds readers off while it
 *       copies. (SQLite avoids that wait with per-reader marks in shared memory.)</li>
 * </ol>
 * Cost: the wait, then {@link Checkpointer}'s: one read and one write per page in the log, three
 * fsyncs of the data file, one of the log. Thread-safe.
 */
final class CheckpointScheduler {

    private final long walBytesLimit;
    private final WalIndex index;
    private final CommittedPages pages;
    private final DataFile data;
    private final Wal wal;
    private final PageCache cache;
    private final WriterLock writer;
    private final FailureLatch failure;
    private final Runnable checkWritable;
    private final Committer committer;
    private final ReentrantReadWriteLock checkpointLock = new ReentrantReadWriteLock();
    private final AtomicLong checkpoints = new AtomicLong();

    /**
     * The scheduler of one store's checkpoints: automatic past {@code walBytesLimit} bytes of log.
     * {@code checkWritable} throws if the store is closed or has failed.
     */
    CheckpointScheduler(long walBytesLimit, WalIndex index, CommittedPages pages, DataFile data, Wal wal, PageCache cache,
                        WriterLock writer, FailureLatch failure, Runnable checkWritable, Committer committer) {
        this.walBytesLimit = walBytesLimit;
        this.index = index;
        this.pages = pages;
        this.data = data;
        this.wal = wal;
        this.cache = cache;
        this.writer = writer;
        this.failure = failure;
        this.checkWritable = checkWritable;
        this.committer = committer;
    }

    /** The lock a reader holds from taking a snapshot to its last page read; checkpoints wait for it. */
    Lock readerLock() {
        return checkpointLock.readLock();
    }

    /** The automatic checkpoint, after a commit: runs if the log is past the limit. O(1) when it is not. */
    void afterCommit() {
        if (wal.bytes() > walBytesLimit) {
            checkpoint(walBytesLimit);
        }
    }

    /**
     * Checkpoints if the log is larger than {@code overBytes} (-1: whatever its size), after the
     * waits in the class comment. Returns whether it copied anything.
     *
     * @throws dev.kvbook.api.StoreFailedException the store had failed, or the checkpoint's I/O failed (the latch is set)
     * @throws CorruptionException a page to copy is damaged (the latch is set: the data file is left alone)
     */
    boolean checkpoint(long overBytes) {
        writer.acquire(checkWritable);
        try {
            if (wal.bytes() <= overBytes) {
                return false;
            }
            committer.awaitAllDurable();
            checkpointLock.writeLock().lock();
            try {
                Snapshot after = Checkpointer.run(committer.published(), index, pages, data, wal, cache, keepWalBytes());
                if (after == null) {
                    return false;
                }
                committer.restarted(after);
                checkpoints.incrementAndGet();
                return true;
            } catch (UncheckedIOException e) {
                throw failure.fail(e, "a checkpoint");
            } catch (CorruptionException e) {
                throw failure.set(e);
            } finally {
                checkpointLock.writeLock().unlock();
            }
        } finally {
            writer.release();
        }
    }

    /**
     * Closes the log, the writer lock held by close. With {@code checkpointFirst}: waits for every
     * commit to be durable, copies the log into the data file (steps 1 to 3 of {@link Checkpointer})
     * and deletes the log, durably. Without it, or if the copy fails, the log is only closed (and
     * recovered from on the next open). O(pages in the log) with the checkpoint, O(1) without.
     *
     * @throws dev.kvbook.api.StoreFailedException the checkpoint's I/O failed (the latch is set; the log is closed anyway)
     */
    void closeLog(boolean checkpointFirst) {
        boolean walClosed = false;
        try {
            if (checkpointFirst) {
                committer.awaitAllDurable();
                checkpointLock.writeLock().lock();
                try {
                    Checkpointer.copyToDataFile(committer.published(), index, pages, data);
                    walClosed = true; // delete() closes the file first: never close it twice
                    wal.delete();
                } finally {
                    checkpointLock.writeLock().unlock();
                }
            }
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "the checkpoint on close");
        } finally {
            if (!walClosed) {
                wal.close();
            }
        }
    }

    /**
     * How much of the log's file a checkpoint keeps for reuse: twice the automatic limit, since
     * the log normally reaches the limit plus one transaction. A longer file (one huge
     * transaction) is cut back, so the space does not stay taken for good.
     */
    private long keepWalBytes() {
        return Math.min(walBytesLimit, Long.MAX_VALUE / 2) * 2;
    }

    /** Checkpoints completed since open (automatic and on demand). */
    long count() {
        return checkpoints.get();
    }
}
