package dev.kvbook.api;

/**
 * A persistent map from byte-array keys to byte-array values: the one interface all five
 * kvbook stores implement, and the one the CLI, benchmarks, notebooks and labs program against.
 *
 * <h2>Keys and values</h2>
 * Keys are 0 to {@value Limits#MAX_KEY_SIZE} bytes and values 0 to {@link Limits#MAX_VALUE_SIZE}
 * bytes (16 MiB), in every store. A {@code null} argument throws {@link NullPointerException}
 * naming it; a key or value over the limit throws {@link IllegalArgumentException} stating the
 * limit. The empty array is a legal key and a legal value. Arrays passed in are copied or fully
 * written before the call returns, so the caller may reuse them; arrays returned are fresh
 * copies the caller may keep and modify.
 *
 * <h2>Durability</h2>
 * Each store's class Javadoc says exactly what is durable when {@code put} returns. Every store
 * can be opened so that each write is durable on return; {@link #sync()} makes every write
 * acknowledged before it durable, whatever the mode.
 *
 * <h2>Threads and processes</h2>
 * Every store is safe for concurrent use by many threads of one process (its Javadoc says how).
 * A store is open in at most one place at a time: a second open, from another process or from
 * this one, fails fast with {@link StoreLockedException}.
 *
 * <h2>Errors</h2>
 * Damage on disk is reported as {@link CorruptionException}, a failed write or fsync as
 * {@link StoreFailedException} (after which the store refuses writes), use after close as
 * {@link StoreClosedException}, other I/O failures as {@link java.io.UncheckedIOException}.
 * A store never returns wrong data: a read returns the right bytes or throws.
 */
public interface KeyValueStore extends AutoCloseable {

    /**
     * Returns a copy of the value stored under {@code key}, or {@code null} when there is none.
     * The cost depends on the store: from a map lookup in memory (step 1) to a scan of the
     * whole log (step 2); each store's Javadoc says.
     */
    byte[] get(byte[] key);

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    void put(byte[] key, byte[] value);

    /**
     * Removes {@code key}. Returns {@code true} when the key was present. Deleting an absent key
     * is not an error and, in the stores that log writes, writes nothing.
     */
    boolean delete(byte[] key);

    /** Returns whether a value is stored under {@code key}; by default a {@link #get}. */
    default boolean containsKey(byte[] key) {
        return get(key) != null;
    }

    /** Returns the number of live keys. */
    long size();

    /**
     * Makes every write acknowledged so far durable: when this returns, a crash (power loss,
     * kill) cannot lose them. Costs at least one fsync when there is anything unsynced.
     */
    void sync();

    /**
     * Iterates over all live entries: in unsigned lexicographic key order for an
     * {@link OrderedKeyValueStore}, in no promised order otherwise. Close the iterator when
     * done (try-with-resources); each store's Javadoc says what the iterator sees of writes
     * made while it is open.
     */
    CloseableIterator<Entry> iterator();

    /** Returns figures about the store: files, bytes on disk, live keys, garbage, and its own. */
    StoreStats stats();

    /**
     * Flushes, makes everything durable, releases the lock and closes the files. Idempotent:
     * closing twice is harmless. Any other call after close throws {@link StoreClosedException}.
     */
    @Override
    void close();
}
