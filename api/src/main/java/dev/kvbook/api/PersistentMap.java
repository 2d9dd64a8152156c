package dev.kvbook.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A {@link java.util.Map} that lives in a {@link KeyValueStore}: "it looks and acts like a dict,
 * but it is on disk". Keys and values are turned into bytes by {@link Codec}s.
 *
 * <pre>{@code
 * try (KeyValueStore store = Stores.open("step1", Path.of("settings.db"))) {
 *     Map<String, Long> counters = new PersistentMap<>(store, Codecs.STRING, Codecs.LONG);
 *     counters.merge("launches", 1L, Long::sum);   // read, add, write back: durable on return
 * }
 * }</pre>
 *
 * <h2>Costs, because a Map hides them</h2>
 * <ul>
 *   <li>{@code get}, {@code containsKey}: one store {@code get}.</li>
 *   <li>{@code put} and {@code remove} return the previous value, so they read before they
 *       write: one {@code get} plus one store write. {@link #set} writes without reading.</li>
 *   <li>{@code size}: the store's {@code size()}.</li>
 *   <li>Iterating {@code entrySet()}, {@code keySet()} or {@code values()} copies every entry
 *       into memory first (O(N) memory), because a Map iterator cannot be closed and the store's
 *       iterator must be. {@link #forEach} streams instead, with O(1) memory.</li>
 * </ul>
 * Thread safety is the store's: each call is one or two store calls, so {@code put} is not
 * atomic with the read of the previous value.
 */
public class PersistentMap<K, V> extends AbstractMap<K, V> {

    private final KeyValueStore store;
    private final Codec<K> keys;
    private final Codec<V> values;

    /** A map view of {@code store}; closing the store is the caller's job. */
    public PersistentMap(KeyValueStore store, Codec<K> keys, Codec<V> values) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
    }

    /** The store underneath. */
    public KeyValueStore store() {
        return store;
    }

    @Override
    public V get(Object key) {
        byte[] encoded = encodeLookup(key);
        if (encoded == null) {
            return null;
        }
        byte[] value = store.get(encoded);
        return value == null ? null : values.decode(value);
    }

    @Override
    public boolean containsKey(Object key) {
        byte[] encoded = encodeLookup(key);
        return encoded != null && store.containsKey(encoded);
    }

    /** Stores the mapping and returns the previous value: a store read plus a store write. */
    @Override
    public V put(K key, V value) {
        byte[] encodedKey = encodeKey(key);
        byte[] previous = store.get(encodedKey);
        store.put(encodedKey, encodeValue(value));
        return previous == null ? null : values.decode(previous);
    }

    /** Stores the mapping without reading the previous value: one store write. */
    public void set(K key, V value) {
        store.put(encodeKey(key), encodeValue(value));
    }

    @Override
    public V remove(Object key) {
        byte[] encoded = encodeLookup(key);
        if (encoded == null) {
            return null;
        }
        byte[] previous = store.get(encoded);
        if (previous == null) {
            return null;
        }
        store.delete(encoded);
        return values.decode(previous);
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, store.size());
    }

    @Override
    public void clear() {
        for (dev.kvbook.api.Entry entry : snapshot()) {
            store.delete(entry.key());
        }
    }

    /** Visits every mapping straight from the store's iterator: O(1) memory. */
    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        try (CloseableIterator<dev.kvbook.api.Entry> it = store.iterator()) {
            while (it.hasNext()) {
                dev.kvbook.api.Entry entry = it.next();
                action.accept(keys.decode(entry.key()), values.decode(entry.value()));
            }
        }
    }

    /** A view whose iterator works on a copy of the store's entries (see the class notes on cost). */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                Iterator<dev.kvbook.api.Entry> copy = snapshot().iterator();
                return new Iterator<>() {
                    private K last;
                    private boolean canRemove;

                    @Override
                    public boolean hasNext() {
                        return copy.hasNext();
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        dev.kvbook.api.Entry entry = copy.next();
                        last = keys.decode(entry.key());
                        canRemove = true;
                        return new MapEntry(last, values.decode(entry.value()));
                    }

                    @Override
                    public void remove() {
                        if (!canRemove) {
                            throw new IllegalStateException("next() has not been called, or remove() already was");
                        }
                        store.delete(keys.encode(last));
                        canRemove = false;
                    }
                };
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }
        };
    }

    private List<dev.kvbook.api.Entry> snapshot() {
        List<dev.kvbook.api.Entry> all = new ArrayList<>();
        try (CloseableIterator<dev.kvbook.api.Entry> it = store.iterator()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    /** An entry whose setValue writes through to the store. */
    private final class MapEntry extends SimpleEntry<K, V> {
        MapEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            set(getKey(), value);
            return super.setValue(value);
        }
    }

    private byte[] encodeKey(K key) {
        return Limits.checkKey(keys.encode(Objects.requireNonNull(key, "key")));
    }

    private byte[] encodeValue(V value) {
        return Limits.checkValue(values.encode(Objects.requireNonNull(value, "value")));
    }

    /** Encodes a lookup key, or returns null when it is of a type this map cannot hold. */
    private byte[] encodeLookup(Object key) {
        Objects.requireNonNull(key, "key");
        if (!keys.type().isInstance(key)) {
            return null;
        }
        return Limits.checkKey(keys.encode(keys.type().cast(key)));
    }
}
