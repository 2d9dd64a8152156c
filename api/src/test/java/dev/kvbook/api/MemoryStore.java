package dev.kvbook.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A store in memory for the map's own tests (the testkit's stores and the steps are out of the api
 * module's reach): a {@link TreeMap} behind one monitor. Its "disk" outlives it, so
 * {@link #reopen()} plays a restart, and a map abandoned without {@code close()} plays a crash of
 * the map's process (the store's writes are all "durable": each is in the disk map on return).
 */
final class MemoryStore implements KeyValueStore {

    /** What survives a reopen. */
    static final class Disk {
        final NavigableMap<byte[], byte[]> entries = new TreeMap<>(Keys.COMPARATOR);
    }

    private final Disk disk;
    private boolean closed;

    MemoryStore() {
        this(new Disk());
    }

    private MemoryStore(Disk disk) {
        this.disk = disk;
    }

    /** A new store object over the same entries, as opening the same files again would give. */
    MemoryStore reopen() {
        return new MemoryStore(disk);
    }

    Disk disk() {
        return disk;
    }

    @Override
    public byte[] get(byte[] key) {
        synchronized (disk) {
            checkOpen();
            byte[] value = disk.entries.get(Limits.checkKey(key));
            return value == null ? null : value.clone();
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        synchronized (disk) {
            checkOpen();
            disk.entries.put(Limits.checkKey(key).clone(), Limits.checkValue(value).clone());
        }
    }

    @Override
    public boolean delete(byte[] key) {
        synchronized (disk) {
            checkOpen();
            return disk.entries.remove(Limits.checkKey(key)) != null;
        }
    }

    @Override
    public long size() {
        synchronized (disk) {
            checkOpen();
            return disk.entries.size();
        }
    }

    @Override
    public void sync() {
        synchronized (disk) {
            checkOpen();
        }
    }

    /** A snapshot taken now. */
    @Override
    public CloseableIterator<Entry> iterator() {
        synchronized (disk) {
            checkOpen();
            List<Entry> copy = new ArrayList<>();
            for (Map.Entry<byte[], byte[]> e : disk.entries.entrySet()) {
                copy.add(new Entry(e.getKey().clone(), e.getValue().clone()));
            }
            return CloseableIterator.of(copy.iterator());
        }
    }

    @Override
    public StoreStats stats() {
        synchronized (disk) {
            return new StoreStats("memory", disk.entries.size(), 0, 0, 0, Map.of());
        }
    }

    @Override
    public void close() {
        synchronized (disk) {
            closed = true;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException("memory store");
        }
    }
}
