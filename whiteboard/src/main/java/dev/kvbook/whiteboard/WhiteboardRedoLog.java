package dev.kvbook.whiteboard;

import dev.kvbook.api.*;
import dev.kvbook.api.vfs.*;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.*;

/**
 * Whiteboard step 5: a redo log over an in-memory map, the write-ahead idea without pages. A write is
 * first appended to the log and fsynced, and only then applied to the map: every acknowledged write is
 * durable. When the log passes a size, a checkpoint writes the whole map out (a {@link WhiteboardPickle}
 * file, replaced atomically) and then empties the log. Open loads the last checkpoint and replays the log
 * over it, cutting a torn tail ({@link WhiteboardLog#recover}). A crash between the checkpoint and the
 * truncation replays records the checkpoint already holds, which is harmless: every record is a blind
 * put or delete, so replaying it twice leaves what replaying it once did (recovery is idempotent).
 * Reads O(log n) from memory; writes O(1) log appends, plus O(n) per checkpoint. One lock.
 *
 * <p>Files: {@code <path>} (the checkpoint), {@code <path>-redo} (the log), {@code <path>.lock}.
 *
 * <p>What the full step adds, and why: the log under a paged B+tree, so the data need not fit in memory
 * and a checkpoint copies only the pages that changed ({@code dev.kvbook.wal.Checkpointer},
 * {@code dev.kvbook.wal.WalFormat}); transactions, atomic over many writes
 * ({@code dev.kvbook.wal.WalTransaction}); group commit, one fsync shared by writers that arrive together
 * ({@code dev.kvbook.wal.GroupCommit}); readers on a snapshot that never wait for the writer
 * ({@code dev.kvbook.wal.Snapshot}); a generation and salt per log, so stale records after a restart are
 * never replayed ({@code dev.kvbook.wal.Wal}).
 */
public final class WhiteboardRedoLog implements OrderedKeyValueStore {

    private final Vfs vfs;
    private final Path path;
    private final Path logPath;
    private final long checkpointBytes;
    private final Closeable lock;
    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
    private VfsFile log;
    private long end; // Invariant: the log's records end here, all fsynced
    private long checkpoints;
    private boolean closed;

    /** Opens the store at {@code path}, checkpointing whenever the log passes {@code checkpointBytes}. O(n + log). */
    public WhiteboardRedoLog(Vfs vfs, Path path, long checkpointBytes) {
        this.vfs = vfs;
        this.path = StorePaths.storeFile(vfs, path);
        this.logPath = StorePaths.sibling(this.path, "-redo");
        this.checkpointBytes = checkpointBytes;
        this.lock = vfs.lock(StorePaths.sibling(this.path, ".lock"));
        try {
            map.putAll(WhiteboardPickle.load(vfs, this.path));                   // 1. the last checkpoint
            log = WhiteboardLog.openLog(vfs, logPath);
            end = WhiteboardLog.recover(log, logPath, r -> apply(r.key(), r.value())); // 2. redo what came after
        } catch (RuntimeException e) {
            if (log != null) log.close();
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    private void apply(byte[] key, byte[] value) {
        if (value == null) map.remove(key); else map.put(key, value);
    }

    @Override public synchronized byte[] get(byte[] key) {
        byte[] value = live().get(Limits.checkKey(key));
        return value == null ? null : value.clone();
    }

    @Override public synchronized void put(byte[] key, byte[] value) {
        write(Limits.checkKey(key).clone(), Limits.checkValue(value).clone());
    }

    @Override public synchronized boolean delete(byte[] key) {
        if (!live().containsKey(Limits.checkKey(key))) return false; // an absent key needs no record
        write(key.clone(), null);
        return true;
    }

    /** Logs the write durably, then applies it; checkpoints if the log has grown past its limit. O(1). */
    private void write(byte[] key, byte[] value) {
        live();
        long next = WhiteboardLog.append(log, end, key, value);
        log.sync(); // the write-ahead rule: durable in the log before the map, or anyone, sees it
        end = next;
        apply(key, value);
        if (end >= checkpointBytes) checkpoint();
    }

    /** Writes the map out as the new checkpoint, then empties the log. O(n). */
    public synchronized void checkpoint() {
        live();
        WhiteboardPickle.save(vfs, path, map);     // 1. durable, atomically: the old checkpoint or this one
        log.truncate(WhiteboardLog.MAGIC.length);  // 2. only now may the log forget; a crash before this
        log.sync();                                //    replays records the checkpoint already holds
        end = WhiteboardLog.MAGIC.length;
        checkpoints++;
    }

    @Override public synchronized long size() { return live().size(); }
    @Override public synchronized void sync() { live(); } // every write is fsynced in the log already
    @Override public synchronized CloseableIterator<Entry> iterator() { return scan(null, null); }

    @Override public synchronized CloseableIterator<Entry> scan(byte[] from, byte[] to) {
        return Whiteboards.range(live(), Limits.checkBound(from), Limits.checkBound(to));
    }

    @Override public synchronized StoreStats stats() {
        long checkpoint = vfs.readHead(path, Integer.MAX_VALUE).length; // reads the file to measure it: a whiteboard's way
        return new StoreStats("whiteboard-redo-log", live().size(), checkpoint > 0 ? 2 : 1, checkpoint + end,
                end - WhiteboardLog.MAGIC.length, Map.of("checkpoints", checkpoints));
    }

    @Override public synchronized void close() {
        if (!closed) { log.close(); Closeables.closeUnchecked(lock, "the lock of " + path); }
        closed = true;
    }

    private NavigableMap<byte[], byte[]> live() {
        if (closed) throw new StoreClosedException("whiteboard redo log " + path);
        return map;
    }
}
