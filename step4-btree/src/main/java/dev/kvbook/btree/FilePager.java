package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The step-4 pager: pages read from and written back into one file, in place, through a bounded
 * {@link BufferPool}, with the clean flag of {@link HeaderFormat} as the only crash protection.
 *
 * <p><b>In place, on purpose.</b> A changed page is written over its old version. That is the
 * one place in kvbook where the only copy of live data is overwritten (STYLE rule 8), and it is
 * why a crash in the middle of a write can leave a tree that is half old and half new. This pager
 * cannot repair that; it makes sure it is <em>detected</em>: before the first page write after a
 * clean point it makes a DIRTY header durable, and only a complete {@link #sync()} writes CLEAN
 * again. {@link #open} refuses a DIRTY file with {@link UncleanShutdownException}.
 *
 * <p><b>Failures.</b> If a write or fsync fails, the pager is failed for good (its
 * {@link FailureLatch}): it throws
 * {@link StoreFailedException} now and on every later call that could write, and never retries
 * the fsync (after a failed fsync the kernel may have dropped the very pages it failed to write).
 * Failed reads are thrown as they are ({@link UncheckedIOException}).
 *
 * <p>Thread-safe: one monitor guards the pool and the file, so concurrent readers take turns for
 * the microseconds of a cache lookup, and for a disk read on a miss.
 */
public final class FilePager implements Pager {

    private final Path path;
    private final VfsFile file;
    private final int pageSize;
    private final boolean readOnly;
    private final BufferPool pool;
    // The pages handed out writable since the last commit, to be made read-only again. Only these:
    // walking every dirty page instead made each put cost O(dirty pages), 4-6 µs once a few
    // hundred pages were dirty (syncEveryWrite off), and refreshed all of them in the LRU order.
    private final List<Page> handedOutWritable = new ArrayList<>();

    private int pageCount;
    private TreeMeta meta;
    private long sequence;            // of the newest header written or read
    private boolean diskClean;        // the newest durable header says CLEAN
    private boolean changedSinceSync; // pages or meta changed since the last clean point
    private TreeMeta cleanMeta;       // what the newest CLEAN header says
    private int cleanPageCount;
    private final FailureLatch failure;
    private boolean closed;
    private long pageReads;
    private long pageWrites;
    private long syncs;

    private FilePager(Path path, VfsFile file, HeaderFormat.Header header, int cachePages, boolean readOnly) {
        this.path = path;
        this.failure = new FailureLatch(path.toString());
        this.file = file;
        this.pageSize = header.pageSize();
        this.readOnly = readOnly;
        this.pool = new BufferPool(cachePages, page -> guarded(() -> writeBack(page)));
        this.pageCount = header.pageCount();
        this.meta = header.meta();
        this.sequence = header.sequence();
        this.diskClean = header.isClean();
        this.cleanMeta = meta;
        this.cleanPageCount = pageCount;
    }

    /**
     * Opens the page file at {@code path}, creating it with {@code pageSize} pages if it does not
     * exist (the page size of an existing file is the one in its header). Reads the header only.
     *
     * @param uncleanReadOnly open a file that was not closed cleanly, read-only, instead of refusing
     * @throws UncleanShutdownException the file was not closed cleanly (and {@code uncleanReadOnly} is off)
     * @throws CorruptionException      the header is damaged, or the file shorter than the header says
     */
    public static FilePager open(Vfs vfs, Path path, int pageSize, int cachePages, boolean uncleanReadOnly) {
        if (!vfs.exists(path)) {
            create(vfs, path, pageSize);
        }
        VfsFile file = vfs.open(path, false);
        try {
            HeaderFormat.Header header = HeaderFormat.read(file, path, HeaderFormat.MAGIC, "step-4 B+tree");
            boolean readOnly = !header.isClean();
            if (readOnly && !uncleanReadOnly) {
                throw new UncleanShutdownException(path, "was not closed cleanly: a write was under way when the process"
                        + " stopped (crash, kill or power loss), so pages may be half old, half new. Step 4 updates pages"
                        + " in place and keeps no log to repair them with, so it refuses to open rather than risk"
                        + " returning wrong data; step 5 adds the write-ahead log that recovers from this.",
                        "Open with Options.withOpenUncleanReadOnly(true) to inspect what is there.");
            }
            return new FilePager(path, file, header, cachePages, readOnly);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Creates an empty store file without ever exposing a half-written one ({@link AtomicReplace}):
     * the header page is written to {@code <file>.new}, fsynced, renamed over {@code <file>}, and
     * the directory fsynced. A crash leaves no file (and a stale {@code .new}, replaced next time)
     * or a whole one.
     */
    private static void create(Vfs vfs, Path path, int pageSize) {
        HeaderFormat.Header header = new HeaderFormat.Header(pageSize, 1, HeaderFormat.STATE_CLEAN, 1, TreeMeta.EMPTY);
        byte[] page0 = new byte[pageSize];
        System.arraycopy(HeaderFormat.encode(header), 0, page0, HeaderFormat.slotOffset(1), HeaderFormat.SLOT_SIZE);
        AtomicReplace.replace(vfs, path, path.resolveSibling(path.getFileName() + ".new"), ByteBuffer.wrap(page0));
    }

    @Override
    public Path file() {
        return path;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public synchronized int pageCount() {
        return pageCount;
    }

    /** Whether the file was not closed cleanly and is open for reading only. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** From the pool, or from disk: one page read, checksum and structure checked. */
    @Override
    public synchronized Page read(int pageNumber) {
        checkOpen();
        checkPageNumber(pageNumber);
        Page page = pool.get(pageNumber);
        if (page == null) {
            page = load(pageNumber);
            pool.add(page, false, false);
        }
        return page;
    }

    private void checkPageNumber(int pageNumber) {
        if (pageNumber < 1 || pageNumber >= pageCount) {
            throw new CorruptionException(path, -1, "page number", "1 to " + (pageCount - 1), pageNumber);
        }
    }

    private Page load(int pageNumber) {
        long offset = (long) pageNumber * pageSize;
        ByteBuffer bytes = ByteBuffer.allocate(pageSize);
        file.readFully(offset, bytes);
        pageReads++;
        Page page = new Page(pageNumber, bytes.array());
        PageFormat.verify(page, path, offset);
        return page;
    }

    @Override
    public synchronized Page write(int pageNumber) {
        checkWritable();
        checkPageNumber(pageNumber);
        Page page = pool.get(pageNumber);
        if (page == null) {
            page = load(pageNumber);
            pool.add(page, true, true);
        } else {
            pool.markDirty(pageNumber);
            pool.pin(pageNumber);
        }
        page.setWritable(true);
        handedOutWritable.add(page);
        changedSinceSync = true;
        return page;
    }

    @Override
    public synchronized Page extend() {
        checkWritable();
        Page page = new Page(pageCount, new byte[pageSize]);
        pageCount++;
        page.setWritable(true);
        handedOutWritable.add(page);
        pool.add(page, true, true);
        changedSinceSync = true;
        return page;
    }

    @Override
    public synchronized void release(int pageNumber) {
        pool.unpin(pageNumber);
    }

    @Override
    public synchronized TreeMeta meta() {
        return meta;
    }

    @Override
    public synchronized void setMeta(TreeMeta newMeta) {
        checkWritable();
        meta = newMeta;
        changedSinceSync = true;
    }

    /** Unpins the operation's pages and makes them read-only; nothing reaches the disk here. O(pages it changed). */
    @Override
    public synchronized void commit() {
        handedOutWritable.forEach(page -> page.setWritable(false));
        handedOutWritable.clear();
        guarded(pool::unpinAll); // unpinning may evict, and evicting may write back
    }

    /**
     * The clean-flag protocol: marks the file DIRTY (if not yet), writes every dirty page, fsyncs,
     * writes a CLEAN header, fsyncs. Nothing to do when nothing changed since the last sync.
     * Cost: the dirty pages, plus 2 fsyncs (3 when the DIRTY mark is written now).
     */
    @Override
    public synchronized void sync() {
        checkOpen();
        failure.check();
        if (!changedSinceSync) {
            return;
        }
        guarded(() -> {
            markDirtyOnDisk();
            for (Page page : pool.dirtyPages()) {
                writeBack(page);
            }
            pool.markAllClean();
            file.sync();
            syncs++;
            writeHeader(HeaderFormat.STATE_CLEAN, meta, pageCount);
            file.sync();
            syncs++;
            diskClean = true;
            changedSinceSync = false;
            cleanMeta = meta;
            cleanPageCount = pageCount;
        });
    }

    /** Writes one page into the file, after making sure the file is marked DIRTY. */
    private void writeBack(Page page) {
        failure.check();
        markDirtyOnDisk();
        // Invariant 3 of the header: a page reaches the file only while the durable header says DIRTY.
        assert !diskClean;
        PageFormat.seal(page.bytes());
        file.write((long) page.number() * pageSize, ByteBuffer.wrap(page.bytes()));
        pageWrites++;
    }

    /** Invariant 3 of the header: no page write while the newest durable header says CLEAN. */
    private void markDirtyOnDisk() {
        if (diskClean) {
            writeHeader(HeaderFormat.STATE_DIRTY, cleanMeta, cleanPageCount);
            file.sync();
            syncs++;
            diskClean = false;
        }
    }

    private void writeHeader(int state, TreeMeta headerMeta, int headerPageCount) {
        sequence++;
        byte[] slot = HeaderFormat.encode(new HeaderFormat.Header(pageSize, sequence, state, headerPageCount, headerMeta));
        file.write(HeaderFormat.slotOffset(sequence), ByteBuffer.wrap(slot));
    }

    /** Runs a step that writes; on an I/O failure, fails the pager for good. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "a write or fsync of the page file");
        }
    }

    /** Closes the file without writing anything: the caller syncs first if it wants to. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }

    /** Whether a write or fsync has failed. */
    public synchronized boolean hasFailed() {
        return failure.isSet();
    }

    /** Figures for {@code stats()}: page reads and writes, fsyncs, cache hits and misses. */
    public synchronized PagerStats stats() {
        return new PagerStats(pageCount, pool.size(), pool.capacity(), pool.dirtyCount(), pool.hits(), pool.misses(),
                pool.evictions(), pageReads, pageWrites, syncs, file.size());
    }

    /** Numbers about the pager and its pool. */
    public record PagerStats(int pageCount, int cachedPages, int cacheCapacity, int dirtyPages, long cacheHits,
                             long cacheMisses, long evictions, long pageReads, long pageWrites, long syncs, long fileBytes) {
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + ": the pager is closed");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException(path + " was opened read-only (it was not closed cleanly)");
        }
        failure.check();
    }
}
