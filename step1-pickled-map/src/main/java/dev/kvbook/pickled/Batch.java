package dev.kvbook.pickled;

/**
 * The writes of one {@link PickledMapStore#batch} call. They show in memory at once (reads
 * through the store see them) and reach the file together, in one rewrite, when the batch ends:
 * N writes for the price of one O(N) rewrite instead of N of them.
 *
 * <p>Valid only inside the consumer passed to {@code batch}, on its thread; afterwards every
 * call throws {@link IllegalStateException}. Arguments are checked and copied as by the store.
 */
public interface Batch {

    /** Stores {@code value} under {@code key} as part of this batch. O(log N), no I/O. */
    void put(byte[] key, byte[] value);

    /** Removes {@code key} as part of this batch; returns whether it was present. O(log N), no I/O. */
    boolean delete(byte[] key);
}
