package dev.kvbook.hashindex;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The keydir as the Bitcask paper describes it: a hash table from each live key to where its
 * newest record is. Here a {@link ConcurrentHashMap}, which gives the threading the store needs
 * for free: lock-free reads beside one writer, and an atomic compare-and-set for {@link #replace}.
 *
 * <p>Cost: per key, a map node, a key wrapper, the key's array and a {@link Location}: five
 * objects, about {@value #OBJECT_BYTES_PER_KEY} bytes plus the key on a 64-bit JVM with
 * compressed pointers (16-byte object headers, 8-byte alignment), and every one is an object the
 * garbage collector traces and an open allocates. {@link PackedKeydir} packs the same contract
 * into three arrays to save most of that.
 */
final class PlainKeydir implements Keydir {

    /**
     * Bytes per key beyond the key's own bytes: map node 32 + its share of the table (8 bytes a
     * slot at up to 3/4 load, about 11) + key wrapper 16 + the key array's header 16 + Location 24,
     * rounded up.
     */
    static final int OBJECT_BYTES_PER_KEY = 32 + 11 + 16 + 16 + 24;

    private final ConcurrentHashMap<Key, Location> map = new ConcurrentHashMap<>();
    private final AtomicLong keyBytes = new AtomicLong(); // live keys' array bytes, padded to 8

    @Override
    public Location get(byte[] key) {
        return map.get(new Key(key));
    }

    @Override
    public Location put(byte[] key, Location location) {
        Location previous = map.put(new Key(key.clone()), location);
        if (previous == null) {
            keyBytes.addAndGet(padded(key.length));
        }
        return previous;
    }

    @Override
    public Location remove(byte[] key) {
        Location previous = map.remove(new Key(key));
        if (previous != null) {
            keyBytes.addAndGet(-padded(key.length));
        }
        return previous;
    }

    @Override
    public boolean replace(byte[] key, Location expected, Location update) {
        return map.replace(new Key(key), expected, update);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public void forEach(BiConsumer<byte[], Location> action) {
        for (Map.Entry<Key, Location> entry : map.entrySet()) {
            action.accept(entry.getKey().bytes().clone(), entry.getValue());
        }
    }

    @Override
    public long estimatedBytesPerKey() {
        int live = map.size();
        return live == 0 ? 0 : OBJECT_BYTES_PER_KEY + keyBytes.get() / live;
    }

    private static long padded(int length) {
        return (length + 7L) & ~7L;
    }

    /** A key compared by its bytes, as a map key must be (arrays compare by identity). */
    private record Key(byte[] bytes) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
