package dev.kvbook.cli;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An in-memory transactional store with one maintenance operation, standing in for steps 5 and 2
 * (not registered with ServiceLoader): lets the shell's transaction and maintenance verbs be
 * tested before those steps exist.
 */
final class FakeTransactionalProvider implements StoreProvider {

    int maintenanceRuns;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String description() {
        return "an in-memory stand-in with transactions";
    }

    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return new Store();
    }

    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        return new VerifyReport(name(), path, List.of("nothing"), List.of());
    }

    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return new Inspection(name(), path, "an empty inside\n", "flowchart LR");
    }

    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return false;
    }

    @Override
    public List<String> maintenanceOperations() {
        return List.of("compact");
    }

    @Override
    public String runMaintenance(KeyValueStore store, String name) {
        maintenanceRuns++;
        return "compacted: nothing to do";
    }

    private static final class Store implements TransactionalStore {
        private NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);

        @Override public byte[] get(byte[] key) { return map.get(key); }
        @Override public void put(byte[] key, byte[] value) { map.put(key, value); }
        @Override public boolean delete(byte[] key) { return map.remove(key) != null; }
        @Override public long size() { return map.size(); }
        @Override public void sync() { }
        @Override public CloseableIterator<Entry> iterator() { return scan(null, null); }
        @Override public StoreStats stats() { return new StoreStats("fake", map.size(), 0, 0, 0, Map.of()); }
        @Override public void close() { }

        @Override
        public CloseableIterator<Entry> scan(byte[] from, byte[] to) {
            return CloseableIterator.of(map.entrySet().stream().filter(e -> Keys.inRange(e.getKey(), from, to))
                    .map(e -> new Entry(e.getKey(), e.getValue())).toList().iterator());
        }

        @Override
        public Transaction begin() {
            NavigableMap<byte[], byte[]> copy = new TreeMap<>(map);
            Store store = this;
            return new Transaction() {
                boolean done;
                @Override public byte[] get(byte[] key) { return copy.get(key); }
                @Override public void put(byte[] key, byte[] value) { copy.put(key, value); }
                @Override public boolean delete(byte[] key) { return copy.remove(key) != null; }
                @Override public CloseableIterator<Entry> scan(byte[] from, byte[] to) {
                    return CloseableIterator.of(copy.entrySet().stream().filter(e -> Keys.inRange(e.getKey(), from, to))
                            .map(e -> new Entry(e.getKey(), e.getValue())).toList().iterator());
                }
                @Override public void commit() { store.map = copy; done = true; }
                @Override public void rollback() { done = true; }
                @Override public void close() { done = true; }
            };
        }

        @Override
        public <T> T inTransaction(Function<Transaction, T> work) {
            try (Transaction tx = begin()) {
                T result = work.apply(tx);
                tx.commit();
                return result;
            }
        }
    }
}
