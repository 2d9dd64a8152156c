package dev.kvbook.testkit;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The smallest correct transactional store, in memory, for the concurrency self-tests: readers
 * read the map last published (a volatile reference to a map nobody changes again); one writer at
 * a time (a fair lock) builds a private copy and publishes it whole on commit. Each {@link Flaw}
 * breaks that in one way, so the tests can show the linearizability check catches it.
 */
final class ToyMemoryStore implements TransactionalStore {

    /** One deliberate race. */
    enum Flaw {
        NONE,
        /**
         * {@code put} and {@code delete} skip the writer lock: copy the published map, change the
         * copy, publish it. Two overlapping writes lose one of them, and a delete can answer from
         * a copy that is already stale.
         */
        UNLOCKED_WRITES,
        /** A commit publishes its changes one key at a time: readers can see half a transaction. */
        HALF_VISIBLE_COMMITS
    }

    private final Flaw flaw;
    private final ReentrantLock writer = new ReentrantLock(true);
    private volatile NavigableMap<byte[], byte[]> published = new TreeMap<>(Keys.COMPARATOR);
    private volatile boolean closed;

    ToyMemoryStore(Flaw flaw) {
        this.flaw = flaw;
    }

    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        checkOpen();
        byte[] value = published.get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        if (flaw == Flaw.UNLOCKED_WRITES) {
            racyWrite(key, value);
        } else {
            inTransaction(t -> {
                t.put(key, value);
                return null;
            });
        }
    }

    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        return flaw == Flaw.UNLOCKED_WRITES ? racyWrite(key, null) : inTransaction(t -> t.delete(key));
    }

    /** The flawed write: read, change, publish, with nothing stopping another writer in between. */
    private boolean racyWrite(byte[] key, byte[] value) {
        checkOpen();
        NavigableMap<byte[], byte[]> copy = new TreeMap<>(published);
        Thread.yield(); // invite another writer into the window the missing lock leaves open
        boolean wasThere = value == null ? copy.remove(key) != null : copy.put(key.clone(), value.clone()) != null;
        published = copy;
        return wasThere;
    }

    @Override
    public long size() {
        checkOpen();
        return published.size();
    }

    @Override
    public void sync() {
        checkOpen();
    }

    @Override
    public CloseableIterator<Entry> iterator() {
        return scan(null, null);
    }

    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        checkOpen();
        return entries(published, fromInclusive, toExclusive);
    }

    private static CloseableIterator<Entry> entries(NavigableMap<byte[], byte[]> map, byte[] from, byte[] to) {
        return CloseableIterator.of(map.entrySet().stream().filter(e -> Keys.inRange(e.getKey(), from, to))
                .map(e -> new Entry(e.getKey().clone(), e.getValue().clone())).toList().iterator());
    }

    @Override
    public StoreStats stats() {
        checkOpen();
        return new StoreStats("toy-memory", published.size(), 0, 0, 0, Map.of());
    }

    @Override
    public Transaction begin() {
        checkOpen();
        writer.lock();
        return new ToyTransaction();
    }

    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        try (Transaction t = begin()) {
            T result = work.apply(t);
            t.commit();
            return result;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException("toy memory store");
        }
    }

    /** A private copy of the published map, and the changes made to it in order (a null value: deleted). */
    private final class ToyTransaction implements Transaction {
        private final NavigableMap<byte[], byte[]> view = new TreeMap<>(published);
        private final NavigableMap<byte[], byte[]> changes = new TreeMap<>(Keys.COMPARATOR);
        private boolean finished;

        @Override
        public byte[] get(byte[] key) {
            active();
            byte[] value = view.get(key);
            return value == null ? null : value.clone();
        }

        @Override
        public void put(byte[] key, byte[] value) {
            active();
            view.put(key.clone(), value.clone());
            changes.put(key.clone(), value.clone());
        }

        @Override
        public boolean delete(byte[] key) {
            active();
            changes.put(key.clone(), null);
            return view.remove(key) != null;
        }

        @Override
        public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
            active();
            return entries(view, fromInclusive, toExclusive);
        }

        @Override
        public void commit() {
            active();
            finished = true;
            try {
                if (flaw == Flaw.HALF_VISIBLE_COMMITS) {
                    publishOneByOne();
                } else {
                    published = view;
                }
            } finally {
                writer.unlock();
            }
        }

        private void publishOneByOne() {
            for (Map.Entry<byte[], byte[]> change : changes.entrySet()) {
                NavigableMap<byte[], byte[]> next = new TreeMap<>(published);
                if (change.getValue() == null) {
                    next.remove(change.getKey());
                } else {
                    next.put(change.getKey(), change.getValue());
                }
                published = next;
                for (int i = 0; i < 20; i++) {
                    Thread.yield(); // a reader may look now, between two halves of one commit
                }
            }
        }

        @Override
        public void rollback() {
            active();
            finished = true;
            writer.unlock();
        }

        @Override
        public void close() {
            if (!finished) {
                rollback();
            }
        }

        private void active() {
            if (finished) {
                throw new IllegalStateException("the transaction is already committed or rolled back");
            }
        }
    }
}
