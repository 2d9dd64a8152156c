package dev.kvbook.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The in-memory limit: a {@code HashMap} (keys wrapped in {@link ByteBuffer}, which compares by
 * content) or a {@code TreeMap} (keys compared as unsigned bytes), behind one lock. Nothing ever
 * reaches the disk, in either mode: this is how fast a map is when durability costs nothing.
 */
final class MemoryContender implements Contender {

    private final boolean sorted;

    /** The {@code TreeMap} limit when {@code sorted}, else the {@code HashMap} one. */
    MemoryContender(boolean sorted) {
        this.sorted = sorted;
    }

    @Override public String name() { return sorted ? "treemap" : "hashmap"; }
    @Override public Kind kind() { return Kind.LIMIT; }
    @Override public boolean ordered() { return sorted; }
    @Override public boolean persistent() { return false; }

    @Override
    public String durability(Durability mode) {
        return "memory only: nothing reaches the disk";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        return sorted ? new MemoryEngine<>(new TreeMap<>(Arrays::compareUnsigned), k -> k)
                : new MemoryEngine<>(new HashMap<>(), ByteBuffer::wrap);
    }

    /** A map of keys of type K (byte[] or a ByteBuffer around one), every call under the engine's lock. */
    private static final class MemoryEngine<K> implements Engine {
        private final Map<K, byte[]> map;
        private final java.util.function.Function<byte[], K> keyOf;

        MemoryEngine(Map<K, byte[]> map, java.util.function.Function<byte[], K> keyOf) {
            this.map = map;
            this.keyOf = keyOf;
        }

        @Override
        public synchronized void put(byte[] key, byte[] value) {
            map.put(keyOf.apply(key.clone()), value.clone()); // copies, as every store makes
        }

        @Override
        public synchronized byte[] get(byte[] key) {
            byte[] value = map.get(keyOf.apply(key));
            return value == null ? null : value.clone();
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized int scan(byte[] fromInclusive, int count) {
            if (!(map instanceof TreeMap<?, ?> tree)) {
                throw new UnsupportedOperationException("a HashMap keeps no key order");
            }
            Iterator<byte[]> values = ((TreeMap<byte[], byte[]>) tree).tailMap(fromInclusive, true).values().iterator();
            int seen = 0;
            while (seen < count && values.hasNext()) {
                values.next();
                seen++;
            }
            return seen;
        }

        @Override public void sync() { }
        @Override public long bytesWritten() { return 0; }
        @Override public long bytesOnDisk() { return 0; }
        @Override public void close() { }
    }
}
