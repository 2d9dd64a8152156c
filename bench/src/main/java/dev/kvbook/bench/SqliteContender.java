package dev.kvbook.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through the xerial JDBC driver, in WAL mode, one table
 * {@code kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID} (a B-tree keyed by k), each put its own
 * auto-committed {@code INSERT OR REPLACE}. Durable is {@code synchronous=FULL}: the WAL is fsynced
 * at every commit. Relaxed is {@code synchronous=NORMAL}, the usual WAL setting: commits are
 * written to the WAL and fsynced only at checkpoints.
 */
final class SqliteContender implements Contender {

    @Override public String name() { return "sqlite"; }
    @Override public Kind kind() { return Kind.PEER; }
    @Override public boolean ordered() { return true; }
    @Override public boolean offHeap() { return true; }

    @Override
    public String durability(Durability mode) {
        return mode == Durability.DURABLE ? "WAL, synchronous=FULL: WAL fsynced at each commit, one commit per write"
                : "WAL, synchronous=NORMAL: commits written, fsync at checkpoints";
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sqlite.db"));
            try (Statement setup = db.createStatement()) {
                setup.execute("PRAGMA journal_mode=WAL");
                setup.execute("PRAGMA synchronous=" + (mode == Durability.DURABLE ? "FULL" : "NORMAL"));
                setup.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
            }
            return new SqliteEngine(db, dir);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open SQLite in " + dir, e);
        }
    }

    /**
     * One connection, and one lock around it: a JDBC connection is not for concurrent use, and
     * SQLite runs one writer at a time anyway.
     */
    private static final class SqliteEngine implements Engine {
        private final Connection db;
        private final Path dir;
        private final PreparedStatement put;
        private final PreparedStatement get;
        private final PreparedStatement scan;

        SqliteEngine(Connection db, Path dir) throws SQLException {
            this.db = db;
            this.dir = dir;
            this.put = db.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
            this.get = db.prepareStatement("SELECT v FROM kv WHERE k = ?");
            this.scan = db.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?");
        }

        @Override
        public synchronized void put(byte[] key, byte[] value) {
            try {
                put.setBytes(1, key);
                put.setBytes(2, value);
                put.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite put failed", e);
            }
        }

        @Override
        public synchronized byte[] get(byte[] key) {
            try {
                get.setBytes(1, key);
                try (ResultSet row = get.executeQuery()) {
                    return row.next() ? row.getBytes(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite get failed", e);
            }
        }

        @Override
        public synchronized int scan(byte[] fromInclusive, int count) {
            try {
                scan.setBytes(1, fromInclusive);
                scan.setInt(2, count);
                int seen = 0;
                try (ResultSet rows = scan.executeQuery()) {
                    while (rows.next()) {
                        rows.getBytes(2);
                        seen++;
                    }
                }
                return seen;
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite scan failed", e);
            }
        }

        @Override
        public synchronized void sync() {
            try (Statement checkpoint = db.createStatement()) {
                checkpoint.execute("PRAGMA wal_checkpoint(FULL)");
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite checkpoint failed", e);
            }
        }

        @Override public long bytesWritten() { return -1; }
        @Override public long bytesOnDisk() { return Dirs.sizeOf(dir); }

        @Override
        public synchronized void close() {
            try {
                put.close();
                get.close();
                scan.close();
                db.close();
            } catch (SQLException e) {
                throw new IllegalStateException("SQLite close failed", e);
            }
        }
    }
}
