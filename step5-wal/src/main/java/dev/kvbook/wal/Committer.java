package dev.kvbook.wal;

import dev.kvbook.api.StoreFailedException;
import dev.kvbook.btree.Page;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The commit protocol: how a transaction's private pages become a durable, visible state. The
 * store's writer side; {@link GroupCommit} is the fsync it waits for.
 *
 * <p>In order, for a transaction holding the {@link WriterLock}:
 * <ol>
 *   <li><b>Append</b> its changed pages to the log as frames, the last one the commit frame
 *       ({@link Wal#append}: one write, no fsync).</li>
 *   <li><b>Index</b> the frames ({@link WalIndex#add}) and offer the pages to the cache. Readers
 *       may run meanwhile; they are safe because a reader looks only at frames up to its own
 *       snapshot's {@code maxFrame}, and no published snapshot includes these frames yet.</li>
 *   <li><b>Queue</b> the new state for group commit, and make it the base the next transaction
 *       builds on ({@link #writerBase}): the next writer starts from it before it is durable.</li>
 *   <li><b>Hand off</b> the writer lock (with group commit on): the next transaction may begin
 *       and append while this one waits for its fsync. That overlap is what lets several commits
 *       share one fsync.</li>
 *   <li><b>Wait</b> until an fsync covers the commit frame ({@link GroupCommit#awaitDurable}); the
 *       leader of that fsync publishes the newest durable state to readers ({@link #published}).</li>
 * </ol>
 * A crash before step 5 completes loses the commit (it was never acknowledged); after it, the
 * commit frame is durable and recovery replays it. A failed append or fsync sets the
 * {@link FailureLatch}: no later commit is attempted, and no waiting one is acknowledged.
 *
 * <p>Cost per commit: one write of {@code changed pages x (page + frame header)} bytes and at most
 * one fsync, often shared. Thread-safe as used: {@link #commit} and {@link #restarted} run under
 * the writer lock (which guards {@code writerBase}); {@link #published} is a volatile read.
 */
final class Committer {

    private final Wal wal;
    private final WalIndex index;
    private final CommittedPages pages;
    private final WriterLock writer;
    private final FailureLatch failure;
    private final Runnable checkWritable;
    private final boolean groupCommitOn;
    private final GroupCommit groupCommit;
    private volatile Snapshot published;   // the newest durable commit: what readers see
    private Snapshot writerBase;           // the newest appended commit: what the next transaction builds on

    /**
     * The commit protocol over {@code wal}, starting from the {@code recovered} state (durable:
     * recovery fsynced it). {@code checkWritable} throws if the store is closed or has failed.
     */
    Committer(Wal wal, WalIndex index, CommittedPages pages, WriterLock writer, FailureLatch failure,
              Runnable checkWritable, boolean groupCommitOn, Snapshot recovered) {
        this.wal = wal;
        this.index = index;
        this.pages = pages;
        this.writer = writer;
        this.failure = failure;
        this.checkWritable = checkWritable;
        this.groupCommitOn = groupCommitOn;
        this.published = recovered;
        this.writerBase = recovered;
        this.groupCommit = new GroupCommit(wal, this::publish);
    }

    /**
     * Commits the transaction whose private pages are in {@code pager}, holding the writer lock:
     * append, index, queue, release the writer lock, wait for an fsync (see the class comment).
     * The writer lock is released on every path, normal or not. Returns whether anything was
     * logged (false: the transaction changed nothing, and nothing was written).
     *
     * @throws StoreFailedException the store had failed, or the append or the fsync failed: not acknowledged
     */
    boolean commit(WalPager pager) {
        boolean released = false;
        try {
            if (!pager.hasChanges()) {
                return false;
            }
            checkWritable.run();
            List<Page> changed = pager.dirtyPages();
            int last = appendToLog(changed, pager);
            writerBase = new Snapshot(last, pager.pageCount(), pager.meta());
            groupCommit.enqueue(last, writerBase);
            if (groupCommitOn) {
                writer.release();
                released = true;
            }
            awaitDurable(last);
            return true;
        } finally {
            if (!released) {
                writer.release();
            }
        }
    }

    /** Steps 1 and 2: appends the frames, then indexes and caches them. Returns the commit frame's number. */
    private int appendToLog(List<Page> changed, WalPager pager) {
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
            index.add(changed.get(i).number(), first + i);
            pages.remember(first + i, changed.get(i));
        }
        return last;
    }

    /**
     * Returns once the log is durable up to {@code lastFrame} and that state is published: leads
     * an fsync or waits for the one running. At most one fsync, often none.
     *
     * @throws StoreFailedException the fsync failed, now or before (the latch is set)
     */
    void awaitDurable(int lastFrame) {
        try {
            groupCommit.awaitDurable(lastFrame);
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "syncing the log");
        } catch (StoreFailedException e) {
            throw failure.set(e);
        }
    }

    /** Returns once every appended commit is durable and published (before a checkpoint or close). */
    void awaitAllDurable() {
        awaitDurable(wal.appendedFrames());
    }

    /** Called by the group-commit leader, after the fsync covering {@code snapshot}. */
    private void publish(Snapshot snapshot) {
        // Invariant: readers see only durable commits.
        assert snapshot.maxFrame() <= wal.syncedFrames() : "publishing frame " + snapshot.maxFrame() + " before its fsync";
        published = snapshot;
    }

    /** After a checkpoint restarted the log (writer lock held, nothing pending): {@code after} is both published and the base. */
    void restarted(Snapshot after) {
        groupCommit.restarted();
        published = after;
        writerBase = after;
    }

    /** The newest durable commit: the snapshot every new reader reads. A volatile read. */
    Snapshot published() {
        return published;
    }

    /** The newest appended commit, durable or not yet: what a new transaction builds on. Writer lock held. */
    Snapshot writerBase() {
        return writerBase;
    }

    /** Commits queued so far. */
    long commits() {
        return groupCommit.commits();
    }

    /** fsyncs that made commits durable. */
    long batches() {
        return groupCommit.batches();
    }
}
