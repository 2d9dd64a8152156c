package dev.kvbook.bench;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;

/**
 * RocksDB (an LSM tree: a write-ahead log plus sorted files merged in the background), with its
 * default options. Durable means {@code WriteOptions.setSync(true)}: the WAL is fsynced before each
 * put returns, with concurrent writers sharing one sync (group commit). Relaxed is RocksDB's
 * default: each put is written to the WAL in the OS page cache, not fsynced.
 */
final class RocksDbContender implements Contender {

    @Override public String name() { return "rocksdb"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }
    @Override public boolean offHeap() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "WAL fsynced per write (WriteOptions.sync=true; group commit)"
                : "WAL written per write, not fsynced (RocksDB default)";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(true);
        try {
            RocksDB db = RocksDB.open(options, dir.resolve("rocksdb").toString());
            return new RocksEngine(db, options, new WriteOptions().setSync(mode == Durability.DURABLE), dir);
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException("cannot open RocksDB in " + dir, e);
        }
    }

    /** RocksDB is thread-safe; calls go straight through. */
    private record RocksEngine(RocksDB db, Options options, WriteOptions writeOptions, Path dir) implements Engine {

        @Override
        public void put(byte[] key, byte[] value) {
            try {
                db.put(writeOptions, key, value);
            } catch (RocksDBException e) {
                throw new IllegalStateException("RocksDB put failed", e);
            }
        }

        @Override
        public byte[] get(byte[] key) {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw new IllegalStateException("RocksDB get failed", e);
            }
        }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            int seen = 0;
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(fromInclusive); it.isValid() && seen < count; it.next()) {
                    it.value();
                    seen++;
                }
            }
            return seen;
        }

        @Override
        public void sync() {
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                throw new IllegalStateException("RocksDB syncWal failed", e);
            }
        }

        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }

        @Override
        public void close() {
            writeOptions.close();
            db.close();
            options.close();
        }
    }
}
