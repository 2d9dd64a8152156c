package dev.kvbook.whiteboard;

import dev.kvbook.api.*;
import dev.kvbook.api.vfs.*;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Consumer;

/**
 * Whiteboard step 1: the whole map in memory, written whole to one file on every write, the file
 * replaced atomically (temp file, fsync, rename, fsync directory). Every write is durable when it
 * returns; a crash leaves the old map or the new one, never a mix. Reads O(log n), writes O(n).
 * One lock ({@code synchronized}) around everything.
 *
 * <p>File: "kvwbpkl1" (8) | count (4) | {key length (4) | key | value length (4) | value}* | CRC32C (4).
 *
 * <p>What the full step adds, and why: a versioned header a checker reads without the store
 * ({@code dev.kvbook.pickled.PickledFormat}, {@code dev.kvbook.pickled.PickleInspector}); batches that
 * pay one rewrite for many writes and a sync-only mode undone on failure ({@code dev.kvbook.pickled.UndoLog});
 * readers that never wait for a rewrite ({@code dev.kvbook.pickled.Snapshot}). Left out: a failure
 * latch (a failed rewrite leaves memory as it was; the next one starts from scratch), maps over 2 GiB.
 */
public final class WhiteboardPickle implements OrderedKeyValueStore {

    static final byte[] MAGIC = Keys.utf8("kvwbpkl1");

    private final Vfs vfs;
    private final Path path; // the real path: the lock and temp file are named from it
    private final Closeable lock;
    private NavigableMap<byte[], byte[]> map; // never changed in place: replaced once the file holds the new one
    private boolean closed;

    /** Opens the store kept in the file {@code path} (created by the first write). O(n). */
    public WhiteboardPickle(Vfs vfs, Path path) {
        this.vfs = vfs;
        this.path = StorePaths.storeFile(vfs, path);
        this.lock = vfs.lock(StorePaths.sibling(this.path, ".lock")); // a second open fails fast
        try {
            map = load(vfs, this.path);
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    @Override public synchronized byte[] get(byte[] key) {
        byte[] value = live().get(Limits.checkKey(key));
        return value == null ? null : value.clone();
    }

    @Override public synchronized void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        rewrite(next -> next.put(key.clone(), value.clone()));
    }

    @Override public synchronized boolean delete(byte[] key) {
        return live().containsKey(Limits.checkKey(key)) && rewrite(next -> next.remove(key)); // absent: no write
    }

    /** Changes a copy of the map, saves the copy, and only then makes it the map. O(n). */
    private boolean rewrite(Consumer<NavigableMap<byte[], byte[]>> change) {
        NavigableMap<byte[], byte[]> next = new TreeMap<>(live());
        change.accept(next);
        save(vfs, path, next); // if this throws, memory still agrees with the file
        map = next;
        return true;
    }

    @Override public synchronized long size() { return live().size(); }
    @Override public synchronized void sync() { live(); } // every write is durable already
    @Override public synchronized CloseableIterator<Entry> iterator() { return scan(null, null); }

    @Override public synchronized CloseableIterator<Entry> scan(byte[] from, byte[] to) {
        return Whiteboards.range(live(), Limits.checkBound(from), Limits.checkBound(to));
    }

    @Override public synchronized StoreStats stats() {
        long bytes = vfs.exists(path) ? encode(live()).limit() : 0;
        return new StoreStats("whiteboard-pickle", live().size(), bytes > 0 ? 1 : 0, bytes, 0, Map.of());
    }

    @Override public synchronized void close() {
        if (!closed) Closeables.closeUnchecked(lock, "the lock of " + path);
        closed = true;
    }

    private NavigableMap<byte[], byte[]> live() {
        if (closed) throw new StoreClosedException("whiteboard pickle " + path);
        return map;
    }

    /** Writes {@code map} to {@code path} so that a crash leaves the old file or the new one. O(n). */
    static void save(Vfs vfs, Path path, NavigableMap<byte[], byte[]> map) {
        Path temp = StorePaths.sibling(path, ".tmp");
        vfs.delete(temp);                        // a crash may have left a torn temp file
        try (VfsFile file = vfs.open(temp, true)) {
            file.write(0, encode(map));          // 1. the new map beside the old one, never over it
            file.sync();                         // 2. its bytes on disk before a name points at them
        }
        vfs.rename(temp, path);                  // 3. atomic: anyone sees the old file or the new one
        vfs.syncDirectory(path.getParent());     // 4. the rename itself made durable
    }

    /** Reads the map saved at {@code path}; an empty map when there is no file. O(n). */
    static NavigableMap<byte[], byte[]> load(Vfs vfs, Path path) {
        NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
        if (!vfs.exists(path)) return map;
        ByteBuffer in;
        try (VfsFile file = vfs.open(path, false)) {
            in = ByteBuffer.allocate(Math.toIntExact(file.size()));
            file.readFully(0, in);
        }
        int crcAt = in.limit() - 4;
        byte[] magic = Arrays.copyOf(in.array(), MAGIC.length);
        if (crcAt < MAGIC.length + 4 || !Arrays.equals(magic, MAGIC))
            throw new CorruptionException(path, 0, "magic", "\"kvwbpkl1\"", Keys.toDisplay(magic));
        int crc = Whiteboards.crc(in.array(), 0, crcAt);
        if (crc != in.getInt(crcAt)) throw new CorruptionException(path, crcAt, "checksum", crc, in.getInt(crcAt));
        in.position(MAGIC.length).limit(crcAt);
        try {
            for (int count = in.getInt(); count > 0; count--) map.put(bytes(in), bytes(in));
        } catch (RuntimeException e) { // a checksummed map that does not parse: damage, or a writer's bug
            throw new CorruptionException(path, in.position(), "an entry runs past the end of the map", e);
        }
        return map;
    }

    private static ByteBuffer encode(NavigableMap<byte[], byte[]> map) {
        long size = MAGIC.length + 4 + 4;
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) size += 4 + e.getKey().length + 4 + e.getValue().length;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).put(MAGIC).putInt(map.size());
        map.forEach((k, v) -> out.putInt(k.length).put(k).putInt(v.length).put(v));
        return out.putInt(Whiteboards.crc(out.array(), 0, out.position())).flip();
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }
}
