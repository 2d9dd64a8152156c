package dev.kvbook.hashindex;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The keydir: for every live key, where its newest record is (segment, offset, size). This is
 * the whole of step 3's idea, the "keydir" of the Bitcask paper. A {@code get} is one lookup here
 * and one positional read of the record; nothing is scanned. The price is memory: every live key,
 * with its location, lives on the heap whether it is read or not, and the keys have no order (no
 * range scans).
 *
 * <p>Two implementations keep the same contract and pass the same tests ({@code KeydirTest}):
 * <ul>
 *   <li>{@link PlainKeydir}: a hash map from keys to {@link Location}s. The idea, in about a
 *       hundred lines; read it first.</li>
 *   <li>{@link PackedKeydir}: the same map packed into three arrays, about a third of the memory
 *       per key and no object per key for the garbage collector to trace. The store's default
 *       ({@link HashIndexStore.Options#packedKeydir}); an optimisation beside the idea.</li>
 * </ul>
 *
 * <p>Threads: one writer at a time (the store serializes {@code put}, {@code remove} and
 * {@code replace}) and any number of readers at once; a {@code get} never returns a location
 * that was never stored, and never misses a key present throughout the call.
 */
interface Keydir {

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

    /** A new, empty keydir: packed ({@link PackedKeydir}) or plain ({@link PlainKeydir}). */
    static Keydir create(boolean packed) {
        return packed ? new PackedKeydir() : new PlainKeydir();
    }

    /** Returns where {@code key}'s newest record is, or {@code null} when the key is not live. O(1). */
    Location get(byte[] key);

    /** Points {@code key} at {@code location} (keeping its own copy of the key); returns where it pointed before, or null. O(1) amortized. */
    Location put(byte[] key, Location location);

    /** Forgets {@code key} (a tombstone); returns where it pointed, or null. O(1) amortized. */
    Location remove(byte[] key);

    /**
     * Points {@code key} at {@code update} only if it still points at {@code expected}: how a
     * merge moves a key to its copy without undoing a write that came during the merge. O(1).
     */
    boolean replace(byte[] key, Location expected, Location update);

    /** The number of live keys. O(1). */
    int size();

    /** Calls {@code action} with every live key (a copy the action may keep) and its location. O(keys). */
    void forEach(BiConsumer<byte[], Location> action);

    /** Whether any key points into one of {@code segments}. O(keys); for assertions. */
    default boolean pointsInto(Set<Integer> segments) {
        boolean[] found = new boolean[1];
        forEach((key, at) -> found[0] |= segments.contains(at.segment()));
        return found[0];
    }

    /** The heap bytes per live key, key included, as this implementation estimates them; 0 when empty. O(1). */
    long estimatedBytesPerKey();
}
