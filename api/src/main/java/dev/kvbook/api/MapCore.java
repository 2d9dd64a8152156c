package dev.kvbook.api;

import dev.kvbook.api.MapEnvelopeFormat.Slot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What every handle of one {@link PersistentMap} shares: the store, the lock, the read cache,
 * the noted access times and the background sweep. Handles only add codecs; the map's reads and
 * writes are here, on bytes: the key codec's bytes in, the value codec's bytes out. Three ideas
 * live beside it: what is stored under one stored key, and which slot of it is a key's, in
 * {@link Bucket}; how many handles are open, and the map's life from open to closed, in
 * {@link Handles}; the sweep's protocol in {@link ExpirySweep}.
 *
 * <h2>The lock</h2>
 * One {@link ReentrantReadWriteLock} per map. A lookup holds the read lock, so lookups run side by
 * side; a write holds the write lock for its whole read-modify-write, so {@code put} returns the
 * value it really replaced, and a bucket of long keys is never rewritten by two writers at once.
 * The store's own lock lies beneath and is held only inside each store call. Long work (a sweep, a
 * {@code clear()}, writing access times) takes the write lock once per batch of at most
 * {@value #BATCH} entries, so a reader waits for a batch, never for a whole sweep: the lock is
 * fair, so a waiting reader goes before the next batch. (Fairness costs little without contention:
 * one look at an empty queue.)
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>Every store write goes through {@link #write} or {@link #delete}, under the write lock,
 *       which keep the {@link ReadCache} equal to the store for every key it holds.</li>
 *   <li>An entry is <em>live</em> at time t when it has no expiry, or when t is less than its
 *       expiry span after its base time (creation, or the later of its written access time and
 *       the one noted in {@link AccessTimes}). Only live entries are ever shown.</li>
 *   <li>Time never goes backwards within a process ({@link #now}), so an entry written after a
 *       sweep started has a base time no earlier than the sweep's start.</li>
 * </ol>
 */
final class MapCore {

    /** Entries per write-lock hold in a sweep, a clear or an access-time write: "a few hundred". */
    static final int BATCH = 256;

    private final KeyValueStore store;
    private final boolean ownsStore;
    private final MapOptions options;
    private final MapKeyFormat keyFormat;
    private final boolean envelope;
    /** Fair, so a reader queued behind a sweep's batch goes before the sweep's next batch. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final ReadCache cache;
    private final AccessTimes accessTimes;
    private final AtomicLong lastMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong swept = new AtomicLong();
    private final AtomicLong accessWrites = new AtomicLong();
    private final Handles handles;
    private SweepSchedule schedule;

    private MapCore(KeyValueStore store, String storeName, boolean ownsStore, MapOptions options) {
        this.store = store;
        this.ownsStore = ownsStore;
        this.options = options;
        this.keyFormat = new MapKeyFormat(options);
        this.envelope = options.usesEnvelope();
        this.cache = options.caches() ? new ReadCache(options.cacheEntries(), options.cacheBytes()) : null;
        this.accessTimes = new AccessTimes(options.accessBatch());
        this.handles = new Handles(storeName, options);
    }

    /**
     * Opens a map over {@code store}: checks (or, on a new map, writes) the options record, sweeps
     * once when expiry and {@link MapOptions#sweepOnOpen} are on (O(N) reads), and starts the
     * background sweep when asked. Closes an owned store again if any of that fails.
     *
     * @param storeName the store's provider name ({@code "step3"}), or {@code null} when unknown
     * @param ownsStore whether the last {@link #release} closes the store
     */
    static MapCore open(KeyValueStore store, String storeName, boolean ownsStore, MapOptions options) {
        try {
            MapOptionsFormat.checkOrRecord(store, options);
            MapCore core = new MapCore(store, storeName, ownsStore, options);
            if (options.expiry() != null && options.sweepOnOpen()) {
                ExpirySweep.run(core, () -> { });
            }
            if (options.sweepEvery() != null) {
                core.schedule = new SweepSchedule(options.sweepEvery(), core::backgroundWork,
                        storeName == null ? "over a store" : storeName);
            }
            return core;
        } catch (RuntimeException e) {
            if (ownsStore) {
                try {
                    store.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    // ---- reads --------------------------------------------------------------------------------

    /**
     * The live slot of {@code key} (the key codec's bytes), or {@code null}; notes the read as an
     * access when {@code access} and the map tracks them. One cache or store read, under the read
     * lock; then, when a batch of access times is due, one batch written under the write lock.
     */
    Slot find(byte[] key, boolean access) {
        byte[] storedKey = keyFormat.storedKey(key);
        Slot live;
        lock.readLock().lock();
        try {
            handles.checkOpen();
            long now = now();
            live = live(key, bucket(storedKey, read(storedKey, true)), now);
            if (live != null && access && options.tracksAccess()) {
                accessTimes.note(key, now);
            }
        } finally {
            lock.readLock().unlock();
        }
        if (accessTimes.full()) {
            flushAccessTimes(false);
        }
        return live;
    }

    /** When {@code key}'s live entry was created and last accessed, or {@code null}. */
    EntryMetadata metadata(byte[] key) {
        Slot slot = find(key, false);
        if (slot == null) {
            return null;
        }
        long accessed = Math.max(slot.accessed(), accessTimes.latest(key));
        return new EntryMetadata(Instant.ofEpochMilli(slot.created()), Instant.ofEpochMilli(accessed));
    }

    /**
     * The stored bytes of {@code storedKey}: from the cache, else from the store (then cached). Under
     * a lock. {@code forCaller}: a read a caller asked for, counted in the cache's hits and misses;
     * the map's own reads before a write are not.
     */
    private byte[] read(byte[] storedKey, boolean forCaller) {
        assert lock.getReadHoldCount() > 0 || lock.isWriteLockedByCurrentThread() : "invariant 1: reads fill the cache under a lock";
        byte[] stored = cache == null ? null : forCaller ? cache.get(storedKey) : cache.peek(storedKey);
        if (stored == null) {
            stored = store.get(storedKey);
            if (stored != null && cache != null) {
                cache.put(storedKey, stored);
            }
        }
        return stored;
    }

    /** {@code key}'s slot in {@code bucket} if it is live at {@code now} (invariant 2), else {@code null}. */
    private Slot live(byte[] key, Bucket bucket, long now) {
        Slot slot = bucket.slotOf(key);
        return slot == null || expired(key, slot, now) ? null : slot;
    }

    /** The bucket {@code stored} under {@code storedKey}, every check made ({@link Bucket#read}). */
    Bucket bucket(byte[] storedKey, byte[] stored) {
        return Bucket.read(storedKey, stored, envelope, keyFormat);
    }

    /** Invariant 2, negated: whether {@code key}'s {@code slot} is expired at {@code at}. */
    boolean expired(byte[] key, Slot slot, long at) {
        MapOptions.Expiry expiry = options.expiry();
        if (expiry == null) {
            return false;
        }
        long since = expiry.basis() == MapOptions.Basis.CREATION ? slot.created()
                : Math.max(slot.accessed(), accessTimes.latest(key));
        return at - since >= expiry.after().toMillis();
    }

    /**
     * Visits every live entry (key codec's bytes, value codec's bytes) straight from the store's
     * iterator, without the map's lock: what it sees of concurrent writes is what the store's
     * iterator sees. O(N) reads, O(1) memory.
     */
    void forEachLive(BiConsumer<byte[], byte[]> visit) {
        handles.checkOpen();
        long now = now();
        try (CloseableIterator<Entry> it = store.iterator()) {
            while (it.hasNext()) {
                Entry entry = it.next();
                if (!envelope) {
                    visit.accept(entry.key(), entry.value());
                    continue;
                }
                if (MapKeyFormat.isReserved(entry.key())) {
                    continue;
                }
                Bucket bucket = bucket(entry.key(), entry.value());
                for (Slot slot : bucket.slots()) {
                    byte[] key = bucket.keyOf(slot);
                    if (!expired(key, slot, now)) {
                        visit.accept(key, slot.value());
                    }
                }
            }
        }
    }

    /**
     * The number of live entries. The store's {@code size()} (less the options record) when it
     * counts them exactly; with expiry or long keys it does not (expired entries await a sweep, a
     * bucket holds several), so then O(N) reads.
     */
    long size() {
        handles.checkOpen();
        if (!envelope) {
            return store.size();
        }
        if (options.expiry() == null && !options.longKeys()) {
            return store.size() - 1;
        }
        long[] live = {0};
        forEachLive((key, value) -> live[0]++);
        return live[0];
    }

    // ---- writes -------------------------------------------------------------------------------

    /**
     * Puts {@code value} under {@code key}, as a new entry created now. Returns the live value it
     * replaced when {@code wantPrevious} (else {@code null}). Under the write lock: one store write,
     * plus one read when the previous value is wanted or the key shares a bucket.
     */
    byte[] put(byte[] key, byte[] value, boolean wantPrevious) {
        byte[] storedKey = keyFormat.storedKey(key);
        return writeLocked(() -> {
            long now = now();
            // Read first for the caller, or to keep the other keys of a bucket of long keys.
            boolean readFirst = wantPrevious || envelope && MapKeyFormat.isDigest(storedKey);
            Bucket bucket = bucket(storedKey, readFirst ? read(storedKey, false) : null);
            Slot previous = live(key, bucket, now);
            rewrite(bucket.without(key).plus(key, value, now));
            accessTimes.forget(key); // the put's own time is later than any noted read
            return previous == null ? null : previous.value();
        });
    }

    /** Removes {@code key}; returns the live value it held, or {@code null}. Under the write lock: a read and a write. */
    byte[] remove(byte[] key) {
        byte[] storedKey = keyFormat.storedKey(key);
        return writeLocked(() -> {
            Bucket bucket = bucket(storedKey, read(storedKey, false));
            Slot removed = bucket.slotOf(key);
            if (removed == null) {
                return null;
            }
            boolean wasLive = !expired(key, removed, now());
            rewrite(bucket.without(key));
            accessTimes.forget(key);
            return wasLive ? removed.value() : null;
        });
    }

    /**
     * Removes every entry, a batch of {@value #BATCH} stored keys per write-lock hold; a put made
     * while it runs may or may not survive it. O(N) reads and deletes.
     */
    void clear() {
        List<byte[]> storedKeys = new ArrayList<>();
        handles.checkOpen();
        try (CloseableIterator<Entry> it = store.iterator()) {
            it.forEachRemaining(entry -> {
                if (!envelope || !MapKeyFormat.isReserved(entry.key())) {
                    storedKeys.add(entry.key());
                }
            });
        }
        for (int from = 0; from < storedKeys.size(); from += BATCH) {
            List<byte[]> batch = storedKeys.subList(from, Math.min(storedKeys.size(), from + BATCH));
            writeLocked(() -> {
                batch.forEach(this::delete);
                return null;
            });
        }
        writeLocked(() -> {
            accessTimes.clear();
            return null;
        });
    }

    /** Runs {@code work} holding the write lock: for the Map methods that read, decide and write (merge, compute). */
    <T> T writeLocked(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            handles.checkOpen();
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes {@code bucket} back under its stored key, or deletes it when no slot is left (invariant 1 of the format). */
    void rewrite(Bucket bucket) {
        byte[] stored = bucket.encode();
        if (stored == null) {
            delete(bucket.storedKey());
        } else {
            write(bucket.storedKey(), stored);
        }
    }

    /**
     * Invariant 1: the one way a value reaches the store. The cache entry goes first, so that if
     * the store write fails, the next read asks the store rather than trust the cache.
     */
    private void write(byte[] storedKey, byte[] stored) {
        assert lock.isWriteLockedByCurrentThread() : "invariant 1: writes hold the write lock";
        if (cache != null) {
            cache.remove(storedKey);
        }
        store.put(storedKey, stored);
        if (cache != null) {
            cache.put(storedKey, stored);
        }
    }

    /** Invariant 1: the one way an entry leaves the store. */
    private void delete(byte[] storedKey) {
        assert lock.isWriteLockedByCurrentThread() : "invariant 1: deletes hold the write lock";
        if (cache != null) {
            cache.remove(storedKey);
        }
        store.delete(storedKey);
    }

    // ---- maintenance --------------------------------------------------------------------------

    /**
     * Writes the noted access times into their envelopes: one batch of {@value #BATCH} under the
     * write lock, or, when {@code all}, as many batches as there were times waiting. An entry
     * deleted since its read is skipped. Each envelope is one store write of the same value with a
     * later time, so a crash loses at most times, never an entry.
     */
    void flushAccessTimes(boolean all) {
        int batches = all ? (accessTimes.size() + BATCH - 1) / BATCH : 1;
        for (int b = 0; b < batches && accessTimes.size() > 0; b++) {
            lock.writeLock().lock();
            try {
                for (Map.Entry<byte[], Long> noted : accessTimes.take(BATCH)) {
                    writeAccess(noted.getKey(), noted.getValue());
                }
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    /** Writes {@code at} as {@code key}'s access time if it is later than the written one. */
    private void writeAccess(byte[] key, long at) {
        byte[] storedKey = keyFormat.storedKey(key);
        Bucket bucket = bucket(storedKey, read(storedKey, false));
        Slot slot = bucket.slotOf(key);
        if (slot != null && at > slot.accessed()) {
            rewrite(bucket.replacing(key, slot.accessedAt(at)));
            accessWrites.incrementAndGet();
        }
    }

    /** Forgets {@code key}'s noted access time: its entry was just removed. */
    void forgetAccess(byte[] key) {
        accessTimes.forget(key);
    }

    /** Counts a finished sweep that removed {@code removed} entries. */
    void swept(long removed) {
        sweeps.incrementAndGet();
        swept.addAndGet(removed);
    }

    /** What the background thread does each period. */
    private void backgroundWork() {
        flushAccessTimes(true);
        ExpirySweep.run(this, () -> { });
    }

    /** Writes the noted access times, then makes every write durable ({@link KeyValueStore#sync}). */
    void sync() {
        handles.checkOpen();
        flushAccessTimes(true);
        store.sync();
    }

    /**
     * The time now in ms, never earlier than a time this map has handed out before (invariant 3),
     * even if the clock steps back.
     */
    long now() {
        return lastMillis.accumulateAndGet(options.clock().millis(), Math::max);
    }

    // ---- handles ------------------------------------------------------------------------------

    /** The handles open over this map, and whether it is open, closing or closed ({@link Handles}). */
    Handles handles() {
        return handles;
    }

    /**
     * Drops one handle. The last stops the background sweep, writes the noted access times, and
     * closes the store if this map opened it. Returns whether that was the last.
     */
    boolean release() {
        if (!handles.leave()) {
            return false;
        }
        try {
            if (schedule != null) {
                schedule.stop();
            }
            flushAccessTimes(true);
        } finally {
            handles.closed();
            if (ownsStore) {
                store.close();
            }
        }
        return true;
    }

    MapStats stats() {
        return new MapStats(cache == null ? 0 : cache.hits(), cache == null ? 0 : cache.misses(),
                cache == null ? 0 : cache.size(), sweeps.get(), swept.get(), accessWrites.get(), accessTimes.size(),
                handles.count(), schedule == null ? null : schedule.failure());
    }

    KeyValueStore store() {
        return store;
    }

    MapOptions options() {
        return options;
    }
}
