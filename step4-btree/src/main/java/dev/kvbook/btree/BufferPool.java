package dev.kvbook.btree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounded cache of pages with least-recently-used eviction: why a B+tree needs only a few MiB
 * of memory whatever the size of its file.
 *
 * <p>Each cached page is clean (equal to the disk) or dirty (changed since). When the pool is
 * over its capacity it evicts the least recently used page that is not pinned; a dirty victim is
 * first handed to the {@link WriteBack} (the pager writes it to the file). Pinned pages, those an
 * operation is changing right now, are never evicted; if everything is pinned the pool grows past
 * its capacity for the moment and shrinks again as pages are unpinned.
 *
 * <p>LRU through a {@link LinkedHashMap} in access order: each hit moves the page to the young
 * end, eviction walks from the old end. O(1) per hit; an eviction is O(1) unless pinned pages
 * crowd the old end. Not thread-safe: {@link FilePager} guards it with its monitor.
 */
final class BufferPool {

    /** Where dirty victims go before they leave the pool. */
    @FunctionalInterface
    interface WriteBack {
        void write(Page page);
    }

    private final int capacity;
    private final WriteBack writeBack;
    private final LinkedHashMap<Integer, Page> pages = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Integer> dirty = new HashSet<>();
    private final Set<Integer> pinned = new HashSet<>();
    private long hits;
    private long misses;
    private long evictions;

    /** A pool of at most {@code capacity} unpinned pages, writing dirty victims to {@code writeBack}. */
    BufferPool(int capacity, WriteBack writeBack) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffer pool needs room for at least one page, not " + capacity);
        }
        this.capacity = capacity;
        this.writeBack = writeBack;
    }

    /** The cached page {@code number}, now the most recently used, or null (a miss). O(1). */
    Page get(int number) {
        Page page = pages.get(number);
        if (page == null) {
            misses++;
        } else {
            hits++;
        }
        return page;
    }

    /**
     * Caches {@code page} (dirty and pinned if asked: it is then safe from the eviction this may
     * trigger), then evicts down to capacity. O(1) amortized, plus any write-back.
     */
    void add(Page page, boolean isDirty, boolean isPinned) {
        assert !pages.containsKey(page.number()) : "page " + page.number() + " is cached twice";
        pages.put(page.number(), page);
        if (isDirty) {
            dirty.add(page.number());
        }
        if (isPinned) {
            pinned.add(page.number());
        }
        evictOverCapacity();
    }

    void markDirty(int number) {
        assert pages.containsKey(number) : "page " + number + " made dirty while not cached";
        dirty.add(number);
    }

    void pin(int number) {
        pinned.add(number);
    }

    void unpin(int number) {
        pinned.remove(number);
    }

    /** Unpins every page, then evicts down to capacity. */
    void unpinAll() {
        pinned.clear();
        evictOverCapacity();
    }

    /** The dirty pages in page-number order (so write-back is one sweep through the file). */
    List<Page> dirtyPages() {
        List<Page> result = new ArrayList<>();
        dirty.forEach(number -> result.add(pages.get(number)));
        result.sort(Comparator.comparingInt(Page::number));
        return result;
    }

    /** Marks every page clean: the pager has written them all. */
    void markAllClean() {
        dirty.clear();
    }

    int size() {
        return pages.size();
    }

    int capacity() {
        return capacity;
    }

    int dirtyCount() {
        return dirty.size();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long evictions() {
        return evictions;
    }

    private void evictOverCapacity() {
        Iterator<Map.Entry<Integer, Page>> oldestFirst = pages.entrySet().iterator();
        while (pages.size() > capacity && oldestFirst.hasNext()) {
            Map.Entry<Integer, Page> victim = oldestFirst.next();
            int number = victim.getKey();
            if (pinned.contains(number)) {
                continue; // Invariant: a page an operation is changing never leaves memory before commit.
            }
            if (dirty.contains(number)) {
                writeBack.write(victim.getValue()); // if this throws, the page stays cached and dirty
                dirty.remove(number);
            }
            victim.getValue().setWritable(false);
            oldestFirst.remove();
            evictions++;
        }
    }
}
