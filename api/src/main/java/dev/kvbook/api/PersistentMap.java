package dev.kvbook.api;

import dev.kvbook.api.MapEnvelopeFormat.Slot;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link java.util.Map} that lives in a {@link KeyValueStore}: "it looks and acts like a dict,
 * but it is on disk". Keys and values are turned into bytes by {@link Codec}s.
 *
 * <pre>{@code
 * try (PersistentMap<String, Long> counters = PersistentMap.open("step3", Path.of("counters"),
 *         Codecs.STRING, Codecs.LONG, MapOptions.defaults())) {
 *     counters.merge("launches", 1L, Long::sum);   // read, add, write back: atomic, durable on return
 * }
 * }</pre>
 * {@code new PersistentMap<>(store, keys, values)} is the bare map over a store you opened
 * yourself, exactly as it has always been.
 *
 * <h2>Features, all off unless asked for ({@link MapOptions})</h2>
 * <ul>
 *   <li><b>Expiry</b>: entries older than a {@code Duration}, from creation or last access, are
 *       invisible at once to every read and view, and a sweep removes them from the store (on
 *       open, every {@link MapOptions#sweepEvery}, and on demand with {@link #sweep()}).</li>
 *   <li><b>Metadata</b>: {@link #metadata} tells when an entry was created and last read.</li>
 *   <li><b>Read cache</b>: a bounded LRU of stored bytes in front of the store, shared by every
 *       handle of the map and so never stale.</li>
 *   <li><b>Long keys</b>: keys over the store's 1024-byte limit are stored under a SHA-256
 *       digest, the whole key kept beside the value; two keys with one digest stay two entries.</li>
 * </ul>
 * With all of them off, the map stores the codecs' bytes and nothing else. Expiry, metadata or
 * long keys put each value in an envelope ({@link MapEnvelopeFormat}: 31 bytes more per entry, a
 * checksum, the times) and record the options in the store; a later open with other options is
 * refused. Custom codecs, including compression ({@link Codecs#deflated}) or encryption, are codec
 * wrappers: see {@link Codec}.
 *
 * <h2>Costs, because a Map hides them</h2>
 * <ul>
 *   <li>{@code get}, {@code containsKey}: one store {@code get}, or none on a cache hit. With
 *       access times on (metadata, or expiry after access), a batched write every
 *       {@link MapOptions#accessBatch} reads.</li>
 *   <li>{@code put} and {@code remove} return the previous value, so they read before they write:
 *       one {@code get} plus one store write. {@link #set} writes without reading (a key stored
 *       under a shared digest still reads its bucket).</li>
 *   <li>{@code size}: the store's {@code size()}; O(N) reads with expiry or long keys on.</li>
 *   <li>Iterating {@code entrySet()}, {@code keySet()} or {@code values()} copies every entry into
 *       memory first (O(N) memory), because a Map iterator cannot be closed and the store's
 *       iterator must be. {@link #forEach} streams instead, with O(1) memory.</li>
 *   <li>Opening with expiry sweeps once: O(N) reads ({@link MapOptions#withSweepOnOpen}).</li>
 * </ul>
 *
 * <h2>Threads, handles and processes</h2>
 * Each call is atomic: a read-write lock per map lets lookups run side by side and gives each
 * write its read-modify-write alone, so {@code put} returns the value it really replaced, and
 * {@code putIfAbsent}, {@code merge}, {@code compute*} and {@code replace} hold the write lock
 * throughout (their functions run under it, so keep them short). Iterators see what the store's
 * iterator sees.
 * <p><b>In one JVM, a second {@link #open} shares.</b> Opening one path twice gives two handles
 * over one open store, one lock and one cache: a change through one is seen by the other at once,
 * and the store is closed with the last handle. Why share rather than refuse: parts of one program
 * may each open the map by its path, and one lock and one cache is what keeps each write atomic
 * across them and every read current.
 * <p><b>In another process, {@link #open} fails fast with {@link StoreLockedException}</b>, naming
 * the store's lock file, until the last handle here is closed; so does opening the <em>store</em> a
 * second time here ({@link Stores#open}). Why: another process cannot share this one's lock and
 * cache, so it would need a second store over the same files, and two stores over one set of files
 * would each write without seeing what the other wrote, and overwrite it. Sharing happens here,
 * above the store, within one JVM; never below it.
 *
 * <h2>Durability and crashes</h2>
 * Each write is one store write, durable when the store's writes are (every step's default). A
 * crash loses no acknowledged entry and brings back no expired or deleted one: a sweep rewrites or
 * deletes one stored key at a time, each checked again under the lock. Access times are written in
 * batches, so a crash may lose the latest of them (never an entry); expiry after last access then
 * counts from the last time written.
 *
 * <h2>Errors</h2>
 * An envelope or options record that fails its checks is a {@link CorruptionException} naming the
 * key and what failed, never a wrong value. Use after {@link #close} throws
 * {@link StoreClosedException}.
 */
public class PersistentMap<K, V> extends AbstractMap<K, V> implements AutoCloseable {

    private final MapCore core;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final Runnable closer;
    private volatile boolean closed;

    /**
     * The bare map over {@code store}, every feature off; closing the store is the caller's job.
     * Reads the store once, to refuse a store that a map with features wrote.
     */
    public PersistentMap(KeyValueStore store, Codec<K> keys, Codec<V> values) {
        this(MapCore.open(Objects.requireNonNull(store, "store"), null, false, MapOptions.defaults()), keys, values,
                null);
    }

    private PersistentMap(MapCore core, Codec<K> keys, Codec<V> values, Runnable closer) {
        this.core = core;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.values = Objects.requireNonNull(values, "values");
        this.closer = closer == null ? core::release : closer;
    }

    /**
     * Opens the map kept in the store {@code store} ({@code "step3"}, as {@link Stores} names it)
     * at {@code path} on the real disk, creating it if needed. See {@link #open(String, Path, Vfs,
     * Codec, Codec, MapOptions)}.
     */
    public static <K, V> PersistentMap<K, V> open(String store, Path path, Codec<K> keys, Codec<V> values,
                                                  MapOptions options) {
        return open(store, path, Vfs.local(), keys, values, options);
    }

    /**
     * Opens the map kept in the store {@code store} at {@code path} on {@code vfs}: a new handle
     * over the map when it is already open in this JVM (then {@code options} must equal the ones
     * it is open with), else the store opened now. Close the handle when done; the last one closes
     * the store. Opening a map with expiry sweeps it (O(N) reads).
     *
     * @throws IllegalArgumentException when the store was written with other recorded options, or
     *                                  the map is open here with other options
     * @throws StoreLockedException     when another process has the store open
     */
    public static <K, V> PersistentMap<K, V> open(String store, Path path, Vfs vfs, Codec<K> keys, Codec<V> values,
                                                  MapOptions options) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        MapCore core = SharedStores.acquire(store, path, vfs, Objects.requireNonNull(options, "options"));
        return new PersistentMap<>(core, keys, values, () -> SharedStores.release(core));
    }

    /**
     * A map with {@code options} over a store you opened and will close yourself, as the only map
     * over it: its lock and cache are its own, so a second map over the same store object is
     * refused (it could not see this one's writes). Close the map before the store.
     *
     * @throws IllegalStateException when a map is already open over {@code store}
     */
    public static <K, V> PersistentMap<K, V> over(KeyValueStore store, Codec<K> keys, Codec<V> values,
                                                  MapOptions options) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        MapCore core = SharedStores.claim(Objects.requireNonNull(store, "store"), Objects.requireNonNull(options, "options"));
        return new PersistentMap<>(core, keys, values, () -> SharedStores.unclaim(core));
    }

    /** The store underneath. Writing to it directly bypasses the map's lock, cache and envelope. */
    public KeyValueStore store() {
        return core.store();
    }

    /** The options this map was opened with. */
    public MapOptions options() {
        return core.options();
    }

    /** The value under {@code key}, or {@code null}; one store read or a cache hit. Notes an access. */
    @Override
    public V get(Object key) {
        byte[] encoded = encodeLookup(key);
        if (encoded == null) {
            return null;
        }
        Slot slot = core().find(encoded, true);
        return slot == null ? null : values.decode(slot.value());
    }

    /** Whether {@code key} has a live entry; one store read or a cache hit. Not an access. */
    @Override
    public boolean containsKey(Object key) {
        byte[] encoded = encodeLookup(key);
        return encoded != null && core().find(encoded, false) != null;
    }

    /** Stores the mapping and returns the previous value: a store read plus a store write, atomically. */
    @Override
    public V put(K key, V value) {
        byte[] previous = core().put(encodeKey(key), encodeValue(value), true);
        return previous == null ? null : values.decode(previous);
    }

    /** Stores the mapping without reading the previous value: one store write. */
    public void set(K key, V value) {
        core().put(encodeKey(key), encodeValue(value), false);
    }

    /** Removes {@code key} and returns its value: a store read plus a store delete, atomically. */
    @Override
    public V remove(Object key) {
        byte[] encoded = encodeLookup(key);
        if (encoded == null) {
            return null;
        }
        byte[] previous = core().remove(encoded);
        return previous == null ? null : values.decode(previous);
    }

    /** The number of live entries: the store's {@code size()}, or O(N) reads with expiry or long keys. */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, core().size());
    }

    /** Removes every entry, a few hundred per lock hold; O(N). A put made meanwhile may survive it or not. */
    @Override
    public void clear() {
        core().clear();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return core().writeLocked(() -> super.putIfAbsent(key, value));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return core().writeLocked(() -> super.remove(key, value));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return core().writeLocked(() -> super.replace(key, oldValue, newValue));
    }

    @Override
    public V replace(K key, V value) {
        return core().writeLocked(() -> super.replace(key, value));
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        return core().writeLocked(() -> super.computeIfAbsent(key, mappingFunction));
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return core().writeLocked(() -> super.computeIfPresent(key, remappingFunction));
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return core().writeLocked(() -> super.compute(key, remappingFunction));
    }

    /** Reads, combines and writes back under the write lock, so concurrent merges through any handle all count. */
    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        return core().writeLocked(() -> super.merge(key, value, remappingFunction));
    }

    /** Visits every live mapping straight from the store's iterator: O(1) memory. */
    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        core().forEachLive((key, value) -> action.accept(keys.decode(key), values.decode(value)));
    }

    /** A view whose iterator works on a copy of the live entries (see the class notes on cost). */
    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                List<Map.Entry<K, V>> copy = new ArrayList<>();
                core().forEachLive((key, value) -> copy.add(new MapEntry(keys.decode(key), values.decode(value))));
                Iterator<Map.Entry<K, V>> it = copy.iterator();
                return new Iterator<>() {
                    private Map.Entry<K, V> last;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        last = it.next();
                        return last;
                    }

                    @Override
                    public void remove() {
                        if (last == null) {
                            throw new IllegalStateException("next() has not been called, or remove() already was");
                        }
                        PersistentMap.this.remove(last.getKey());
                        last = null;
                    }
                };
            }

            @Override
            public int size() {
                return PersistentMap.this.size();
            }
        };
    }

    /**
     * When {@code key}'s entry was created and last read, or {@code null} when it has no live
     * entry; one store read or a cache hit. Not an access itself.
     *
     * @throws IllegalStateException when the map was opened without {@link MapOptions#withMetadata}
     */
    public EntryMetadata metadata(K key) {
        if (!core().options().metadata()) {
            throw new IllegalStateException("metadata is off in this map: open it with MapOptions.withMetadata(true)");
        }
        return core().metadata(encodeKey(key));
    }

    /**
     * Removes every entry that has expired from the store now, in batches of a few hundred per lock
     * hold, and returns how many; never one written after the sweep started. O(N) reads. Returns 0
     * without expiry. Expired entries are invisible whether swept or not: a sweep frees space.
     */
    public long sweep() {
        return ExpirySweep.run(core(), () -> { });
    }

    /** {@link #sweep()}, with {@code afterCollecting} run between its collecting and its removing: tests write in that gap. */
    long sweep(Runnable afterCollecting) {
        return ExpirySweep.run(core(), afterCollecting);
    }

    /** Writes the noted access times, then makes every write durable (the store's {@code sync()}). */
    public void sync() {
        core().sync();
    }

    /** What the cache, sweeps and access-time batches have done in this process. */
    public MapStats stats() {
        return core().stats();
    }

    /**
     * Closes this handle; idempotent. The last handle of a map writes its noted access times, stops
     * its background sweep, and closes the store if {@link #open} opened it.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closer.run();
        }
    }

    private MapCore core() {
        if (closed) {
            throw new StoreClosedException("this PersistentMap handle");
        }
        return core;
    }

    /** An entry whose setValue writes through to the map. */
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
        return keys.encode(Objects.requireNonNull(key, "key"));
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
        return keys.encode(keys.type().cast(key));
    }
}
