package dev.kvbook.wal;

import dev.kvbook.api.Plural;
import dev.kvbook.api.StoreFailedException;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: transactions that commit at about the same time share one fsync of the log.
 *
 * <p>A commit appends its frames under the store's writer lock, then, <em>after</em> releasing
 * it, {@link #awaitDurable waits} until an fsync covers its commit frame. The first waiter to
 * find no fsync running becomes the <em>leader</em>: it notes how many frames are appended,
 * fsyncs, and every commit whose frames were before that point is durable at once; the leader
 * wakes the others. While one fsync runs, the next transactions begin, append and queue up for
 * the next fsync. With 8 threads committing and an fsync costing milliseconds, one fsync
 * typically carries several commits.
 *
 * <p><b>The rule that keeps it safe beside checkpoints.</b> Frame numbers count from 1 again
 * after a checkpoint restarts the log, so "durable up to frame 7" means nothing across a restart.
 * A commit is therefore <em>in flight</em> from the moment it takes its place in the log (under
 * the writer lock, {@link #enter}) until it returns ({@link #leave}), and a checkpoint restarts
 * the log only when no commit is in flight and no fsync is running ({@link #awaitQuiet}, then
 * {@link #restarted}, which refuses otherwise). Before this rule, a checkpoint could slip in
 * between a commit's release of the writer lock and its wait: the commit then waited for frame
 * numbers of the old log, and hung, or an fsync begun before the restart counted new frames as
 * durable (issue #15, and chapter 5's "A race, and the rule that closes it").
 *
 * <p>If an fsync fails (or its thread dies), no waiting commit is acknowledged: every waiter, and
 * every later call, gets {@link StoreFailedException}, and the fsync is never retried (after a
 * failed fsync the kernel may have dropped the pages).
 *
 * <p>Thread-safe: one lock and condition; the fsync itself runs outside the lock.
 */
final class GroupCommit {

    private final Wal wal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int durable;       // frames of this log generation known durable
    private boolean syncing;   // a leader's fsync is running
    private int inFlight;      // commits between enter and leave
    private StoreFailedException failure;
    private long batches;

    /** Group commit over {@code wal}, whose frames so far are durable (recovery or start fsynced them). */
    GroupCommit(Wal wal) {
        this.wal = wal;
        this.durable = wal.syncedFrames();
    }

    /** A commit takes its place in the log (called under the writer lock, so no checkpoint is running). */
    void enter() {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    /** The commit that {@link #enter}ed returns (acknowledged or failed): a checkpoint may go ahead. */
    void leave() {
        lock.lock();
        try {
            assert inFlight > 0 : "leave without enter";
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once frames up to {@code lastFrame} are durable: waits for a running fsync, or runs
     * one as the leader. Costs at most one fsync, often none. The caller is in flight.
     *
     * @throws StoreFailedException an fsync failed, now or before
     */
    void awaitDurable(int lastFrame) {
        // LAB:BEGIN step5.group-commit — Commit, part 2: wait for a running fsync or lead one, so that many commits share one fsync
        lock.lock();
        try {
            assert inFlight > 0 : "only a commit in flight waits for frame numbers: a restart could change their meaning";
            while (durable < lastFrame) {
                if (failure != null) {
                    throw failure;
                }
                if (syncing) {
                    changed.awaitUninterruptibly();
                } else {
                    lead();
                }
            }
        } finally {
            lock.unlock();
        }
        // LAB:END
    }

    /** One fsync for every frame appended so far, then wake the waiters. Called holding the lock. */
    private void lead() {
        syncing = true;
        boolean synced = false;
        int target = 0;
        lock.unlock();
        try {
            target = wal.sync();
            synced = true;
        } finally {
            lock.lock();
            syncing = false;
            if (synced) {
                durable = Math.max(durable, target);
                batches++;
            } else if (failure == null) {
                failure = new StoreFailedException(wal.path() + ": an fsync of the log failed; the commits waiting for it"
                        + " are not acknowledged and the store refuses further writes (reopen it)", null);
            }
            changed.signalAll();
        }
    }

    /**
     * Waits until no commit is in flight and no fsync runs: what a checkpoint needs before it
     * restarts the log. Called holding the writer lock, so no new commit can enter meanwhile; every
     * commit in flight has appended and only waits for an fsync, so the wait ends. Afterwards every
     * appended frame is durable, unless an fsync failed.
     *
     * @throws StoreFailedException an fsync failed: the log must not be checkpointed or restarted
     */
    void awaitQuiet() {
        lock.lock();
        try {
            while (inFlight > 0 || syncing) {
                changed.awaitUninterruptibly();
            }
            if (failure != null) {
                throw failure;
            }
            // Invariant: a quiet log is a durable log (every commit that appended waited for its fsync).
            assert durable == wal.appendedFrames() : durable + " durable of " + wal.appendedFrames() + " appended";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts counting from frame 0 after a checkpoint restarted the log.
     *
     * @throws IllegalStateException a commit is in flight or an fsync runs: restarting now would
     *         change what its frame numbers mean (the rule in the class comment)
     */
    void restarted() {
        lock.lock();
        try {
            if (inFlight > 0 || syncing) {
                throw new IllegalStateException("the log was restarted under " + Plural.of(inFlight, "commit") + " in flight"
                        + (syncing ? " and a running fsync" : "") + ": a checkpoint must awaitQuiet() first");
            }
            durable = 0;
        } finally {
            lock.unlock();
        }
    }

    /** fsyncs that made commits durable. */
    long batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }
}
