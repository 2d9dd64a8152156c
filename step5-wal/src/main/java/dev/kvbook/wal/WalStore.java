package dev.kvbook.wal;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.BTree;
import dev.kvbook.btree.Cursor;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.PageFormat;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Step 5: the step-4 B+tree with a write-ahead log under it. Transactions are atomic and durable,
 * readers never wait for the writer, and a crash at any moment is recovered from, not refused.
 *
 * <h2>The idea</h2>
 * A transaction changes private copies of pages ({@link WalPager}: no-steal). Its commit appends
 * them to {@code <file>-wal} and fsyncs the log once: from that moment it is durable, whatever
 * the data file {@code <file>} holds. Readers find a page's newest committed version in the log
 * through the {@link WalIndex}, else in the data file. Now and then a checkpoint
 * ({@link Checkpointer}) copies the log into the data file and starts the log again. The data
 * file is only a cache of the log.
 *
 * <h2>Durability</h2>
 * Every {@code put}, {@code delete} and {@link Transaction#commit} is durable when it returns
 * (one fsync of the log, shared with commits from other threads: {@link GroupCommit}).
 * {@link #sync()} has nothing left to do. {@link #close()} checkpoints and removes the log, so at
 * rest the store is one file; {@code Options.withCheckpointOnClose(false)} leaves the log.
 *
 * <h2>The crash promise</h2>
 * After a crash, {@link #open} recovers ({@link Recovery}): every committed transaction is there,
 * no uncommitted one, never part of one. Recovery is idempotent. Damage before the committed end
 * of the log, or in a page, is reported as {@link CorruptionException}; a torn tail is cut off.
 *
 * <h2>Failures</h2>
 * A failed write or fsync of the log or the data file makes the store refuse every later write
 * and checkpoint ({@link StoreFailedException}); a failed fsync is never retried and a commit is
 * never acknowledged unless an fsync covering it returned. Reads go on from the last published
 * state. An error inside a transaction (a failed read, say) breaks only that transaction.
 *
 * <h2>Threads</h2>
 * One writer at a time: {@link #begin} takes a fair writer lock (a semaphore) and waits while
 * another transaction is open. Readers take no lock against the writer: each {@code get}, and
 * each batch of 256 entries of an iterator, reads one published {@link Snapshot}; an iterator
 * longer than a batch may see commits between its batches (never part of one), as in step 4.
 * Readers do share a read/write lock with checkpoints, which rewrite the data file and restart
 * the log: a checkpoint waits for the batches being read and holds readers off while it runs.
 * A file is open in one process at a time: {@code open} locks {@code <file>.lock}.
 */
public final class WalStore implements TransactionalStore {

    /**
     * How to open a store.
     *
     * @param vfs                the file system
     * @param pageSize           bytes per page for a new store (4096 to 32768, a power of two)
     * @param cachePages         committed pages kept in memory (a transaction's own changed pages come on top)
     * @param checkpointWalBytes checkpoint automatically after a commit leaves the log larger than this
     * @param groupCommit        let committers share fsyncs (wait for durability outside the writer lock)
     * @param checkpointOnClose  checkpoint and delete the log on close (off: the log stays, for looking at it)
     */
    public record Options(Vfs vfs, int pageSize, int cachePages, long checkpointWalBytes, boolean groupCommit,
                          boolean checkpointOnClose) {

        public Options {
            if (!PageFormat.isValidPageSize(pageSize)) {
                throw new IllegalArgumentException("page size must be a power of two from " + PageFormat.MIN_PAGE_SIZE
                        + " to " + PageFormat.MAX_PAGE_SIZE + ", not " + pageSize);
            }
            if (cachePages < 1 || checkpointWalBytes < 0) {
                throw new IllegalArgumentException("cache pages must be at least 1 and the checkpoint threshold at least 0,"
                        + " not " + cachePages + " and " + checkpointWalBytes);
            }
        }

        /** The real disk, 4 KiB pages, a 4 MiB cache, a checkpoint every 4 MiB of log, group commit, one file at rest. */
        public static Options defaults() {
            return new Options(Vfs.local(), 4096, 1024, 4L << 20, true, true);
        }

        public Options withVfs(Vfs newVfs) {
            return new Options(newVfs, pageSize, cachePages, checkpointWalBytes, groupCommit, checkpointOnClose);
        }

        public Options withPageSize(int newPageSize) {
            return new Options(vfs, newPageSize, cachePages, checkpointWalBytes, groupCommit, checkpointOnClose);
        }

        public Options withCachePages(int pages) {
            return new Options(vfs, pageSize, pages, checkpointWalBytes, groupCommit, checkpointOnClose);
        }

        public Options withCheckpointWalBytes(long bytes) {
            return new Options(vfs, pageSize, cachePages, bytes, groupCommit, checkpointOnClose);
        }

        public Options withGroupCommit(boolean on) {
            return new Options(vfs, pageSize, cachePages, checkpointWalBytes, on, checkpointOnClose);
        }

        public Options withCheckpointOnClose(boolean on) {
            return new Options(vfs, pageSize, cachePages, checkpointWalBytes, groupCommit, on);
        }
    }

    private final Path file;
    private final Options options;
    private final Closeable lock;
    private final DataFile data;
    private final Wal wal;
    private final WalIndex index;
    private final PageCache cache;
    private final CommittedPages pages;
    private final GroupCommit groupCommit;
    private final Recovery.Scan recovered;
    private final Semaphore writer = new Semaphore(1, true);
    private final ReentrantReadWriteLock checkpointLock = new ReentrantReadWriteLock();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile Thread writerThread;
    private volatile Snapshot published;   // the newest durable commit: what readers see
    private Snapshot writerBase;           // the newest appended commit: what the next transaction builds on
    private volatile RuntimeException failure;
    private volatile boolean closed;

    private WalStore(Path file, Options options, Closeable lock, DataFile data, WalIndex index, Recovery.Recovered r) {
        this.file = file;
        this.options = options;
        this.lock = lock;
        this.data = data;
        this.wal = r.wal();
        this.index = index;
        this.cache = new PageCache(options.cachePages());
        this.pages = new CommittedPages(data, wal, index, cache);
        this.published = r.snapshot();
        this.writerBase = r.snapshot();
        this.recovered = r.scan();
        this.groupCommit = new GroupCommit(wal, snapshot -> published = snapshot);
    }

    /** Opens (creating if needed) the store in {@code file} with default options. */
    public static WalStore open(Path file) {
        return open(file, Options.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code file} and {@code <file>-wal}: takes
     * {@code <file>.lock}, reads the data file's header, and recovers the log ({@link Recovery}):
     * O(log size) reads, an fsync if it holds anything.
     *
     * @throws CorruptionException damage in the data file's header or before the log's committed end
     * @throws dev.kvbook.api.StoreLockedException the store is open elsewhere
     */
    public static WalStore open(Path file, Options options) {
        Path absolute = file.toAbsolutePath();
        Vfs vfs = options.vfs();
        Closeable lock = vfs.lock(absolute.resolveSibling(absolute.getFileName() + ".lock"));
        try {
            DataFile data = DataFile.open(vfs, absolute, options.pageSize());
            try {
                WalIndex index = new WalIndex();
                Recovery.Recovered recovered = Recovery.recover(vfs, walPath(absolute), data, index);
                return new WalStore(absolute, options, lock, data, index, recovered);
            } catch (RuntimeException e) {
                data.close();
                throw e;
            }
        } catch (RuntimeException e) {
            closeQuietly(lock, e);
            throw e;
        }
    }

    /** The log beside {@code file}: {@code <file>-wal}. */
    public static Path walPath(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    // ---- reading: one published snapshot per call ----------------------------------------

    /** The committed value under {@code key}, or null. O(height) page reads, mostly cached; never waits for a writer. */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        return read(pager -> new BTree(pager).get(key));
    }

    /** Live keys of the last committed state. O(1). */
    @Override
    public long size() {
        return read(pager -> pager.meta().keyCount());
    }

    /** All committed entries in key order, a batch (one snapshot) at a time. */
    @Override
    public CloseableIterator<Entry> iterator() {
        return scan(null, null);
    }

    /** The committed entries in {@code [fromInclusive, toExclusive)}, in order. O(height + range) page reads. */
    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        Limits.checkBound(fromInclusive);
        Limits.checkBound(toExclusive);
        checkOpen();
        return new Cursor((start, inclusive, end) -> read(pager -> new BTree(pager)
                .readBatch(start, inclusive, end, Cursor.BATCH_ENTRIES, Cursor.BATCH_BYTES)), fromInclusive, toExclusive);
    }

    private <T> T read(Function<WalPager, T> action) {
        checkOpen();
        checkpointLock.readLock().lock();
        try {
            return action.apply(WalPager.reader(pages, published));
        } finally {
            checkpointLock.readLock().unlock();
        }
    }

    // ---- writing: transactions -----------------------------------------------------------

    /** Stores {@code value} under {@code key} as a transaction of its own: durable on return (one shared fsync). */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        inTransaction(t -> {
            t.put(key, value);
            return null;
        });
    }

    /** Removes {@code key} as a transaction of its own; true when it was there. Writes nothing when it was not. */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        return inTransaction(t -> t.delete(key));
    }

    /**
     * Starts a write transaction, waiting while another is open (fairly, in arrival order).
     *
     * @throws IllegalStateException this thread already has a transaction open (it would wait for itself)
     */
    @Override
    public Transaction begin() {
        acquireWriter();
        return new WalTransaction(this, WalPager.writer(pages, writerBase));
    }

    /** Takes the writer lock (waiting for the open transaction), checking the store can still write. */
    private void acquireWriter() {
        checkWritable();
        if (writerThread == Thread.currentThread()) {
            throw new IllegalStateException("this thread already has a transaction open on " + file
                    + "; finish it first (one writer at a time)");
        }
        writer.acquireUninterruptibly();
        writerThread = Thread.currentThread();
        try {
            checkWritable(); // the store may have failed or closed while we waited
        } catch (RuntimeException e) {
            endTransaction();
            throw e;
        }
    }

    /** Runs {@code work} in a transaction: commits when it returns, rolls back when it throws. */
    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        WalTransaction transaction = (WalTransaction) begin();
        try {
            T result = work.apply(transaction);
            if (transaction.isOpen()) {
                transaction.commit();
            }
            return result;
        } finally {
            if (transaction.isOpen()) {
                transaction.rollback();
            }
        }
    }

    /** Nothing to do: every commit was durable when it returned. Throws if the store has failed. */
    @Override
    public void sync() {
        checkWritable();
    }

    /**
     * The commit of a transaction (called by it, holding the writer lock): append its pages to
     * the log, index them, queue the new state; release the writer lock (with group commit) and
     * wait for an fsync; then maybe checkpoint. See {@link GroupCommit}.
     */
    void commit(WalPager pager) {
        boolean released = false;
        try {
            if (!pager.hasChanges()) {
                return;
            }
            checkWritable();
            List<Page> changed = pager.dirtyPages();
            int last = appendToLog(changed, pager);
            writerBase = new Snapshot(last, pager.pageCount(), pager.meta());
            groupCommit.enqueue(last, writerBase);
            if (options.groupCommit()) {
                endTransaction();
                released = true;
            }
            awaitDurable(last);
        } finally {
            if (!released) {
                endTransaction();
            }
        }
        if (wal.bytes() > options.checkpointWalBytes()) {
            checkpoint(options.checkpointWalBytes());
        }
    }

    private int appendToLog(List<Page> changed, WalPager pager) {
        int last;
        try {
            last = wal.append(changed, pager.pageCount(), pager.meta());
        } catch (UncheckedIOException e) {
            throw fail(e, "appending a commit to the log");
        }
        int first = last - changed.size() + 1;
        for (int i = 0; i < changed.size(); i++) {
            index.add(changed.get(i).number(), first + i);
            pages.remember(first + i, changed.get(i));
        }
        return last;
    }

    private void awaitDurable(int lastFrame) {
        try {
            groupCommit.awaitDurable(lastFrame);
        } catch (UncheckedIOException e) {
            throw fail(e, "syncing the log");
        } catch (StoreFailedException e) {
            failure = e;
            throw e;
        }
    }

    /** Releases the writer lock (commit or rollback of the transaction holding it). */
    void endTransaction() {
        writerThread = null;
        writer.release();
    }

    // ---- checkpoints ---------------------------------------------------------------------

    /**
     * Copies the log into the data file and restarts the log ({@link Checkpointer}): waits for
     * the open transaction, if any, and holds readers off while it runs. Returns whether there
     * was anything to copy. O(pages in the log) reads and writes, four fsyncs.
     */
    public boolean checkpoint() {
        return checkpoint(-1);
    }

    /** Checkpoints if the log is larger than {@code overBytes} (-1: whatever its size). */
    private boolean checkpoint(long overBytes) {
        acquireWriter();
        try {
            if (wal.bytes() <= overBytes) {
                return false;
            }
            awaitDurable(wal.appendedFrames());
            checkpointLock.writeLock().lock();
            try {
                Snapshot after = Checkpointer.run(published, index, pages, data, wal, cache);
                if (after == null) {
                    return false;
                }
                groupCommit.restarted();
                published = after;
                writerBase = after;
                checkpoints.incrementAndGet();
                return true;
            } catch (UncheckedIOException e) {
                throw fail(e, "a checkpoint");
            } catch (CorruptionException e) {
                failure = e;
                throw e;
            } finally {
                checkpointLock.writeLock().unlock();
            }
        } finally {
            endTransaction();
        }
    }

    // ---- the rest --------------------------------------------------------------------------

    /** Figures: keys, files and bytes, and the log's story: frames, commits, fsyncs, checkpoints. O(1). */
    @Override
    public StoreStats stats() {
        checkOpen();
        Snapshot now = published;
        long commits = groupCommit.commits();
        long batches = groupCommit.batches();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("walBytes", wal.bytes());
        details.put("walFrames", wal.appendedFrames());
        details.put("walPages", index.pageCount());
        details.put("commits", commits);
        details.put("checkpoints", checkpoints.get());
        details.put("walSyncs", wal.syncs());
        details.put("groupCommitBatches", batches);
        details.put("commitsPerSync", batches == 0 ? 0.0 : Math.round(100.0 * commits / batches) / 100.0);
        details.put("recoveredCommits", recovered.commits());
        details.put("tornTailBytesDiscarded", recovered.tailBytes());
        details.put("height", now.meta().height());
        details.put("pages", now.pageCount());
        details.put("pageSize", data.pageSize());
        details.put("cacheHits", cache.hits());
        details.put("cacheMisses", cache.misses());
        details.put("groupCommit", options.groupCommit());
        long dataBytes = data.size();
        return new StoreStats(WalStoreProvider.NAME, now.meta().keyCount(), 2, dataBytes + wal.bytes(),
                (long) now.meta().freePages() * data.pageSize(), details);
    }

    /**
     * Waits for the open transaction, then checkpoints, deletes the log and releases the lock
     * (unless the store has failed: then it only closes the files). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (writerThread == Thread.currentThread()) {
            throw new IllegalStateException("close " + file + " after finishing this thread's open transaction");
        }
        writer.acquireUninterruptibly();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeFiles(failure == null && options.checkpointOnClose());
        } finally {
            writer.release();
        }
    }

    private void closeFiles(boolean checkpoint) {
        boolean walClosed = false;
        try {
            if (checkpoint) {
                awaitDurable(wal.appendedFrames());
                checkpointLock.writeLock().lock();
                try {
                    Checkpointer.copyToDataFile(published, index, pages, data);
                    walClosed = true;
                    wal.delete();
                } finally {
                    checkpointLock.writeLock().unlock();
                }
            }
        } catch (UncheckedIOException e) {
            throw fail(e, "the checkpoint on close");
        } finally {
            if (!walClosed) {
                wal.close();
            }
            data.close();
            closeQuietly(lock, null);
        }
    }

    /** The data file; the log is {@link #walPath}. */
    public Path file() {
        return file;
    }

    private StoreFailedException fail(UncheckedIOException e, String during) {
        StoreFailedException failed = new StoreFailedException(file + ": " + during + " failed, so what is on disk is"
                + " unknown; the store refuses further writes and never retries the fsync (reopen it to recover)", e);
        failure = failed;
        return failed;
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException("WAL store " + file);
        }
    }

    private void checkWritable() {
        checkOpen();
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed instanceof StoreFailedException f ? new StoreFailedException(f.getMessage(), f)
                    : new StoreFailedException(file + ": an earlier write failed; the store refuses further writes", failed);
        }
    }

    private static void closeQuietly(Closeable closeable, RuntimeException primary) {
        try {
            closeable.close();
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot release the lock", e);
            if (primary == null) {
                throw failure;
            }
            primary.addSuppressed(failure);
        }
    }
}
