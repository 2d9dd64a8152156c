package dev.kvbook.lsm;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Optimisation: the data blocks gets read most recently, kept decoded in memory, up to a number
 * of bytes, shared by every table of the store. Without it (capacity 0) every block read goes to
 * the file system and is checked and decoded again; the OS page cache saves the disk, not the
 * CRC check and the decoding.
 *
 * <h2>What it holds, and why that is safe</h2>
 * A block enters only after {@link Table} has read it, checked its CRC and its last key against
 * the index, and decoded it: the cache holds verified cells, never raw bytes, so a hit is as
 * trustworthy as a read. Entries are keyed by (table number, block index). Tables are immutable
 * and file numbers are never reused, so an entry can never go stale; still, a table's entries are
 * dropped ({@link #evictTable}) when its last reference goes, before the file is closed or
 * deleted, so memory is not spent on tables that no longer exist and a deleted table's blocks
 * cannot be served. (Invariant: a block is only put by a reader holding a reference to its table,
 * so no put can come after the eviction.)
 *
 * <h2>Which blocks go: LRU</h2>
 * Least recently used first: a {@link LinkedHashMap} in access order does the bookkeeping. The
 * cost is one lock around every lookup (a hit moves the entry to the young end). CLOCK would let
 * hits go without reordering, which matters with many cores; here one lock keeps it short and
 * plainly correct. Only point gets use the cache; scans and compactions read past it, since they
 * read each block once and would push out the blocks gets keep coming back to (LevelDB lets a
 * read say {@code fill_cache = false} for the same reason). So the hits and misses are the gets'.
 *
 * <h2>Cost</h2>
 * A block is charged its size on disk ({@link TableFormat}'s block bytes), about what its cells
 * take in memory, not counting Java's object headers. O(1) per lookup, put and eviction;
 * {@link #evictTable} is O(entries).
 *
 * <p>Thread-safe: every method holds the cache's monitor; the counters are {@link LongAdder}s.
 */
final class BlockCache {

    /** A cache that holds nothing: capacity 0. */
    static final BlockCache NONE = new BlockCache(0);

    private record Key(long table, int block) {
    }

    private record Block(List<Cell> cells, int bytes) {
    }

    private final long capacity;
    private final LinkedHashMap<Key, Block> blocks = new LinkedHashMap<>(16, 0.75f, true); // access order: LRU first
    private long bytes;                                                                      // guarded by this

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();

    /** A cache of at most {@code capacity} bytes of blocks; 0 turns it off. */
    BlockCache(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("the block cache's size must be 0 (off) or more bytes, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether the cache can hold anything. */
    boolean isOn() {
        return capacity > 0;
    }

    /** The cells of block {@code block} of table {@code table}, or {@code null}; counts a hit or a miss. */
    synchronized List<Cell> get(long table, int block) {
        if (!isOn()) {
            return null;
        }
        Block found = blocks.get(new Key(table, block));
        (found == null ? misses : hits).increment();
        return found == null ? null : found.cells();
    }

    /**
     * Keeps a verified block's cells, charged {@code size} bytes, and evicts the least recently
     * used blocks until the cache fits. A block larger than the whole cache is not kept.
     */
    synchronized void put(long table, int block, List<Cell> cells, int size) {
        if (size > capacity) {
            return;
        }
        Block previous = blocks.put(new Key(table, block), new Block(Collections.unmodifiableList(cells), size));
        bytes += size - (previous == null ? 0 : previous.bytes());
        Iterator<Block> oldestFirst = blocks.values().iterator();
        while (bytes > capacity) {
            bytes -= oldestFirst.next().bytes();
            oldestFirst.remove();
        }
    }

    /** Drops every block of table {@code table}: called when the table is closed for good. */
    synchronized void evictTable(long table) {
        Iterator<Map.Entry<Key, Block>> all = blocks.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<Key, Block> e = all.next();
            if (e.getKey().table() == table) {
                bytes -= e.getValue().bytes();
                all.remove();
            }
        }
    }

    /** Whether block {@code block} of table {@code table} is held (no hit or miss counted). */
    synchronized boolean holds(long table, int block) {
        return blocks.containsKey(new Key(table, block));
    }

    /** The bytes held. */
    synchronized long bytes() {
        return bytes;
    }

    /** The blocks held. */
    synchronized int size() {
        return blocks.size();
    }
}
