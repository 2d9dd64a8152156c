package dev.kvbook.wal;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Limits;
import dev.kvbook.api.Transaction;
import dev.kvbook.btree.BTree;
import dev.kvbook.btree.Cursor;

import java.util.function.Supplier;

/**
 * A write transaction: the step-4 {@link BTree} over a private {@link WalPager}. Its reads see
 * its own writes on top of the snapshot it began from; nothing it does is visible to anyone else
 * until {@link #commit} has made it durable. It holds the store's writer lock from
 * {@link WalStore#begin} to commit or rollback.
 *
 * <p>If a tree operation fails half-way (an I/O error reading a page, damage found on disk), the
 * private pages may be half-changed: the transaction is then <em>broken</em> and can only be
 * rolled back. Nothing was written anywhere, so the store itself stays usable; that is no-steal
 * paying off (step 4 had to fail the whole store in the same situation).
 *
 * <p>Not thread-safe: one thread at a time (it may be handed between threads).
 */
final class WalTransaction implements Transaction {

    private final Committer committer;
    private final WalPager pager;
    private final BTree tree;
    private boolean finished;
    private RuntimeException broken;

    /** A transaction over {@code pager}, begun holding the writer lock; {@code committer} ends it. */
    WalTransaction(Committer committer, WalPager pager) {
        this.committer = committer;
        this.pager = pager;
        this.tree = new BTree(pager);
    }

    /** The value as this transaction sees it. O(height) page reads, private pages first. */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        checkActive();
        return tree.get(key);
    }

    /** Stores {@code value} under {@code key} in this transaction: private copies of O(height) pages. */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        change(() -> tree.put(key, value));
    }

    /** Removes {@code key} in this transaction; true when it was there. */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        return change(() -> tree.delete(key));
    }

    /** The range as this transaction sees it, read in batches; usable until the transaction ends. */
    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        Limits.checkBound(fromInclusive);
        Limits.checkBound(toExclusive);
        checkActive();
        return new Cursor((start, inclusive, end) -> {
            checkActive();
            return tree.readBatch(start, inclusive, end, Cursor.BATCH_ENTRIES, Cursor.BATCH_BYTES);
        }, fromInclusive, toExclusive);
    }

    /**
     * Logs the changed pages, waits until an fsync of the log covers them (shared with other
     * committers: group commit), then publishes the new state ({@link Committer#commit}). Durable
     * and visible on return. A transaction that changed nothing writes nothing, but still returns
     * only once the state it read is durable.
     *
     * @throws dev.kvbook.api.StoreFailedException the log could not be written or synced: not committed
     *         as far as this process knows (a crash recovery may still find it complete)
     */
    @Override
    public void commit() {
        checkActive();
        finished = true;
        if (broken != null) {
            committer.rollback(pager);
            throw new IllegalStateException("this transaction failed half-way and was rolled back instead", broken);
        }
        committer.commit(pager);
    }

    /**
     * Forgets every change: drops the private pages, no I/O. Returns once the state the
     * transaction read is durable (usually at once; at most one shared fsync, with group commit).
     *
     * @throws dev.kvbook.api.StoreFailedException the store failed before the state it read was durable
     */
    @Override
    public void rollback() {
        checkActive();
        finished = true;
        committer.rollback(pager);
    }

    /** Rolls back unless already committed or rolled back. */
    @Override
    public void close() {
        if (!finished) {
            rollback();
        }
    }

    /** Whether the transaction is neither committed nor rolled back. */
    boolean isOpen() {
        return !finished;
    }

    /** Runs one tree operation; if it fails, the transaction is broken (its pages may be half-changed). */
    private <T> T change(Supplier<T> operation) {
        checkActive();
        if (broken != null) {
            throw new IllegalStateException("this transaction failed half-way; roll it back", broken);
        }
        try {
            T result = operation.get();
            pager.commit(); // end of one tree operation: private pages read-only until the next write
            return result;
        } catch (RuntimeException e) {
            broken = e;
            throw e;
        }
    }

    private void checkActive() {
        if (finished) {
            throw new IllegalStateException("the transaction is already committed or rolled back");
        }
    }
}
