package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.btree.Page;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The writer side of the store: how a transaction's private pages become a durable, visible
 * state ({@link #commit}), and how the log is copied into the data file and started again
 * ({@link #checkpoint}). Read {@link #commit} first: the whole protocol is in that one method.
 *
 * <p><b>Two snapshots.</b> {@link #published} is the newest <em>durable</em> commit: every new
 * reader reads it. {@link #writerBase} is the newest <em>appended</em> commit, durable or not
 * yet: the next transaction builds on it, so that with group commit it can append while the one
 * before still waits for its fsync. Whatever a transaction read came from its base, so no
 * transaction returns, not even one that changed nothing or rolled back, before its base is
 * durable and published (issue #15's first bug was an empty transaction answering from a commit
 * still waiting for its fsync).
 *
 * <p><b>Locks.</b> The {@link WriterLock}: one transaction, checkpoint or close at a time; it
 * guards {@code writerBase}. The readers' lock ({@link #readerLock}): a reader holds it for
 * reading from taking a snapshot to its last page read; a checkpoint takes it for writing while
 * it overwrites data pages and restarts the log under them, so it waits for at most one read or
 * one iterator batch. (SQLite avoids that wait with per-reader marks in shared memory.)
 *
 * <p>Thread-safe as used: the writer lock is held where its comments say.
 */
final class Committer {

    private final Wal wal;
    private final CommittedPages pages;
    private final WriterLock writer;
    private final FailureLatch failure;
    private final GroupCommit groupCommit;
    private final boolean groupCommitOn;
    private final long checkpointWalBytes;
    private final ReentrantReadWriteLock readers = new ReentrantReadWriteLock();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile Snapshot published;   // the newest durable commit: what readers see
    private Snapshot writerBase;           // the newest appended commit: what the next transaction builds on

    /** The writer side over {@code wal} and {@code pages}, starting from the {@code recovered} state (durable: recovery fsynced it). */
    Committer(Wal wal, CommittedPages pages, WriterLock writer, FailureLatch failure, WalStore.Options options,
              Snapshot recovered) {
        this.wal = wal;
        this.pages = pages;
        this.writer = writer;
        this.failure = failure;
        this.groupCommit = new GroupCommit(wal);
        this.groupCommitOn = options.groupCommit();
        this.checkpointWalBytes = options.checkpointWalBytes();
        this.published = recovered;
        this.writerBase = recovered;
    }

    /**
     * The commit of the transaction whose private pages are in {@code pager}. Called by it,
     * holding the writer lock, which is released on every path. Durable and visible on return.
     * Cost: one write of {@code changed pages x (page + frame header)} bytes and at most one
     * fsync, often shared; none at all when nothing changed and the base is durable already.
     *
     * @throws StoreFailedException the store had failed, or the append or the fsync failed: not acknowledged
     */
    void commit(WalPager pager) {
        boolean changed = pager.hasChanges();
        Snapshot state;
        boolean inFlight = false;
        try {
            // 1. Append the changed pages as frames, the last one the commit frame: one write, no
            //    fsync. A transaction that changed nothing appends nothing and is "committed" as
            //    its base, which may itself still wait for its fsync.
            state = changed ? append(pager) : pager.base();
            // The rule that keeps checkpoints safe: from here until it returns, this commit is
            // in flight, and no checkpoint restarts the log (GroupCommit's class comment).
            groupCommit.enter();
            inFlight = true;
        } finally {
            if (!inFlight) {
                writer.release(); // the append failed: nothing to wait for
            }
        }
        try {
            // 2. Wait until an fsync covers the commit frame. Group commit: release the writer lock
            //    first, so the next transactions append while this one waits, and share its fsync.
            if (groupCommitOn) {
                writer.release();
                awaitDurable(state);
            } else {
                try {
                    awaitDurable(state);
                } finally {
                    writer.release();
                }
            }
            // 3. Publish: from now on readers see this state. Never before its fsync.
            publish(state);
        } finally {
            groupCommit.leave();
        }
        // 4. Checkpoint if the log has grown past its threshold (takes the writer lock again).
        if (changed && wal.bytes() > checkpointWalBytes) {
            checkpoint(checkpointWalBytes);
        }
    }

    /**
     * Ends a transaction without its changes: drops its private pages, then waits, like an empty
     * commit, until the state it read is durable and published (its reads were answers too).
     * Called holding the writer lock, which is released. O(1) unless that state waits for an fsync.
     *
     * @throws StoreFailedException the state it read can never become durable: the store failed
     */
    void rollback(WalPager pager) {
        pager.discardChanges();
        commit(pager);
    }

    /** Step 1: appends the frames, indexes and caches them; returns the new state (the next transaction's base). */
    private Snapshot append(WalPager pager) {
        failure.check();
        List<Page> changed = pager.dirtyPages();
        int last;
        try {
            last = wal.append(changed, pager.pageCount(), pager.meta());
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "appending a commit to the log");
        }
        int first = last - changed.size() + 1;
        // Invariant: no published snapshot reaches frame `first` yet, so no reader can find
        // these index entries before the fsync that makes them durable.
        assert published.maxFrame() < first : "frame " + first + " already visible at " + published.maxFrame();
        for (int i = 0; i < changed.size(); i++) {
            pages.logged(first + i, changed.get(i));
        }
        commits.incrementAndGet();
        writerBase = new Snapshot(last, pager.pageCount(), pager.meta());
        return writerBase;
    }

    /** Step 2: returns once the log is durable up to {@code state}; maps a failed fsync to the latch. */
    private void awaitDurable(Snapshot state) {
        try {
            groupCommit.awaitDurable(state.maxFrame());
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "syncing the log");
        } catch (StoreFailedException e) {
            throw failure.set(e);
        }
    }

    /**
     * Step 3: makes {@code state} what new readers see, unless a newer one is already published (a
     * later commit can be made durable and published first; it includes this one). One volatile write.
     * (Package-private for its tests.)
     */
    synchronized void publish(Snapshot state) {
        // LAB:BEGIN step5.publish — Commit, part 3: publish a durable state, unless a newer one is published already
        // Invariant: readers see only durable commits.
        assert state.maxFrame() <= wal.syncedFrames() : "publishing frame " + state.maxFrame() + " before its fsync";
        if (state.maxFrame() > published.maxFrame()) {
            published = state;
        }
        // LAB:END
    }

    /**
     * Checkpoints if the log is larger than {@code overBytes} (-1: whatever its size). Takes the
     * writer lock, waits until no commit is in flight (so restarting the log cannot change what
     * a waiting commit's frame numbers mean) and for the readers, then runs {@link Checkpointer}.
     * Returns whether it copied anything. O(pages in the log) reads and writes, four fsyncs.
     *
     * @throws StoreFailedException the store had failed, or the checkpoint's I/O failed (the latch is set)
     * @throws CorruptionException a page to copy is damaged (the latch is set: the data file is left alone)
     */
    boolean checkpoint(long overBytes) {
        writer.acquire();
        try {
            if (wal.bytes() <= overBytes) {
                return false;
            }
            awaitQuiet();
            readers.writeLock().lock();
            try {
                Snapshot after = Checkpointer.run(published, pages, wal, keepWalBytes());
                if (after == null) {
                    return false;
                }
                groupCommit.restarted();
                published = after;
                writerBase = after;
                checkpoints.incrementAndGet();
                return true;
            } catch (UncheckedIOException e) {
                throw failure.fail(e, "a checkpoint");
            } catch (CorruptionException e) {
                throw failure.set(e);
            } finally {
                readers.writeLock().unlock();
            }
        } finally {
            writer.release();
        }
    }

    /**
     * Closes the log, the writer lock held by close. First waits for every commit in flight. With
     * {@code checkpointFirst}: copies the log into the data file (steps 1 to 3 of
     * {@link Checkpointer}) and deletes the log, durably. Without it, or if the copy fails, the log
     * is only closed (and recovered from on the next open). O(pages in the log) with the
     * checkpoint, O(1) without.
     *
     * @throws StoreFailedException the checkpoint's I/O failed (the latch is set; the log is closed anyway)
     */
    void closeLog(boolean checkpointFirst) {
        boolean walClosed = false;
        try {
            awaitQuiet();
            if (checkpointFirst) {
                readers.writeLock().lock();
                try {
                    Checkpointer.copyToDataFile(published, pages);
                    walClosed = true; // delete() closes the file first: never close it twice
                    wal.delete();
                } finally {
                    readers.writeLock().unlock();
                }
            }
        } catch (StoreFailedException e) {
            if (checkpointFirst) {
                throw e;
            }
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "the checkpoint on close");
        } finally {
            if (!walClosed) {
                wal.close();
            }
        }
    }

    /** Waits until no commit is in flight and no fsync runs; then every appended commit is durable and published. */
    private void awaitQuiet() {
        try {
            groupCommit.awaitQuiet();
        } catch (StoreFailedException e) {
            throw failure.set(e);
        }
        // Invariant: a checkpoint copies every commit, so every appended commit is published.
        assert published.maxFrame() == wal.appendedFrames() : published.maxFrame() + " of " + wal.appendedFrames();
    }

    /**
     * How much of the log's file a checkpoint keeps for reuse: twice the automatic limit, since
     * the log normally reaches the limit plus one transaction. A longer file (one huge
     * transaction) is cut back, so the space does not stay taken for good.
     */
    private long keepWalBytes() {
        return Math.min(checkpointWalBytes, Long.MAX_VALUE / 2) * 2;
    }

    /** The lock a reader holds from taking a snapshot to its last page read; checkpoints wait for it. */
    Lock readerLock() {
        return readers.readLock();
    }

    /** The newest durable commit: the snapshot every new reader reads. A volatile read. */
    Snapshot published() {
        return published;
    }

    /** The newest appended commit, durable or not yet: what a new transaction builds on. Writer lock held. */
    Snapshot writerBase() {
        return writerBase;
    }

    /** Transactions appended to the log since open (empty ones write nothing and do not count). */
    long commits() {
        return commits.get();
    }

    /** fsyncs that made commits durable. */
    long batches() {
        return groupCommit.batches();
    }

    /** Checkpoints completed since open (automatic and on demand). */
    long checkpoints() {
        return checkpoints.get();
    }
}
