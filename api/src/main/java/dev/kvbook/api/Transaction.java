package dev.kvbook.api;

/**
 * A write transaction of a {@link TransactionalStore}: reads see the transaction's own writes
 * on top of the last committed state; {@link #commit()} makes all its writes durable and visible
 * at once; {@link #rollback()} forgets them.
 *
 * <p>Closing a transaction that was neither committed nor rolled back rolls it back, so
 * try-with-resources never commits by accident. After commit or rollback every other call
 * throws {@link IllegalStateException}.
 */
public interface Transaction extends AutoCloseable {

    /** Returns the value for {@code key} as this transaction sees it, or {@code null}. */
    byte[] get(byte[] key);

    /** Stores {@code value} under {@code key} in this transaction. */
    void put(byte[] key, byte[] value);

    /** Removes {@code key} in this transaction; returns {@code true} when it was present. */
    boolean delete(byte[] key);

    /** Iterates over {@code [fromInclusive, toExclusive)} as this transaction sees it. */
    CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive);

    /** Makes every write of this transaction durable and visible, atomically. */
    void commit();

    /** Discards every write of this transaction. */
    void rollback();

    /** Rolls back unless already committed or rolled back. */
    @Override
    void close();
}
