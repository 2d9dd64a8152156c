package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open sorted table ({@link TableFormat}): its footer, index and Bloom filter held in memory
 * from open, its data blocks read on demand, each checked against its CRC on every read.
 *
 * <p>Its life is counted in references: each {@link Version} that lists it holds one, and so
 * does each iterator reading it (through its version). A compaction that replaces it marks it
 * obsolete once the manifest edit that drops it is durable; when the last reference goes, the
 * file is closed and, if obsolete, deleted. So a table is never deleted under a reader, and never
 * before the manifest has stopped naming it.
 *
 * <p>Thread-safe: positional reads only, and an atomic reference count.
 */
final class Table {

    private final Vfs vfs;
    private final BlockCache cache;
    private final VfsFile file;
    private final Path path;
    private final TableInfo info;
    private final List<TableFormat.IndexEntry> index;
    private final BloomFilter filter;
    private final long cellCount;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean obsolete;

    private Table(Vfs vfs, BlockCache cache, VfsFile file, Path path, TableInfo info, List<TableFormat.IndexEntry> index,
                  BloomFilter filter, long cellCount) {
        this.vfs = vfs;
        this.cache = cache;
        this.file = file;
        this.path = path;
        this.info = info;
        this.index = index;
        this.filter = filter;
        this.cellCount = cellCount;
    }

    /**
     * Opens the table {@code info} names, through {@code file} (which it then owns): checks the
     * size the manifest recorded, the header, the footer, and reads the filter and the index.
     * Four reads. {@code vfs} deletes the file when it is obsolete and released; {@code null}
     * for a reader that never deletes (the checker). The caller holds the one reference. No block
     * cache.
     *
     * @throws CorruptionException for a size, magic, version, checksum or offset that is wrong
     */
    static Table open(Vfs vfs, VfsFile file, Path path, TableInfo info) {
        return open(vfs, BlockCache.NONE, file, path, info);
    }

