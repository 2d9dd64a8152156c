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
import dev.kvbook.btree.BTreeStore;
import dev.kvbook.btree.Cursor;
import dev.kvbook.btree.PageFormat;
import dev.kvbook.api.vfs.Closeables;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.FailureLatch;

import java.io.Closeable;
import java.nio.file.Path;
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
 * (one fsync of the log, shared with commits from other threads: {@link Committer#commit} is the
 * protocol, top to bottom, {@link GroupCommit} the shared fsync).
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
 * and checkpoint ({@link StoreFailedException}, {@link FailureLatch}); a failed fsync is never retried and a commit is
 * never acknowledged unless an fsync covering it returned. Reads go on from the last published
 * state. An error inside a transaction (a failed read, say) breaks only that transaction.
 *
 * <h2>Threads</h2>
 * One writer at a time: {@link #begin} takes a fair {@link WriterLock} and waits while
 * another transaction is open. Readers take no lock against the writer: each {@code get}, and
 * each batch of 256 entries of an iterator, reads one published {@link Snapshot}; an iterator
 * longer than a batch may see commits between its batches (never part of one), as in step 4.
 * Readers do share a read/write lock with checkpoints, which rewrite the data file and restart
 * the log: a checkpoint waits for the batches being read and holds readers off while it runs
 * ({@link Committer#checkpoint}). A transaction, even one that changed nothing or rolled back,
 * returns only once the state it read is durable.
 * A file is open in one process at a time: {@code open} locks {@code <file>.lock}.
 *
 * <h2>Files</h2>
 * The data file {@code <file>}; beside it, named from its real path (links followed, so every
 * open finds the same ones): the log {@code <file>-wal} while the store is open (and after a
 * crash), the lock {@code <file>.lock}, and {@code <file>.new} only while a new data file is
 * made. Each new file is fsynced, and its directory, before anything is acknowledged. Refused:
 * a missing directory, and a data file with more than one name (see {@link #open(Path, Options)}).
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

        /** The real disk, 4 KiB pages, step 4's 16 MiB cache, a checkpoint every 4 MiB of log, group commit, one file at rest. */
        public static Options defaults() {
            return new Options(Vfs.local(), 4096, BTreeStore.Options.DEFAULT_CACHE_PAGES, 4L << 20, true, true);
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
    private final CommittedPages pages;
    private final WriterLock writer;
    private final FailureLatch failure;
    private final Committer committer;
    private final WalStats stats;

    private WalStore(Path file, Options options, Closeable lock, DataFile data, WalIndex index, Recovery.Recovered r) {
        this.file = file;
        this.options = options;
        this.lock = lock;
        this.data = data;
        Wal wal = r.wal();
        wal.preallocateUpTo(options.checkpointWalBytes()); // the log's size at a checkpoint: grown to once, then overwritten
        PageCache cache = new PageCache(options.cachePages());
        this.pages = new CommittedPages(data, wal, index, cache);
        this.failure = new FailureLatch(file.toString());
        this.writer = new WriterLock(file, failure);
        this.committer = new Committer(wal, pages, writer, failure, options, r.snapshot());
        this.stats = new WalStats(committer, wal, index, data, cache, r.scan(), options.groupCommit());
    }

    /** Opens (creating if needed) the store in {@code file} with default options. */
    public static WalStore open(Path file) {
        return open(file, Options.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code file} and {@code <file>-wal}: resolves the
     * real path of {@code file} (symbolic links followed), takes {@code <file>.lock}, reads the
     * data file's header, and recovers the log ({@link Recovery}): O(log size) reads, an fsync if
     * it holds anything.
     *
     * <p>Where its files live: {@code <file>-wal}, {@code <file>.lock} and {@code <file>.new}
     * (only while a new data file is created) are named from the real path, in the data file's
     * directory, so a store opened through a link keeps its log beside the real file, where every
     * later open finds it. A new data file and a new log are each fsynced and their directory
     * fsynced before anything is acknowledged. The directory must exist; a data file with more
     * than one name (hard links) is refused ({@link StorePaths#storeFile}).
     *
     * @throws CorruptionException damage in the data file's header or before the log's committed end
     * @throws dev.kvbook.api.StoreLockedException the store is open elsewhere
     * @throws java.io.UncheckedIOException the directory of {@code file} does not exist
     * @throws IllegalArgumentException the data file has more than one name (hard links)
     */
    public static WalStore open(Path file, Options options) {
        Vfs vfs = options.vfs();
        Path real = StorePaths.storeFile(vfs, file);
        Closeable lock = vfs.lock(StorePaths.sibling(real, ".lock"));
        try {
            DataFile data = DataFile.open(vfs, real, options.pageSize());
            try {
                WalIndex index = new WalIndex();
                Recovery.Recovered recovered = Recovery.recover(vfs, walPath(real), data, index);
                return new WalStore(real, options, lock, data, index, recovered);
            } catch (RuntimeException e) {
                data.close();
                throw e;
            }
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    /** The log beside {@code file}: {@code <file>-wal} (an open store passes its real path). */
    public static Path walPath(Path file) {
        return StorePaths.sibling(file, "-wal");
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
        committer.readerLock().lock();
        try {
            return action.apply(WalPager.reader(pages, committer.published()));
        } finally {
            committer.readerLock().unlock();
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
     * Starts a write transaction, waiting while another is open (fairly, in arrival order): takes
     * the {@link WriterLock}, then builds on the newest appended commit. O(1) besides the wait.
     *
     * @throws IllegalStateException this thread already has a transaction open (it would wait for itself)
     */
    @Override
    public Transaction begin() {
        writer.acquire();
        return new WalTransaction(committer, WalPager.writer(pages, committer.writerBase()));
    }

    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws (a
     * failure of that rollback is added to the thrown exception as suppressed).
     */
    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        WalTransaction transaction = (WalTransaction) begin();
        T result;
        try {
            result = work.apply(transaction);
        } catch (RuntimeException | Error e) {
            if (transaction.isOpen()) {
                try {
                    transaction.rollback();
                } catch (RuntimeException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
            }
            throw e;
        }
        if (transaction.isOpen()) {
            transaction.commit();
        }
        return result;
    }

    /** Nothing to do: every commit was durable when it returned. Throws if the store has failed. */
    @Override
    public void sync() {
        writer.checkWritable();
    }

    // ---- checkpoints ---------------------------------------------------------------------

    /**
     * Copies the log into the data file and restarts the log ({@link Committer#checkpoint},
     * {@link Checkpointer}): waits for the open transaction, if any, and for commits still waiting
     * for their fsync, and holds readers off while it runs. Returns whether there was anything to
     * copy. O(pages in the log) reads and writes, four fsyncs.
     */
    public boolean checkpoint() {
        return committer.checkpoint(-1);
    }

    // ---- the rest --------------------------------------------------------------------------

    /** Figures: keys, files and bytes, and the log's story: frames, commits, fsyncs, checkpoints ({@link WalStats}). O(1). */
    @Override
    public StoreStats stats() {
        checkOpen();
        return stats.report();
    }

    /**
     * Waits for the open transaction, then checkpoints, deletes the log and releases the lock
     * (unless the store has failed: then it only closes the files). Idempotent.
     */
    @Override
    public void close() {
        if (writer.isClosed()) {
            return;
        }
        if (writer.isHeldByCurrentThread()) {
            throw new IllegalStateException("close " + file + " after finishing this thread's open transaction");
        }
        if (!writer.acquireToClose()) {
            return; // another thread closed it meanwhile
        }
        try {
            closeFiles(!failure.isSet() && options.checkpointOnClose());
        } finally {
            writer.releaseAfterClose();
        }
    }

    /** The log (checkpointed and deleted, or only closed), then the data file, then the process lock. */
    private void closeFiles(boolean checkpoint) {
        try {
            committer.closeLog(checkpoint);
        } finally {
            data.close();
            Closeables.closeUnchecked(lock, "the store's lock");
        }
    }

    /** The data file; the log is {@link #walPath}. */
    public Path file() {
        return file;
    }

    private void checkOpen() {
        if (writer.isClosed()) {
            throw new StoreClosedException("WAL store " + file);
        }
    }
}
