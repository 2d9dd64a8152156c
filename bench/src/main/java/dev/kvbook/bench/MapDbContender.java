package dev.kvbook.bench;

import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * MapDB 3: a concurrent B-link tree ({@code BTreeMap}) over MapDB's own page store, in one file.
 * Durable is {@code transactionEnable()} with {@code commit()} after each put (MapDB's
 * write-ahead log, synced at commit). Relaxed is MapDB without transactions: writes go to the file
 * as they come, nothing is synced until close, and a crash can leave the file unreadable.
 */
final class MapDbContender implements Contender {

    @Override public String name() { return "mapdb"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "transactions on, commit() per write (MapDB WAL)"
                : "no transactions: written as it goes, synced only at close (a crash may corrupt)";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        DBMaker.Maker maker = DBMaker.fileDB(dir.resolve("mapdb.db").toFile()).closeOnJvmShutdown();
        if (mode == Durability.DURABLE) {
            maker = maker.transactionEnable();
        }
        DB db = maker.make();
        BTreeMap<byte[], byte[]> map = db.treeMap("kv", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
        return new MapDbEngine(db, map, mode == Durability.DURABLE, dir);
    }

    /** BTreeMap is concurrent; {@code commit()} takes MapDB's own lock. */
    private record MapDbEngine(DB db, BTreeMap<byte[], byte[]> map, boolean durable, Path dir) implements Engine {

        @Override
        public void put(byte[] key, byte[] value) {
            map.put(key, value);
            if (durable) {
                db.commit();
            }
        }

        @Override public byte[] get(byte[] key) { return map.get(key); }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            int seen = 0;
            Iterator<Map.Entry<byte[], byte[]>> it = map.tailMap(fromInclusive, true).entrySet().iterator();
            while (seen < count && it.hasNext()) {
                it.next().getValue();
                seen++;
            }
            return seen;
        }

        @Override
        public void sync() {
            if (durable) {
                db.commit();
            }
        }

        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }
        @Override public void close() { db.close(); }
    }
}
