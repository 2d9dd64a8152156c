package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogWriter;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write path: what happens to a batch of puts and deletes after {@link WriteQueue} has made
 * one writer its leader. For each write, one record appended to the memtable's log (step 2's
 * format) and one insert into the memtable with the next sequence number; then one fsync for the
 * whole batch. Before the batch, {@link #makeRoomForWrite} slows the writer down or makes it wait
 * when the tree is behind, and swaps a full memtable for an empty one, starting a new log.
 *
 * <p>Everything here runs under the write lock, one batch at a time: the log is appended by one
 * thread, and sequence numbers rise in log order, so replaying the log rebuilds the memtable
 * exactly.
 *
 * <p>Cost per batch: an O(log n) memtable insert and a log append per write, at most one fsync,
 * and now and then a log rotation (two files' worth of fsyncs) and, without background work, a
 * flush and compactions on this thread.
 */
final class WritePath {

    private static final byte[] NO_VALUE = new byte[0];

    /**
     * How long a write waits when level 0 has {@code level0SlowdownWrites} tables or more: 1 ms,
     * as in LevelDB. Short enough that one write barely notices, long enough that a stream of
     * writes leaves the compaction thread a share of a busy machine before level 0 reaches
     * {@code level0StopWrites} and writers stop outright.
     */
    static final long SLOWDOWN_NANOS = 1_000_000;

    private final Vfs vfs;
    private final Path dir;
    private final LsmStore.Options options;
    private final Tree tree;
    private final FailureLatch latch;
    private final BackgroundWork background;          // null: flushes and compactions on the writer's thread
    private final Runnable checkOpen;                 // throws StoreClosedException once close has begun
    private final ReentrantLock writeLock = new ReentrantLock();
    final LongAdder slowdowns = new LongAdder();

    // Guarded by writeLock.
    private VfsFile logFile;
    private LogWriter log;
    private long sequence;
    private volatile long lastSequence;               // the last sequence number a finished batch used

    /** The write path over the log recovery left open ({@code activeLog}, next record at {@code activeLogEnd}). */
    WritePath(Vfs vfs, Path dir, LsmStore.Options options, Tree tree, FailureLatch latch, BackgroundWork background,
              Runnable checkOpen, VfsFile activeLog, long activeLogEnd, long lastSequence) {
        this.vfs = vfs;
        this.dir = dir;
        this.options = options;
        this.tree = tree;
        this.latch = latch;
        this.background = background;
        this.checkOpen = checkOpen;
        this.logFile = activeLog;
        // Invariant: recovery cut the log to its last good record and fsynced it (LogTail), as LogWriter requires.
        this.log = new LogWriter(activeLog, activeLogEnd);
        this.sequence = lastSequence;
        this.lastSequence = lastSequence;
    }

    /** The sequence number of the newest write a finished batch made: what a new snapshot reads up to. */
    long lastSequence() {
        return lastSequence;
    }

    /**
     * Writes {@code batch}, run by the batch's leader: make room, then for each write append a
     * record to the log and insert it into the memtable with the next sequence number; then one
     * fsync for the batch. A delete first asks the tree whether the key is there, and writes
     * nothing when it is not. Any failure fails the store (the latch): the log may hold a record
     * the memtable does not, and only a reopen makes them agree again.
     */
    void write(List<WriteQueue.Write> batch) {
        writeLock.lock();
        try {
            checkOpen.run();
            latch.check();
            try {
                makeRoomForWrite();
                for (WriteQueue.Write w : batch) {
                    if (w.isDelete()) {
                        Cell current = tree.get(w.key);
                        w.found = current != null && !current.isTombstone();
                        if (!w.found) {
                            continue; // deleting an absent key writes nothing
                        }
                    }
                    log.append(w.isDelete() ? LogFormat.TYPE_TOMBSTONE : LogFormat.TYPE_PUT, w.key,
                            w.isDelete() ? NO_VALUE : w.value);
                    tree.memtable().put(w.key, ++sequence, w.value);
                }
                if (options.syncEveryWrite() && log.hasUnsyncedRecords()) {
                    log.sync();
                }
                lastSequence = sequence;
            } catch (CorruptionException e) {
                throw latch.set(e);
            } catch (StoreFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw latch.fail(e, "a write");
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Back-pressure, then room in the memtable.
     * <ol>
     * <li>Level 0 at {@code level0SlowdownWrites} tables or more: wait {@link #SLOWDOWN_NANOS}
     *     once for this batch (counted in {@link #slowdowns}). Compaction is falling behind; many
     *     short delays spread over many writes are gentler than one long stop later.</li>
     * <li>The memtable full: with background work, wait while the previous memtable is still
     *     being flushed or level 0 has {@code level0StopWrites} tables, then rotate and hand the
     *     flush to the background thread; without, rotate, flush and compact right here.</li>
     * </ol>
     */
    private void makeRoomForWrite() {
        if (tree.level0Tables() >= options.level0SlowdownWrites()) {
            slowDown();
        }
        if (tree.memtable().approximateBytes() < options.memtableBytes()) {
            return;
        }
        if (background != null) {
            background.awaitRoom(() -> tree.hasImmutable() || tree.level0Tables() >= options.level0StopWrites(),
                    latch::check);
            rotateLog();
            background.schedule();
        } else {
            rotateLog();
            tree.flush();
            tree.compactWhileNeeded();
        }
    }

    /**
     * One short wait. The write lock is held: the writers queued behind this batch wait with it,
     * which is the point. The flush and compaction thread never needs the write lock, so it runs
     * on. An interrupt ends the wait early and is kept for the caller to see.
     */
    private void slowDown() {
        slowdowns.increment();
        long until = System.nanoTime() + SLOWDOWN_NANOS;
        for (long left = SLOWDOWN_NANOS; left > 0 && !Thread.currentThread().isInterrupted();
             left = until - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /**
     * For {@link LsmStore#flush()}: waits for the previous memtable's flush, then rotates the
     * memtable so that the tree has an immutable one to flush. Returns false, rotating nothing,
     * when there is nothing to flush (an empty memtable over a single log).
     */
    boolean rotateForFlush() {
        writeLock.lock();
        try {
            checkOpen.run();
            latch.check();
            if (background != null) {
                background.awaitRoom(tree::hasImmutable, latch::check);
            }
            if (tree.memtable().isEmpty() && tree.liveLogs().size() == 1) {
                return false;
            }
            try {
                rotateLog();
            } catch (RuntimeException e) {
                throw latch.fail(e, "starting a new log");
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Starts a new log for a new memtable: fsyncs the old log (it is replayed until its memtable's
     * flush is durable, so it must be whole), creates the new one whole, and hands the full
     * memtable to the tree as immutable. Holds the write lock.
     */
    private void rotateLog() {
        assert writeLock.isHeldByCurrentThread();
        if (log.hasUnsyncedRecords()) {
            log.sync();
        }
        long number = tree.newFileNumber();
        Recovery.createLog(vfs, dir, number);
        VfsFile next = vfs.open(StoreFiles.log(dir, number), false);
        VfsFile old = logFile;
        logFile = next;
        log = new LogWriter(next, LogFormat.FILE_HEADER_SIZE); // created whole and fsynced: the header is durable
        tree.rotate(number);
        old.close();
    }

    /** Makes every write so far durable: one fsync of the log when anything is unsynced. */
    void sync() {
        writeLock.lock();
        try {
            checkOpen.run();
            latch.check();
            if (log.hasUnsyncedRecords()) {
                try {
                    log.sync();
                } catch (RuntimeException e) {
                    throw latch.fail(e, "syncing the log");
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The write side of a clean close (the store is marked closed, so no batch starts after it): unless the store has failed, fsyncs the log and ends the
     * manifest with its counters-only edit. Returns the failure, if any, having failed the store.
     */
    RuntimeException finish() {
        writeLock.lock();
        try {
            if (!latch.isSet()) {
                if (log.hasUnsyncedRecords()) {
                    log.sync();
                }
                tree.appendCloseMarker();
            }
            return null;
        } catch (RuntimeException e) {
            return latch.fail(e, "closing");
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the log file. */
    void closeLog() {
        logFile.close();
    }
}
