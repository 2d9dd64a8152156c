package dev.kvbook.api;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The read cache of a {@link PersistentMap}: the stored bytes of the most recently used stored
 * keys, at most {@code maxEntries} of them and {@code maxBytes} bytes, the least recently used
 * evicted first (LRU).
 *
 * <p>It holds exactly what the store would return for a key, envelope and all, never a decoded
 * value: then it cannot disagree with the store about anything but freshness, and freshness is
 * kept by one rule. <b>Invariant:</b> every store write of the map goes through
 * {@code MapCore.write}/{@code MapCore.delete}, which update this cache under the map's write
 * lock, and a read fills it only under the read lock, so no read can put back a value a write has
 * replaced. Every handle over one store shares one core and so one cache, which is why a write
 * through one handle is never missed by another.
 *
 * <p>Thread safety: one monitor, because even a hit changes the LRU order. Each call is O(1).
 */
final class ReadCache {

    /** What a cached entry costs beyond its bytes: the map node, the key buffer, two arrays' headers. */
    static final int ENTRY_OVERHEAD = 64;

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<ByteBuffer, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    ReadCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The cached stored value of {@code storedKey}, or {@code null} on a miss; counts which (a map's read). */
    synchronized byte[] get(byte[] storedKey) {
        byte[] value = peek(storedKey);
        if (value == null) {
            misses++;
        } else {
            hits++;
        }
        return value;
    }

    /** As {@link #get}, without counting: the map reading for itself (before a write), not for a caller. */
    synchronized byte[] peek(byte[] storedKey) {
        return entries.get(ByteBuffer.wrap(storedKey));
    }

    /** Caches {@code value} (not copied: callers never change stored arrays) and evicts down to the bounds. */
    synchronized void put(byte[] storedKey, byte[] value) {
        long cost = cost(storedKey, value);
        remove(storedKey);
        if (cost > maxBytes) {
            return; // a value bigger than the whole cache would only evict everything else
        }
        entries.put(ByteBuffer.wrap(storedKey.clone()), value);
        bytes += cost;
        Iterator<Map.Entry<ByteBuffer, byte[]>> eldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries || bytes > maxBytes) {
            Map.Entry<ByteBuffer, byte[]> e = eldest.next();
            bytes -= cost(e.getKey().array(), e.getValue());
            eldest.remove();
        }
    }

    /** Forgets {@code storedKey}. */
    synchronized void remove(byte[] storedKey) {
        byte[] old = entries.remove(ByteBuffer.wrap(storedKey));
        if (old != null) {
            bytes -= cost(storedKey, old);
        }
    }

    /** Forgets everything. */
    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    synchronized int size() {
        return entries.size();
    }

    private static long cost(byte[] storedKey, byte[] value) {
        return storedKey.length + value.length + ENTRY_OVERHEAD;
    }
}
