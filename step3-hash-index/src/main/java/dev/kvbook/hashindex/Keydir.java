package dev.kvbook.hashindex;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The keydir: for every live key, where its newest record is (segment, offset, size). This is
 * the whole of step 3's idea. A {@code get} is one lookup here and one positional read of the
 * record; nothing is scanned. The price is memory: every live key, with its location, lives on
 * the heap, whether it is read or not, and the keys have no order (no range scans).
 *
 * <h2>Layout and its cost</h2>
 * A {@link ConcurrentHashMap} from a key wrapper (the key's bytes and their cached hash) to a
 * {@link Location} of three ints. Per key, on a 64-bit JVM with compressed references: a map
 * node (32 bytes), its table slot (about 8 at the map's load factor), the wrapper (24), the key
 * array (16 + the key, rounded up to 8) and the location (24): about 104 bytes plus the key.
 * {@link #estimatedBytesPerKey()} reports that figure. (Bitcask's C keydir packs the same facts
 * into about 40 bytes plus the key; an open-addressing table of parallel arrays would too, at the
 * cost of code a reader would have to study. Here the structure is meant to be seen at a glance.)
 *
 * <h2>Threads</h2>
 * Safe for concurrent use: readers look up without locks while the writer puts and removes. The
 * store serializes writers, and a merge switches entries over with {@link #replace}, which only
 * succeeds when the entry still points where the merge copied it from.
 */
final class Keydir {

    /**
     * Where a key's newest record is.
     *
     * @param segment the segment number
     * @param offset  where the record starts in that segment (segments are at most
     *                {@link HashIndexStore.Options#MAX_SEGMENT_SIZE} bytes before their last
     *                record, so an int is enough)
     * @param size    the record's size, header included: the length of the one read a get makes
     */
    record Location(int segment, int offset, int size) {
    }

    /** A key by content (a {@code byte[]} compares by identity), with its hash computed once. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Fixed costs per key, in bytes: map node + table slot + key wrapper + array header + location. */
    static final int BYTES_PER_ENTRY = 32 + 8 + 24 + 16 + 24;

    private final ConcurrentHashMap<Key, Location> map = new ConcurrentHashMap<>();
    private final AtomicLong keyBytes = new AtomicLong();

    /** Returns where {@code key}'s newest record is, or {@code null} when the key is not live. O(1). */
    Location get(byte[] key) {
        return map.get(new Key(key));
    }

    /**
     * Points {@code key} at {@code location} (a copy of the key is kept) and returns where it
     * pointed before, or {@code null}. O(1).
     */
    Location put(byte[] key, Location location) {
        Location previous = map.put(new Key(key.clone()), location);
        if (previous == null) {
            keyBytes.addAndGet(key.length);
        }
        return previous;
    }

    /** Forgets {@code key} (a tombstone) and returns where it pointed, or {@code null}. O(1). */
    Location remove(byte[] key) {
        Location previous = map.remove(new Key(key));
        if (previous != null) {
            keyBytes.addAndGet(-key.length);
        }
        return previous;
    }

    /**
     * Points {@code key} at {@code update} only if it still points at {@code expected}: how a
     * merge switches a key to its copy without undoing a write made while it ran. O(1).
     */
    boolean replace(byte[] key, Location expected, Location update) {
        return map.replace(new Key(key), expected, update);
    }

    /** The number of live keys. O(1). */
    int size() {
        return map.size();
    }

    /**
     * Calls {@code action} with every key (the keydir's own array: do not modify or keep it) and
     * its location. Weakly consistent while writers run. O(keys).
     */
    void forEach(BiConsumer<byte[], Location> action) {
        map.forEach((key, location) -> action.accept(key.bytes, location));
    }

    /** Returns whether any key points into one of {@code segments}. O(keys); for assertions. */
    boolean pointsInto(Set<Integer> segments) {
        return map.values().stream().anyMatch(location -> segments.contains(location.segment()));
    }

    /** The estimated heap bytes per live key: {@link #BYTES_PER_ENTRY} plus the average key, padded. */
    long estimatedBytesPerKey() {
        int keys = map.size();
        long averageKey = keys == 0 ? 0 : keyBytes.get() / keys;
        return BYTES_PER_ENTRY + ((averageKey + 7) / 8) * 8;
    }
}
