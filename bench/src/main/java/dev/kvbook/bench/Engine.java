package dev.kvbook.bench;

/**
 * One key-value store opened for a benchmark: a kvbook step or a peer, behind the few calls the
 * workloads need. Each {@link Contender} makes its own.
 *
 * <p>An engine is safe for use by many threads at once (the commit workload runs eight); each
 * implementation says how it gets there (the store's own locking, or one lock around every call).
 */
public interface Engine extends AutoCloseable {

    /** Stores {@code value} under {@code key}, as durably as the engine was opened to be. */
    void put(byte[] key, byte[] value);

    /** Returns the value under {@code key}, or {@code null}; throws when the engine cannot read. */
    byte[] get(byte[] key);

    /**
     * Visits up to {@code count} entries in key order from {@code fromInclusive} and returns how
     * many it visited; throws {@link UnsupportedOperationException} when the engine is unordered.
     */
    int scan(byte[] fromInclusive, int count);

    /** Makes every write so far durable (one fsync or the engine's equivalent). */
    void sync();

    /**
     * Bytes the engine asked the OS to write since it was opened: counted by a
     * {@link dev.kvbook.api.vfs.CountingVfs} for the steps, or -1 when the engine cannot tell
     * (the harness then reads {@code /proc/self/io}).
     */
    long bytesWritten();

    /** Bytes the engine's files take on disk now. */
    long bytesOnDisk();

    /** Closes the engine, making everything durable. */
    @Override
    void close();
}
