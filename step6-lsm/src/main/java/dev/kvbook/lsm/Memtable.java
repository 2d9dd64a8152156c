package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memtable: the newest writes, sorted in memory, until there are enough of them to write out
 * as one sorted table. The first half of the LSM idea (the second is {@link Compaction}): a put
 * is an append to the log plus an insert here, never a read or rewrite of anything on disk.
 *
 * <p>Every write gets a <em>sequence number</em>, one more than the last, and the memtable keeps
 * every version of a key ordered by (key ascending, sequence descending). That is what lets an
 * iterator read a consistent snapshot while writers go on: it remembers the last sequence number
 * when it started and skips every newer version. A get wants the newest version, and takes the
 * first entry at or after (key, {@link Long#MAX_VALUE}).
 *
 * <p>Thread-safe without a lock: a concurrent skip list. Writers insert one at a time (the
 * store's write queue serializes them); readers never block them.
 */
final class Memtable {

    /** The value stored for a tombstone; compared by identity (every stored value is a copy). */
    private static final byte[] TOMBSTONE = new byte[0];

    /** A key and the sequence number of one of its versions. */
    record Version(byte[] key, long sequence) {
    }

    private static final java.util.Comparator<Version> ORDER = (a, b) -> {
        int byKey = Keys.COMPARATOR.compare(a.key, b.key);
        return byKey != 0 ? byKey : Long.compare(b.sequence, a.sequence); // newest first
    };

    private final ConcurrentNavigableMap<Version, byte[]> versions = new ConcurrentSkipListMap<>(ORDER);
    private final AtomicLong bytes = new AtomicLong();

    /**
     * Adds a version of {@code key}: {@code value}, or a tombstone when {@code null}. The caller
     * owns nothing passed in afterwards (the store passes copies). O(log n).
     */
    void put(byte[] key, long sequence, byte[] value) {
        versions.put(new Version(key, sequence), value == null ? TOMBSTONE : value);
        bytes.addAndGet(TableFormat.entrySize(key.length, value == null ? 0 : value.length) + 32L);
    }

    /**
     * The newest version of {@code key} with a sequence number at most {@code snapshot}: a cell
     * (possibly a tombstone), or {@code null} when the memtable says nothing about the key. O(log n).
     */
    Cell get(byte[] key, long snapshot) {
        Map.Entry<Version, byte[]> found = versions.ceilingEntry(new Version(key, snapshot));
        if (found == null || !Arrays.equals(found.getKey().key, key)) {
            return null;
        }
        return toCell(key, found.getValue());
    }

    /**
     * The cells with keys in {@code [from, to)} (null bounds are open), in key order, each the
     * newest version at or before {@code snapshot}; tombstones included. Lazy: O(log n) to start,
     * O(1) per version passed over.
     */
    Iterator<Cell> cells(byte[] from, byte[] to, long snapshot) {
        Iterator<Map.Entry<Version, byte[]>> all = (from == null ? versions
                : versions.tailMap(new Version(from, Long.MAX_VALUE), true)).entrySet().iterator();
        return new Iterator<>() {
            private Cell next = advance();
            private byte[] lastKey;

            private Cell advance() {
                while (all.hasNext()) {
                    Map.Entry<Version, byte[]> e = all.next();
                    byte[] key = e.getKey().key;
                    if (to != null && Keys.COMPARATOR.compare(key, to) >= 0) {
                        return null;
                    }
                    if (e.getKey().sequence > snapshot || (lastKey != null && Arrays.equals(lastKey, key))) {
                        continue; // newer than the snapshot, or an older version of a key already returned
                    }
                    lastKey = key;
                    return toCell(key, e.getValue());
                }
                return null;
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

    /** About how many bytes the memtable holds: what the flush threshold compares with. O(1). */
    long approximateBytes() {
        return bytes.get();
    }

    /** Whether nothing was ever put here. */
    boolean isEmpty() {
        return versions.isEmpty();
    }

    private static Cell toCell(byte[] key, byte[] stored) {
        return stored == TOMBSTONE ? Cell.tombstone(key) : new Cell(key, stored);
    }
}
