package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges sorted sources of cells into one sorted stream with one cell per key: the newest.
 *
 * <p>Sources come newest first (the memtable, the immutable memtable, level-0 tables newest
 * first, then one run per deeper level), and each is sorted with one cell per key. A heap holds
 * each source's next cell, ordered by key and then by source: the top is the smallest key from
 * the newest source that has it. That cell is returned; the same key's cells in older sources
 * are passed over, since they are superseded.
 *
 * <p>Tombstones are returned like any cell: a read skips them (the key is deleted), a compaction
 * keeps them unless no deeper level could still hold the key. Dropping them here would let an
 * older value in a source this merge does not see show through.
 *
 * <p>Cost: O(log s) per cell passed, for s sources. Not thread-safe.
 */
final class MergingIterator implements Iterator<Cell> {

    private record Head(Cell cell, int source, Iterator<Cell> rest) {
    }

    private final PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> {
        int byKey = Keys.COMPARATOR.compare(a.cell.key(), b.cell.key());
        return byKey != 0 ? byKey : Integer.compare(a.source, b.source); // the newer source first
    });

    /** Merges {@code sources}, the newest first. */
    MergingIterator(List<Iterator<Cell>> sources) {
        for (int i = 0; i < sources.size(); i++) {
            advance(sources.get(i), i);
        }
    }

    @Override
    public boolean hasNext() {
        return !heap.isEmpty();
    }

    @Override
    public Cell next() {
        // LAB:BEGIN step6.merge-tombstones — Return the newest cell of the smallest key, tombstone or not, and pass over the older sources' cells of that key
        Head top = heap.poll();
        if (top == null) {
            throw new NoSuchElementException();
        }
        advance(top.rest, top.source);
        // Older sources' cells for the same key are superseded by top.cell: pass them over.
        while (!heap.isEmpty() && Arrays.equals(heap.peek().cell.key(), top.cell.key())) {
            Head older = heap.poll();
            advance(older.rest, older.source);
        }
        return top.cell;
        // LAB:END
    }

    private void advance(Iterator<Cell> source, int index) {
        if (source.hasNext()) {
            heap.add(new Head(source.next(), index, source));
        }
    }
}
