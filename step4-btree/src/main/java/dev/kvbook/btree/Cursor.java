package dev.kvbook.btree;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;

/**
 * Iterates over a key range in order, a batch at a time, holding no lock and no page between
 * batches.
 *
 * <p>Each batch is read under the store's read lock: one descent to the first key after the last
 * one returned, then along the leaf links for up to {@value #BATCH_ENTRIES} entries (or about 1 MiB
 * of values). Then the lock is released. So a cursor never blocks a writer for long, a thread may
 * write to the store while it iterates (holding the read lock across {@code next()} calls would
 * deadlock it), and a cursor stays correct whatever happens between batches: it re-seeks by key,
 * not by page, so splits and merges cannot make it skip or repeat.
 *
 * <p>What it sees of concurrent writes: every key is returned at most once, in increasing order.
 * Each batch is a consistent view as of the moment it was read, so a change to a key in the
 * batch already read shows from the next batch on; a change behind the cursor is never seen,
 * and one beyond the current batch always is (weakly consistent, like
 * {@code ConcurrentSkipListMap}'s iterators). Closing is optional but idempotent.
 */
public final class Cursor implements CloseableIterator<Entry> {

    /** Entries per batch. */
    public static final int BATCH_ENTRIES = 256;
    /** About this many bytes of keys and values per batch (always at least one entry). */
    public static final long BATCH_BYTES = 1 << 20;

    /** Reads one batch, under whatever lock the store needs. */
    @FunctionalInterface
    public interface BatchReader {
        BTree.Batch read(byte[] start, boolean inclusive, byte[] toExclusive);
    }

    private final BatchReader reader;
    private final byte[] toExclusive;
    private final ArrayDeque<Entry> batch = new ArrayDeque<>();
    private byte[] position;      // where the next batch starts
    private boolean inclusive;    // whether it starts at position itself
    private boolean finished;

    /** A cursor over {@code [fromInclusive, toExclusive)}, null meaning unbounded. Reads nothing yet. */
    public Cursor(BatchReader reader, byte[] fromInclusive, byte[] toExclusive) {
        this.reader = reader;
        this.position = fromInclusive == null ? null : fromInclusive.clone();
        this.inclusive = true;
        this.toExclusive = toExclusive == null ? null : toExclusive.clone();
        this.finished = fromInclusive != null && toExclusive != null
                && java.util.Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0;
    }

    /** Whether another entry follows; reads the next batch when this one is used up. */
    @Override
    public boolean hasNext() {
        if (batch.isEmpty() && !finished) {
            BTree.Batch next = reader.read(position, inclusive, toExclusive);
            batch.addAll(next.entries());
            finished = next.finished();
            if (!next.entries().isEmpty()) {
                position = next.entries().get(next.entries().size() - 1).key();
                inclusive = false;
            }
        }
        return !batch.isEmpty();
    }

    /** The next entry, whose arrays are the caller's to keep. */
    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the cursor is past its last entry");
        }
        Entry entry = batch.poll();
        return new Entry(entry.key().clone(), entry.value());
    }

    /** Drops the rest; holds nothing else to release. */
    @Override
    public void close() {
        batch.clear();
        finished = true;
    }
}
