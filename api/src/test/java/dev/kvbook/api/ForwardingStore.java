package dev.kvbook.api;

/** A store that passes every call to another: tests override the calls they want to watch or break. */
class ForwardingStore implements KeyValueStore {

    private final KeyValueStore inner;

    ForwardingStore(KeyValueStore inner) {
        this.inner = inner;
    }

    @Override
    public byte[] get(byte[] key) {
        return inner.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        inner.put(key, value);
    }

    @Override
    public boolean delete(byte[] key) {
        return inner.delete(key);
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public void sync() {
        inner.sync();
    }

    @Override
    public CloseableIterator<Entry> iterator() {
        return inner.iterator();
    }

    @Override
    public StoreStats stats() {
        return inner.stats();
    }

    @Override
    public void close() {
        inner.close();
    }
}
