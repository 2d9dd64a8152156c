package dev.kvbook.wal;

import dev.kvbook.api.StoreFailedException;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit: transactions that commit at about the same time share one fsync of the log.
 *
 * <p>A commit has two halves. Under the store's writer lock, the transaction appends its frames
 * and {@link #enqueue}s the snapshot it produced. Then, <em>after</em> releasing the writer lock,
 * it {@link #awaitDurable waits} until an fsync covers its commit frame. The first waiter to find
 * no fsync running becomes the <em>leader</em>: it notes how many frames are appended, fsyncs,
 * and then every transaction whose frames were before that point is durable at once; the leader
 * publishes the newest of their snapshots to readers and wakes the others. While one fsync runs,
 * the next transactions begin, append and queue up for the next fsync. With 8 threads committing
 * and an fsync costing milliseconds, one fsync typically carries several commits.
 *
 * <p>Readers see a commit only once it is durable: a snapshot is published strictly after the
 * fsync that covers it, and in log order. If an fsync fails (or its thread dies), no waiting
 * commit is acknowledged: every waiter, and every later call, gets {@link StoreFailedException},
 * and the fsync is never retried (after a failed fsync the kernel may have dropped the pages).
 *
 * <p>Thread-safe: one lock and condition; the fsync itself runs outside the lock.
 */
final class GroupCommit {

    private record Pending(int lastFrame, Snapshot snapshot) {
    }

    private final Wal wal;
    private final Consumer<Snapshot> publish;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int durable;
    private boolean syncing;
    private StoreFailedException failure;
    private long commits;
    private long batches;

    /** Group commit over {@code wal}, handing each durable snapshot to {@code publish} (in order). */
    GroupCommit(Wal wal, Consumer<Snapshot> publish) {
        this.wal = wal;
        this.publish = publish;
        this.durable = wal.syncedFrames();
    }

    /** Queues a commit whose last frame is {@code lastFrame}, appended but not yet durable. */
    void enqueue(int lastFrame, Snapshot snapshot) {
        lock.lock();
        try {
            assert pending.isEmpty() || pending.peekLast().lastFrame() < lastFrame : "commits queue in log order";
            pending.addLast(new Pending(lastFrame, snapshot));
            commits++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once frames up to {@code lastFrame} are durable and their snapshot published:
     * waits for a running fsync, or runs one as the leader. Costs at most one fsync, often none.
     *
     * @throws StoreFailedException an fsync failed, now or before
     */
    void awaitDurable(int lastFrame) {
        // LAB:BEGIN step5.group-commit — Commit, part 2: wait for a running fsync or lead one, so that many commits share one fsync
        lock.lock();
        try {
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
            // A leader fsyncs everything appended so far, so it may have made this commit durable
            // before the commit was queued (appended, not yet enqueued, when the leader began) and
            // published only what was queued then. Publish it now: a commit must be visible when it
            // returns, and a checkpoint must find every durable commit published, or restarting
            // the log would throw that commit away.
            publishDurable();
        } finally {
            lock.unlock();
        }
        // LAB:END
    }

    /** One fsync for every frame appended so far, then publish and wake the waiters. Called holding the lock. */
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
                publishDurable();
            } else if (failure == null) {
                failure = new StoreFailedException(wal.path() + ": an fsync of the log failed; the commits waiting for it"
                        + " are not acknowledged and the store refuses further writes (reopen it)", null);
            }
            changed.signalAll();
        }
    }

    /** Publishes the newest queued snapshot that is now durable; later ones keep waiting. */
    private void publishDurable() {
        // LAB:BEGIN step5.publish — Commit, part 3: publish the newest queued snapshot that is now durable
        Snapshot newest = null;
        while (!pending.isEmpty() && pending.peekFirst().lastFrame() <= durable) {
            newest = pending.pollFirst().snapshot();
        }
        if (newest != null) {
            publish.accept(newest);
        }
        // LAB:END
    }

    /** Starts over after a checkpoint restarted the log (nothing may be pending). */
    void restarted() {
        lock.lock();
        try {
            assert pending.isEmpty() : "a checkpoint runs only when every commit is durable";
            durable = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Commits queued so far. */
    long commits() {
        lock.lock();
        try {
            return commits;
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
