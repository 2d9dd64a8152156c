package dev.kvbook.bench;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.nio.file.Path;

/**
 * H2's MVStore, the storage engine under the H2 database: a log-structured, copy-on-write B-tree
 * that appends a "chunk" of changed pages per commit. Durable is {@code commit()} then
 * {@code sync()} (FileChannel.force) after each put. Relaxed is MVStore's default: changes are
 * committed by a background thread about once a second, and never forced.
 */
final class H2MvStoreContender implements Contender {

    @Override public String name() { return "h2-mvstore"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "commit() + sync() (FileChannel.force) per write"
                : "background auto-commit (about every second), no fsync (MVStore default)";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        MVStore.Builder builder = new MVStore.Builder().fileName(dir.resolve("h2.mv.db").toString());
        if (mode == Durability.DURABLE) {
            builder.autoCommitDisabled();
        }
        MVStore store = builder.open();
        return new MvEngine(store, store.openMap("kv"), mode == Durability.DURABLE, dir);
    }

    /**
     * MVMap is thread-safe; {@code commit} and {@code sync} take MVStore's own locks. Note: its
     * default key type compares byte[] keys its own way; the bench's keys are ASCII, so every
     * engine sees the same order.
     */
    private record MvEngine(MVStore store, MVMap<byte[], byte[]> map, boolean durable, Path dir) implements Engine {

        @Override
        public void put(byte[] key, byte[] value) {
            map.put(key, value);
            if (durable) {
                store.commit();
                store.sync();
            }
        }

        @Override public byte[] get(byte[] key) { return map.get(key); }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            int seen = 0;
            Cursor<byte[], byte[]> cursor = map.cursor(fromInclusive);
            while (seen < count && cursor.hasNext()) {
                cursor.next();
                cursor.getValue();
                seen++;
            }
            return seen;
        }

        @Override
        public void sync() {
            store.commit();
            store.sync();
        }

        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }
        @Override public void close() { store.close(); }
    }
}
