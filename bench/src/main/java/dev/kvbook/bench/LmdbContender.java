package dev.kvbook.bench;

import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

import java.nio.file.Path;
import java.util.Iterator;

/**
 * LMDB through lmdbjava, with its byte[] buffer proxy (so no {@code --add-opens} is needed): a
 * copy-on-write B+tree in one memory-mapped file. Each put is its own write transaction. Durable
 * is LMDB's default: the commit fsyncs before returning. Relaxed is {@code MDB_NOSYNC}: the
 * commit is written but the fsync is left to the OS.
 */
final class LmdbContender implements Contender {

    /** The largest the file may grow: the bench's 10^6 keys take well under 1 GiB. */
    private static final long MAP_SIZE = 4L << 30;

    @Override public String name() { return "lmdb"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }
    @Override public boolean offHeap() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "fsync at each commit, one commit per write (LMDB default)"
                : "MDB_NOSYNC: commits written, fsync left to the OS";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        EnvFlags[] flags = mode == Durability.DURABLE ? new EnvFlags[0] : new EnvFlags[] {EnvFlags.MDB_NOSYNC};
        Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(MAP_SIZE).setMaxDbs(1)
                .setMaxReaders(64).open(dir.toFile(), flags);
        return new LmdbEngine(env, env.openDbi("kv", DbiFlags.MDB_CREATE), dir);
    }

    /** LMDB allows one writer and many readers at once; each call runs its own transaction. */
    private record LmdbEngine(Env<byte[]> env, Dbi<byte[]> dbi, Path dir) implements Engine {

        @Override
        public void put(byte[] key, byte[] value) {
            dbi.put(key, value); // opens, writes and commits one write transaction
        }

        @Override
        public byte[] get(byte[] key) {
            try (Txn<byte[]> txn = env.txnRead()) {
                return dbi.get(txn, key);
            }
        }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            int seen = 0;
            try (Txn<byte[]> txn = env.txnRead();
                 CursorIterable<byte[]> range = dbi.iterate(txn, KeyRange.atLeast(fromInclusive))) {
                Iterator<CursorIterable.KeyVal<byte[]>> it = range.iterator();
                while (seen < count && it.hasNext()) {
                    it.next().val();
                    seen++;
                }
            }
            return seen;
        }

        @Override public void sync() { env.sync(true); }
        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }

        @Override
        public void close() {
            dbi.close();
            env.close();
        }
    }
}
