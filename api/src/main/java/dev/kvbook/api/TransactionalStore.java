package dev.kvbook.api;

import java.util.function.Function;

/**
 * An {@link OrderedKeyValueStore} with transactions: a group of writes that becomes durable and
 * visible all at once, or not at all (step 5).
 *
 * <p>One transaction writes at a time: {@link #begin()} waits while another is open. Readers
 * outside a transaction see the last committed state, never part of a transaction. The store's
 * own {@code put} and {@code delete} are transactions of one write each.
 */
public interface TransactionalStore extends OrderedKeyValueStore {

    /** Starts a write transaction, waiting while another one is open. Close it when done. */
    Transaction begin();

    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws
     * (and rethrows). Returns what {@code work} returned.
     */
    <T> T inTransaction(Function<Transaction, T> work);
}
