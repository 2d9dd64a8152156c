package dev.kvbook.bench;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;

import java.nio.file.Path;

/**
 * Berkeley DB Java Edition: a B+tree whose every change is appended to a sequence of log files
 * (a log-structured B+tree, cleaned in the background). Transactional; each put auto-commits.
 * Durable is {@code COMMIT_SYNC} (the log is fsynced at each commit, with group commit between
 * threads). Relaxed is {@code COMMIT_WRITE_NO_SYNC}: the commit is written to the OS, not fsynced.
 */
final class BerkeleyJeContender implements Contender {

    @Override public String name() { return "bdb-je"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "COMMIT_SYNC: log fsynced at each commit, one commit per write"
                : "COMMIT_WRITE_NO_SYNC: commit written to the OS, not fsynced";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        EnvironmentConfig config = new EnvironmentConfig().setAllowCreate(true).setTransactional(true);
        config.setCachePercent(25);
        config.setDurability(mode == Durability.DURABLE ? com.sleepycat.je.Durability.COMMIT_SYNC
                : com.sleepycat.je.Durability.COMMIT_WRITE_NO_SYNC);
        Environment env = new Environment(dir.toFile(), config);
        Database db = env.openDatabase(null, "kv", new DatabaseConfig().setAllowCreate(true).setTransactional(true));
        return new JeEngine(env, db, dir);
    }

    /** JE is thread-safe; each call is an auto-commit transaction. */
    private record JeEngine(Environment env, Database db, Path dir) implements Engine {

        @Override
        public void put(byte[] key, byte[] value) {
            db.put(null, new DatabaseEntry(key), new DatabaseEntry(value));
        }

        @Override
        public byte[] get(byte[] key) {
            DatabaseEntry value = new DatabaseEntry();
            return db.get(null, new DatabaseEntry(key), value, LockMode.DEFAULT) == OperationStatus.SUCCESS
                    ? value.getData() : null;
        }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            DatabaseEntry key = new DatabaseEntry(fromInclusive);
            DatabaseEntry value = new DatabaseEntry();
            int seen = 0;
            try (Cursor cursor = db.openCursor(null, null)) {
                OperationStatus status = cursor.getSearchKeyRange(key, value, LockMode.READ_UNCOMMITTED);
                while (status == OperationStatus.SUCCESS && seen < count) {
                    seen++;
                    status = cursor.getNext(key, value, LockMode.READ_UNCOMMITTED);
                }
            }
            return seen;
        }

        @Override public void sync() { env.flushLog(true); }
        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }

        @Override
        public void close() {
            db.close();
            env.close();
        }
    }
}