    /** {@link #open(Vfs, VfsFile, Path, TableInfo)}, with gets keeping their blocks in {@code cache}. */
    static Table open(Vfs vfs, BlockCache cache, VfsFile file, Path path, TableInfo info) {
        try {
            long size = file.size();
            if (size != info.size()) {
                throw new CorruptionException(path, -1, "table size", info.size() + " bytes, as the manifest recorded",
                        size + " bytes");
            }
            if (size < TableFormat.HEADER_SIZE + TableFormat.FOOTER_SIZE) {
                throw new CorruptionException(path, 0, "table size", "at least " + (TableFormat.HEADER_SIZE
                        + TableFormat.FOOTER_SIZE) + " bytes", size + " bytes");
            }
            TableFormat.checkHeader(read(file, path, 0, TableFormat.HEADER_SIZE), path);
            TableFormat.Footer footer = TableFormat.Footer.decode(
                    read(file, path, size - TableFormat.FOOTER_SIZE, TableFormat.FOOTER_SIZE), path, size);
            BloomFilter filter = TableFormat.decodeFilter(read(file, path, footer.filterOffset(), footer.filterSize()),
                    path, footer.filterOffset());
            List<TableFormat.IndexEntry> index = TableFormat.decodeIndex(
                    read(file, path, footer.indexOffset(), footer.indexSize()), path, footer.indexOffset());
            checkIndex(index, footer, path, info);
            return new Table(vfs, cache, file, path, info, List.copyOf(index), filter, footer.cellCount());
        } catch (RuntimeException e) {
            try {
                file.close();
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /** Invariant 4 of TableFormat: blocks end to end from the header to the filter, last keys rising. */
    private static void checkIndex(List<TableFormat.IndexEntry> index, TableFormat.Footer footer, Path path, TableInfo info) {
        long expected = TableFormat.HEADER_SIZE;
        byte[] previous = null;
        for (TableFormat.IndexEntry e : index) {
            if (e.blockOffset() != expected || e.blockSize() < TableFormat.BLOCK_TRAILER_SIZE
                    || (previous != null && Keys.COMPARATOR.compare(previous, e.lastKey()) >= 0)) {
                throw new CorruptionException(path, footer.indexOffset(), "index entry for the block at " + e.blockOffset(),
                        "a block at " + expected + " with a last key after the previous one",
                        "a block at " + e.blockOffset() + " of " + e.blockSize() + " bytes, last key " + Keys.toDisplay(e.lastKey()));
            }
            expected += e.blockSize();
            previous = e.lastKey();
        }
        if (expected != footer.filterOffset()) {
            throw new CorruptionException(path, footer.indexOffset(), "end of the data blocks", footer.filterOffset(), expected);
        }
        if (!java.util.Arrays.equals(previous, info.largest())) {
            throw new CorruptionException(path, footer.indexOffset(), "last key", Keys.toDisplay(info.largest())
                    + " as the manifest recorded", Keys.toDisplay(previous));
        }
    }

    /**
     * The table's cell for {@code key}: a value, a tombstone, or {@code null} when the table
     * does not hold the key. O(log blocks) in memory and, unless the filter rules the key out or
     * the block cache holds the block, one block read (which the cache then keeps).
     */
    Cell get(byte[] key) {
        if (!filter.mayContain(key)) {
            return null;
        }
        int block = blockFor(key);
        if (block < 0) {
            return null;
        }
        List<Cell> cells = cachedBlock(block);
        int found = Collections.binarySearch(cells, Cell.tombstone(key), (a, b) -> Keys.COMPARATOR.compare(a.key(), b.key()));
        return found >= 0 ? cells.get(found) : null;
    }

    /** Whether the Bloom filter lets {@code key} through (for the get statistics and the checker). */
    boolean mayContain(byte[] key) {
        return filter.mayContain(key);
    }

    /**
     * The cells with keys in {@code [from, to)}, in order, tombstones included; blocks read lazily,
     * past the block cache (see {@link BlockCache}: scans and compactions read each block once).
     */
    Iterator<Cell> cells(byte[] from, byte[] to) {
        int first = from == null ? 0 : blockFor(from);
        return new Iterator<>() {
            private int block = first < 0 ? index.size() : first;
            private Iterator<Cell> inBlock = Collections.emptyIterator();
            private Cell next = advance();

            private Cell advance() {
                while (true) {
                    while (inBlock.hasNext()) {
                        Cell c = inBlock.next();
                        if (from != null && Keys.COMPARATOR.compare(c.key(), from) < 0) {
                            continue;
                        }
                        return to != null && Keys.COMPARATOR.compare(c.key(), to) >= 0 ? null : c;
                    }
                    if (block >= index.size()) {
                        return null;
                    }
                    inBlock = readBlock(block++).iterator();
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Cell next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Cell result = next;
                next = advance();
                return result;
            }
        };
    }

    /** The first block whose last key is at or after {@code key}, or -1 when every key is before it. */
    private int blockFor(byte[] key) {
        int low = 0;
        int high = index.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Keys.COMPARATOR.compare(index.get(mid).lastKey(), key) < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return low < index.size() ? low : -1;
    }

    /**
     * Block {@code i} from the cache, or read and checked ({@link #readBlock}) and then kept in
     * the cache. Only verified cells ever enter the cache.
     */
    private List<Cell> cachedBlock(int i) {
        List<Cell> cells = cache.get(number(), i);
        if (cells == null) {
            cells = readBlock(i);
            cache.put(number(), i, cells, index.get(i).blockSize());
        }
        return cells;
    }

    /** Reads and checks block {@code i}, bypassing the cache. One read. */
    List<Cell> readBlock(int i) {
        TableFormat.IndexEntry e = index.get(i);
        List<Cell> cells = TableFormat.decodeBlock(read(file, path, e.blockOffset(), e.blockSize()), path, e.blockOffset());
        if (!java.util.Arrays.equals(cells.get(cells.size() - 1).key(), e.lastKey())) {
            throw new CorruptionException(path, e.blockOffset(), "block's last key", Keys.toDisplay(e.lastKey())
                    + " as the index says", Keys.toDisplay(cells.get(cells.size() - 1).key()));
        }
        return cells;
    }

    int blockCount() {
        return index.size();
    }

    long cellCount() {
        return cellCount;
    }

    TableInfo info() {
        return info;
    }

    long number() {
        return info.number();
    }

    Path path() {
        return path;
    }

    BloomFilter filter() {
        return filter;
    }

    /** Takes one more reference. */
    void retain() {
        int before = references.getAndIncrement();
        assert before > 0 : "retained after its last release: " + path;
    }

    /** Marks the table as dropped by a durable manifest edit: deleted when its last reference goes. */
    void markObsolete() {
        obsolete = true;
    }

    /**
     * Drops one reference; the last drops the table's blocks from the cache, closes the file and
     * deletes it if obsolete.
     */
    void release() {
        int left = references.decrementAndGet();
        assert left >= 0 : "released more often than retained: " + path;
        if (left == 0) {
            cache.evictTable(number()); // no reader is left to put one back: each holds a reference
            file.close();
            if (obsolete && vfs != null) {
                vfs.delete(path);
            }
        }
    }

    private static ByteBuffer read(VfsFile file, Path path, long offset, int size) {
        if (size < 0) {
            throw new CorruptionException(path, offset, "block size", "a size of 0 to 2^31 - 1 bytes", size);
        }
        ByteBuffer bytes = ByteBuffer.allocate(size);
        try {
            file.readFully(offset, bytes);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof EOFException) {
                throw new CorruptionException(path, offset, size + " bytes to read", "a file of at least " + (offset + size)
                        + " bytes", "a file of " + file.size() + " bytes");
            }
            throw e;
        }
        return bytes.flip();
    }
}
