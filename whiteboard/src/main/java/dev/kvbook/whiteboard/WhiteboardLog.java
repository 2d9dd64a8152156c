package dev.kvbook.whiteboard;

import dev.kvbook.api.*;
import dev.kvbook.api.vfs.*;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Consumer;

/**
 * Whiteboard step 2: an append-only log. A put appends a record, a delete a tombstone; nothing
 * changes in place. A read replays the whole log (the last record of a key wins): writes O(1), reads
 * O(n). Each append is fsynced before it returns, so every acknowledged write is durable. One lock.
 *
 * <p>File: "kvwblog1" (8), then records: CRC32C (4) | key length (4) | value length (4; -1: tombstone)
 * | key | value, the CRC over all after it. Open reads records until the first bad one: a torn tail
 * (cut off) if no valid record follows it, else damage before the tail ({@link CorruptionException}).
 *
 * <p>What the full step adds, and why: compaction, as a log only grows ({@code dev.kvbook.applog.Compactor});
 * a flag on records written after an fsync, so a sync-only mode tells a torn tail from damage without the
 * search for a later valid record ({@code dev.kvbook.applog.LogTail}); reads in O(1) memory, 64 KiB a system
 * call ({@code dev.kvbook.applog.ReadWindow}). Left out: those, a failure latch, a sync-only mode.
 */
public final class WhiteboardLog implements KeyValueStore {

    static final byte[] MAGIC = Keys.utf8("kvwblog1");
    static final int HEADER = 4 + 4 + 4; // crc, key length, value length

    record Rec(long at, byte[] key, byte[] value, long next) { } // a record at `at`; value null: a tombstone

    private final Path path; // the real path: the lock and temp file are named from it
    private final Closeable lock;
    private VfsFile file;
    private long end; // Invariant: [MAGIC.length, end) holds whole, valid, fsynced records
    private boolean closed;

    /** Opens (or creates) the log kept in the file {@code path}, cutting a torn tail. O(n). */
    public WhiteboardLog(Vfs vfs, Path path) {
        this.path = StorePaths.storeFile(vfs, path);
        this.lock = vfs.lock(StorePaths.sibling(this.path, ".lock")); // a second open fails fast
        try {
            file = openLog(vfs, this.path);
            end = recover(file, this.path, record -> { });
        } catch (RuntimeException e) {
            if (file != null) file.close();
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    @Override public synchronized byte[] get(byte[] key) { return replay().get(Limits.checkKey(key)); }

    @Override public synchronized void put(byte[] key, byte[] value) {
        appendDurably(Limits.checkKey(key), Limits.checkValue(value));
    }

    @Override public synchronized boolean delete(byte[] key) {
        if (get(key) == null) return false; // a tombstone for an absent key would be pure garbage
        appendDurably(key, null);
        return true;
    }

    private void appendDurably(byte[] key, byte[] value) {
        checkOpen();
        long next = append(file, end, key, value);
        file.sync(); // durable before it is acknowledged
        end = next;
    }

    @Override public synchronized long size() { return replay().size(); }
    @Override public synchronized void sync() { checkOpen(); } // every append is fsynced already
    @Override public synchronized CloseableIterator<Entry> iterator() { return Whiteboards.range(replay(), null, null); }

    @Override public synchronized StoreStats stats() {
        NavigableMap<byte[], byte[]> live = replay();
        long liveBytes = live.entrySet().stream().mapToLong(e -> HEADER + e.getKey().length + e.getValue().length).sum();
        return new StoreStats("whiteboard-log", live.size(), 1, end, end - MAGIC.length - liveBytes, Map.of());
    }

    @Override public synchronized void close() {
        if (!closed) { file.close(); Closeables.closeUnchecked(lock, "the lock of " + path); }
        closed = true;
    }

    private void checkOpen() { if (closed) throw new StoreClosedException("whiteboard log " + path); }

    /** Replays the log from the start: the last record of each key wins, a tombstone removes it. O(n). */
    private NavigableMap<byte[], byte[]> replay() {
        checkOpen();
        NavigableMap<byte[], byte[]> live = new TreeMap<>(Keys.COMPARATOR);
        for (long at = MAGIC.length; at < end; ) {
            Rec r = read(file, at, end);
            if (r == null) throw new CorruptionException(path, at, "record", "a whole record with its checksum", "damage");
            if (r.value == null) live.remove(r.key); else live.put(r.key, r.value);
            at = r.next;
        }
        return live;
    }

    // ---- the record format and the torn-tail scan, which the Bitcask, redo log and LSM reuse ----
    /** Opens the log file {@code path}, creating it with its magic first (atomically) when missing. */
    static VfsFile openLog(Vfs vfs, Path path) {
        if (!vfs.exists(path)) AtomicReplace.replace(vfs, path, StorePaths.sibling(path, ".tmp"), ByteBuffer.wrap(MAGIC));
        byte[] magic = vfs.readHead(path, MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) throw new CorruptionException(path, 0, "magic", "\"kvwblog1\"", Keys.toDisplay(magic));
        return vfs.open(path, false);
    }

    /** Appends one record at {@code at} (no fsync) and returns where the next one goes. */
    static long append(VfsFile file, long at, byte[] key, byte[] value) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + key.length + (value == null ? 0 : value.length));
        out.putInt(0).putInt(key.length).putInt(value == null ? -1 : value.length).put(key).put(value == null ? new byte[0] : value);
        out.putInt(0, Whiteboards.crc(out.array(), 4, out.capacity() - 4)).flip();
        file.write(at, out);
        return at + out.limit();
    }

    /** The whole, valid record at {@code at} in {@code [at, end)}, or {@code null} when there is none there. */
    static Rec read(VfsFile file, long at, long end) {
        if (end - at < HEADER) return null;
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        file.readFully(at, head);
        int crc = head.getInt(0), keyLength = head.getInt(4), valueLength = head.getInt(8);
        if (keyLength < 0 || keyLength > Limits.MAX_KEY_SIZE || valueLength < -1 || valueLength > Limits.MAX_VALUE_SIZE
                || end - at - HEADER < (long) keyLength + Math.max(valueLength, 0)) return null; // before trusting a length
        byte[] record = Arrays.copyOf(head.array(), HEADER + keyLength + Math.max(valueLength, 0));
        file.readFully(at + HEADER, ByteBuffer.wrap(record, HEADER, record.length - HEADER));
        if (Whiteboards.crc(record, 4, record.length - 4) != crc) return null;
        byte[] value = valueLength < 0 ? null : Arrays.copyOfRange(record, HEADER + keyLength, record.length);
        return new Rec(at, Arrays.copyOfRange(record, HEADER, HEADER + keyLength), value, at + record.length);
    }

    /**
     * Reads every record into {@code each}; returns where the log ends. The first bad record, at X, ends it: a
     * torn tail, cut off, unless a valid record starts after X, which proves X was there before a later fsync:
     * damage, thrown. O(n), plus O(tail) reads for that search.
     */
    static long recover(VfsFile file, Path path, Consumer<Rec> each) {
        long size = file.size(), at = MAGIC.length;
        for (Rec r; (r = read(file, at, size)) != null; at = r.next) each.accept(r);
        for (long later = at + 1; later + HEADER <= size; later++) // is X followed by a valid record?
            if (read(file, later, size) != null) throw new CorruptionException(path, at, "record (a valid one follows at "
                    + later + ": damage, not a torn tail)", "a whole record with its checksum", "damage");
        if (at < size) file.truncate(at);
        file.sync(); // whatever a killed writer left unsynced becomes durable before anything follows it
        return at;
    }
}
