package dev.kvbook.wal;

import dev.kvbook.btree.Page;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of committed page versions, least recently used out first. Every page in it
 * is immutable (the writer changes private copies), so readers share them freely, and nothing
 * here is ever dirty: step 5's pager never writes a page back on eviction (no-steal), which is
 * why this is simpler than step 4's buffer pool.
 *
 * <p>Keys name a version, not just a page: {@code -frame} for a version read from the log,
 * {@code +page} for the data file's copy. The data file changes only in a checkpoint, which
 * clears the cache. Thread-safe (one monitor, held for a map operation).
 */
final class PageCache {

    private final int capacity;
    private final LinkedHashMap<Long, Page> pages;
    private long hits;
    private long misses;

    PageCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the cache must hold at least one page, not " + capacity);
        }
        this.capacity = capacity;
        this.pages = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Page> eldest) {
                return size() > PageCache.this.capacity;
            }
        };
    }

    /** The key of the version in log frame {@code frame}. */
    static long frameKey(int frame) {
        return -(long) frame;
    }

    /** The key of the data file's copy of {@code page}. */
    static long dataKey(int page) {
        return page;
    }

    synchronized Page get(long key) {
        Page page = pages.get(key);
        if (page == null) {
            misses++;
        } else {
            hits++;
        }
        return page;
    }

    synchronized void put(long key, Page page) {
        assert !page.isWritable() : "only read-only pages are shared";
        pages.put(key, page);
    }

    synchronized void clear() {
        pages.clear();
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
