package dev.kvbook.btree;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Limits;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.Closeables;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.api.vfs.StorePaths;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Step 4: a paged B+tree in one file. {@code get}, {@code put} and {@code delete} cost
 * O(log n) page reads, a scan walks the leaves in key order, and memory is the buffer pool,
 * bounded whatever the size of the file.
 *
 * <h2>Durability</h2>
 * With {@link Options#defaults()} ({@code syncEveryWrite}) a {@code put} or {@code delete} that
 * changes something is durable when it returns: it ends with the {@link FilePager#sync()}
 * protocol, which costs <b>three fsyncs</b> (mark the file DIRTY, write the changed pages and
 * fsync them, mark it CLEAN) and the pages the operation changed. That is the honest price of
 * updating in place with no log. With {@code syncEveryWrite(false)}, writes stay in the buffer
 * pool (pages evicted meanwhile are written back, after the DIRTY mark) and are durable at the
 * next {@link #sync()} or {@link #close()}.
 *
 * <h2>The crash promise</h2>
 * After a crash the file either opens holding exactly the state of the last completed sync (or
 * durable write), or {@code open} refuses with {@link UncleanShutdownException}: pages are
 * overwritten in place, so a crash in mid-write can leave a half-old, half-new tree, and step 4
 * has no log to repair it. It detects it instead, and never returns wrong data. Torn pages are
 * caught by their CRC32C. Step 5 adds the log.
 *
 * <h2>Failures</h2>
 * An exception in the middle of a write (an I/O error, damage found on disk) leaves the pages in
 * memory half-changed, so the store fails for good ({@link FailureLatch}): that call throws ({@link StoreFailedException}
 * for I/O), and every later call throws {@link StoreFailedException}, reads included. Nothing is
 * written after a failure, and a failed fsync is never retried; reopen to continue from what the
 * disk holds.
 *
 * <h2>Threads</h2>
 * A {@link ReentrantReadWriteLock}: readers share it, a writer holds it alone. Iterators take
 * it for each batch only (see {@link Cursor}), so a thread may write while iterating. A file is
 * open in one place at a time: {@code open} locks {@code <file>.lock}.
 *
 * <h2>Where its files live</h2>
 * {@code open} resolves the path once to its real path ({@link StorePaths#storeFile}: symbolic
 * links followed) and names everything from it: the file, {@code <file>.lock}, and
 * {@code <file>.new} (only while a new file is created: header page, fsync, rename, directory
 * fsync, before {@code open} returns). The directory must exist; a file with more than one name
 * (hard links) is refused. Nothing else in the directory is touched.
 */
public final class BTreeStore implements OrderedKeyValueStore {

    /**
     * How to open a store.
     *
     * @param vfs                 the file system
     * @param pageSize            bytes per page for a new file, a power of two from 4096 to 32768 (an existing
     *                            file keeps the page size in its header)
     * @param cachePages          pages the buffer pool holds (memory is about this times the page size)
     * @param syncEveryWrite      every put and delete durable on return (three fsyncs each), or only at sync/close
     * @param openUncleanReadOnly open a file that was not closed cleanly, read-only, instead of refusing
     */
    public record Options(Vfs vfs, int pageSize, int cachePages, boolean syncEveryWrite, boolean openUncleanReadOnly) {

        public Options {
            if (!PageFormat.isValidPageSize(pageSize)) {
                throw new IllegalArgumentException("page size must be a power of two from " + PageFormat.MIN_PAGE_SIZE
                        + " to " + PageFormat.MAX_PAGE_SIZE + ", not " + pageSize);
            }
            if (cachePages < 1) {
                throw new IllegalArgumentException("the cache must hold at least one page, not " + cachePages);
            }
        }

        /**
         * The pool's default size in pages: 16 MiB of 4 KiB pages. That is H2 MVStore's default
         * cache (so the bench compares the two at the same memory) and a quarter of the 64 MiB heap
         * a million keys must load in. It was 4 MiB until the bench's reads over 10^5 keys (a 19 MB
         * file) showed most gets going to the disk while H2 answered from its cache.
         */
        public static final int DEFAULT_CACHE_PAGES = 4096;

        /** The real disk, 4 KiB pages, a 16 MiB cache ({@link #DEFAULT_CACHE_PAGES}), every write durable. */
        public static Options defaults() {
            return new Options(Vfs.local(), 4096, DEFAULT_CACHE_PAGES, true, false);
        }

        public Options withVfs(Vfs newVfs) {
            return new Options(newVfs, pageSize, cachePages, syncEveryWrite, openUncleanReadOnly);
        }

        public Options withPageSize(int newPageSize) {
            return new Options(vfs, newPageSize, cachePages, syncEveryWrite, openUncleanReadOnly);
        }

        public Options withCachePages(int pages) {
            return new Options(vfs, pageSize, pages, syncEveryWrite, openUncleanReadOnly);
        }

        public Options withSyncEveryWrite(boolean sync) {
            return new Options(vfs, pageSize, cachePages, sync, openUncleanReadOnly);
        }

        public Options withOpenUncleanReadOnly(boolean readOnly) {
            return new Options(vfs, pageSize, cachePages, syncEveryWrite, readOnly);
        }
    }

    private final Path file;
    private final Options options;
    private final Closeable lock;
    private final FilePager pager;
    private final BTree tree;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private final FailureLatch failure;

    private BTreeStore(Path file, Options options, Closeable lock, FilePager pager) {
        this.file = file;
        this.failure = new FailureLatch(file.toString());
        this.options = options;
        this.lock = lock;
        this.pager = pager;
        this.tree = new BTree(pager);
    }

    /** Opens (creating if needed) the store in {@code file} with default options. */
    public static BTreeStore open(Path file) {
        return open(file, Options.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code file}: resolves its real path (symbolic links
     * followed; {@code .lock} and {@code .new} are named from it), takes {@code <file>.lock}, reads
     * and checks the header. O(1): pages are read when first needed.
     *
     * @throws UncleanShutdownException the file was not closed cleanly (unless {@code openUncleanReadOnly})
     * @throws dev.kvbook.api.StoreLockedException the file is open elsewhere
     * @throws java.io.UncheckedIOException the directory of {@code file} does not exist
     * @throws IllegalArgumentException the file has more than one name (hard links)
     */
    public static BTreeStore open(Path file, Options options) {
        Path real = StorePaths.storeFile(options.vfs(), file);
        Closeable lock = options.vfs().lock(StorePaths.sibling(real, ".lock"));
        try {
            FilePager pager = FilePager.open(options.vfs(), real, options.pageSize(), options.cachePages(),
                    options.openUncleanReadOnly());
            return new BTreeStore(real, options, lock, pager);
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    /** Returns a copy of the value under {@code key}, or null. O(height) page reads (often cached), plus overflow pages. */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        return read(() -> tree.get(key));
    }

    /** Stores {@code value} under {@code key}. O(height) page reads and writes; durable on return with syncEveryWrite. */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        write(() -> tree.put(key, value));
    }

    /** Removes {@code key}; true when it was there. O(height); writes only when the key was there. */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        return write(() -> tree.delete(key));
    }

    /** Live keys, kept in the header. O(1). */
    @Override
    public long size() {
        return read(tree::size);
    }

    /** Makes every write so far durable: the clean-flag protocol, two or three fsyncs if anything changed. */
    @Override
    public void sync() {
        rw.writeLock().lock();
        try {
            checkUsable();
            if (!pager.isReadOnly()) {
                pager.sync();
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** All entries in key order, read in batches (see {@link Cursor}). */
    @Override
    public CloseableIterator<Entry> iterator() {
        return scan(null, null);
    }

    /** The entries with keys in {@code [fromInclusive, toExclusive)}, in order. O(height + range) page reads. */
    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        Limits.checkBound(fromInclusive);
        Limits.checkBound(toExclusive);
        read(() -> null);
        return new Cursor((start, inclusive, end) ->
                read(() -> tree.readBatch(start, inclusive, end, Cursor.BATCH_ENTRIES, Cursor.BATCH_BYTES)),
                fromInclusive, toExclusive);
    }

    /** Figures: live keys, file size, free pages as garbage, height, pages, cache hits and misses. O(1) plus one page read. */
    @Override
    public StoreStats stats() {
        return read(() -> {
            TreeMeta meta = pager.meta();
            FilePager.PagerStats p = pager.stats();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("height", meta.height());
            details.put("pages", p.pageCount());
            details.put("freePages", meta.freePages());
            details.put("overflowPages", meta.overflowPages());
            details.put("pageSize", pager.pageSize());
            details.put("cachePages", p.cacheCapacity());
            details.put("cacheHits", p.cacheHits());
            details.put("cacheMisses", p.cacheMisses());
            details.put("evictions", p.evictions());
            details.put("pageReads", p.pageReads());
            details.put("pageWrites", p.pageWrites());
            details.put("fsyncs", p.syncs());
            details.put("syncEveryWrite", options.syncEveryWrite());
            details.put("readOnly", pager.isReadOnly());
            return new StoreStats(BTreeStoreProvider.NAME, meta.keyCount(), 1, p.fileBytes(),
                    (long) meta.freePages() * pager.pageSize(), details);
        });
    }

    /** Syncs (unless failed or read-only), closes the file and releases the lock. Idempotent. */
    @Override
    public void close() {
        rw.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!failure.isSet() && !pager.isReadOnly()) {
                    pager.sync();
                }
            } finally {
                pager.close();
                Closeables.closeUnchecked(lock, "the store's lock");
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** The file this store lives in. */
    public Path file() {
        return file;
    }

    /** Whether this store was opened read-only because its file was not closed cleanly. */
    public boolean isReadOnly() {
        return pager.isReadOnly();
    }

    // ---- locking and failure --------------------------------------------------------------

    private <T> T read(Supplier<T> action) {
        rw.readLock().lock();
        try {
            checkUsable();
            return action.get();
        } finally {
            rw.readLock().unlock();
        }
    }

    /**
     * Runs one tree operation under the write lock, ends it ({@link Pager#commit}) and, with
     * syncEveryWrite, makes it durable. Any exception from the middle leaves the store failed.
     */
    private <T> T write(Supplier<T> operation) {
        rw.writeLock().lock();
        try {
            checkUsable();
            if (pager.isReadOnly()) {
                throw new IllegalStateException(file + " was opened read-only because it was not closed cleanly;"
                        + " it cannot be written");
            }
            try {
                T result = operation.get();
                pager.commit();
                if (options.syncEveryWrite()) {
                    pager.sync();
                }
                return result;
            } catch (RuntimeException e) {
                // The pages in memory are half changed and cannot be trusted: reads are refused too.
                StoreFailedException failed = failure.fail(e, "a write");
                throw e instanceof UncheckedIOException ? failed : e;
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new StoreClosedException("B+tree store " + file);
        }
        failure.check();
    }
}
