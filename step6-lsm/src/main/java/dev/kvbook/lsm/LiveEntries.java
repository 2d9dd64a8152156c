package dev.kvbook.lsm;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;

import java.util.NoSuchElementException;

/**
 * What a scan returns: the merged cells of a {@link Tree.View}, tombstones skipped (their keys are
 * deleted), each live cell copied out as an {@link Entry}. Closing it releases the view's
 * {@link Version}, so that the tables it read may be deleted once compaction has replaced them.
 *
 * <p>Cost: O(log sources) per cell passed, tombstones and superseded cells included. Not
 * thread-safe, like every iterator.
 */
final class LiveEntries implements CloseableIterator<Entry> {

    private final Tree.View view;
    private final MergingIterator merged;
    private Cell next;
    private boolean released;

    /** The live entries of {@code view}, whose version this now holds. */
    LiveEntries(Tree.View view) {
        this.view = view;
        this.merged = new MergingIterator(view.sources());
    }

    @Override
    public boolean hasNext() {
        while (next == null && !released && merged.hasNext()) {
            Cell cell = merged.next();
            if (!cell.isTombstone()) {
                next = cell;
            }
        }
        return next != null;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Cell cell = next;
        next = null;
        return new Entry(cell.key().clone(), cell.value().clone());
    }

    /** Releases the version; idempotent. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            view.version().release();
        }
    }
}
