package dev.kvbook.pickled;

import dev.kvbook.api.Keys;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Changes made to the in-memory map since the file was last written, kept as before-images: for
 * each changed key, the value it had before the first change (or that it was absent). Rolling
 * back puts those values back, so memory again equals the file.
 *
 * <p>This is SQLite's rollback journal, kept in memory: only the <em>first</em> change to a key
 * records anything, because only the value before it is on disk. A key updated 10,000 times
 * between two rewrites costs one entry. Memory: O(distinct keys changed).
 *
 * <p>Not thread-safe; {@link PickledMapStore} uses it under its write lock.
 */
final class UndoLog {

    /** Marks "the key was absent"; compared by identity, never put into a store's map. */
    private static final byte[] ABSENT = new byte[0];

    private final NavigableMap<byte[], byte[]> before = new TreeMap<>(Keys.COMPARATOR);
    private long changes;

    /**
     * Applies a put ({@code value} non-null) or a delete ({@code value} null) of {@code key} to
     * {@code map}, recording the key's before-image first. Returns whether the map changed: a
     * put of the value already there, or a delete of an absent key, changes (and records)
     * nothing. O(log N).
     */
    boolean apply(NavigableMap<byte[], byte[]> map, byte[] key, byte[] value) {
        byte[] previous = map.get(key);
        boolean same = value == null ? previous == null : previous != null && Arrays.equals(previous, value);
        if (same) {
            return false;
        }
        before.putIfAbsent(key, previous == null ? ABSENT : previous);
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
        changes++;
        return true;
    }

    /** Returns whether nothing has changed since the log was last cleared. */
    boolean isEmpty() {
        return changes == 0;
    }

    /** The number of changes applied since the log was last cleared (a key may count many times). */
    long changes() {
        return changes;
    }

    /** Puts every before-image back into {@code map}, then clears the log. O(k log N). */
    void rollback(NavigableMap<byte[], byte[]> map) {
        for (Map.Entry<byte[], byte[]> e : before.entrySet()) {
            if (e.getValue() == ABSENT) {
                map.remove(e.getKey());
            } else {
                map.put(e.getKey(), e.getValue());
            }
        }
        clear();
    }

    /**
     * Moves this log into {@code older}, a log started earlier, and clears this one. Where both
     * hold a key, the older before-image wins: it is the value the file has. O(k log n).
     */
    void moveInto(UndoLog older) {
        before.forEach(older.before::putIfAbsent);
        older.changes += changes;
        clear();
    }

    /** Forgets everything: memory and file agree again. */
    void clear() {
        before.clear();
        changes = 0;
    }
}
