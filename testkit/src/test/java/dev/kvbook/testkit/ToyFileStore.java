package dev.kvbook.testkit;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The smallest correct store the testkit can test itself against: the whole map rewritten to
 * one file (temp, sync, rename, sync directory) on every write, as {@code [crc][count]([klen][key][vlen][value])*}.
 * Each {@link Flaw} removes one thing it needs, so the self-tests can show that the drivers
 * catch a store that cuts that corner.
 */
final class ToyFileStore implements KeyValueStore {

    /** One deliberate mistake. */
    enum Flaw { NONE, SKIPS_FILE_SYNC, SKIPS_DIRECTORY_SYNC, IGNORES_CHECKSUM, WRITES_IN_PLACE, KEYS_LOCK_BY_PATH_AS_GIVEN,
        REWRITES_IN_PLACE_ON_RECOVERY }

    private final Vfs vfs;
    private final Path file;
    private final Path tempFile;
    private final Flaw flaw;
    private final Closeable lock;
    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
    private boolean closed;
    private boolean failed;

    ToyFileStore(Vfs vfs, Path home, Flaw flaw) {
        this(vfs, home.resolve("toy.db"), home.resolve("toy.lock"), home.resolve("toy.tmp"), flaw);
    }

    /**
     * The toy kept in the file {@code path}, with {@code <path>.lock} and {@code <path>.tmp} beside
     * it, as steps 1 and 2 keep theirs. Correct, it resolves the real path first
     * ({@link StorePaths#storeFile}); with {@link Flaw#KEYS_LOCK_BY_PATH_AS_GIVEN} it takes the path
     * as given and locks as kvbook did before issue 16 ({@link PathKeyedLocks}).
     */
    static ToyFileStore atFile(Vfs vfs, Path path, Flaw flaw) {
        Path file = flaw == Flaw.KEYS_LOCK_BY_PATH_AS_GIVEN ? path : StorePaths.storeFile(vfs, path);
        return new ToyFileStore(vfs, file, StorePaths.sibling(file, ".lock"), StorePaths.sibling(file, ".tmp"), flaw);
    }

    private ToyFileStore(Vfs vfs, Path file, Path lockFile, Path tempFile, Flaw flaw) {
        this.vfs = vfs;
        this.file = file;
        this.tempFile = tempFile;
        this.flaw = flaw;
        this.lock = flaw == Flaw.KEYS_LOCK_BY_PATH_AS_GIVEN ? PathKeyedLocks.lock(lockFile) : vfs.lock(lockFile);
        try {
            boolean crashed = vfs.exists(tempFile); // a save was cut short
            vfs.delete(tempFile);
            if (vfs.exists(file)) {
                load();
                if (crashed && flaw == Flaw.REWRITES_IN_PLACE_ON_RECOVERY) {
                    rewriteInPlace(); // "tidies" the only copy in place: safe only if recovery never crashes
                }
            }
        } catch (RuntimeException e) {
            closeQuietly(); // a store that cannot open must not keep its lock
            throw e;
        }
    }

    private void load() {
        try (VfsFile f = vfs.open(file, false)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
            f.readFully(0, bytes);
            bytes.flip();
            if (bytes.remaining() < 8) {
                throw new CorruptionException(file, 0, "file length", ">= 8", bytes.remaining());
            }
            int crc = bytes.getInt();
            if (flaw != Flaw.IGNORES_CHECKSUM && crc != crc(bytes.array(), 4, bytes.limit() - 4)) {
                throw new CorruptionException(file, 0, "checksum", crc(bytes.array(), 4, bytes.limit() - 4), crc);
            }
            int count = bytes.getInt();
            for (int i = 0; i < count; i++) {
                map.put(read(bytes, Limits.MAX_KEY_SIZE), read(bytes, Limits.MAX_VALUE_SIZE));
            }
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new CorruptionException(file, -1, "structure: " + e, e);
        }
    }

    private byte[] read(ByteBuffer bytes, int limit) {
        int length = bytes.getInt();
        if (length < 0 || length > limit || length > bytes.remaining()) {
            throw new IllegalArgumentException("bad length " + length);
        }
        byte[] b = new byte[length];
        bytes.get(b);
        return b;
    }

    private void save() {
        ByteBuffer out = encode();
        Path target = flaw == Flaw.WRITES_IN_PLACE ? file : tempFile;
        try (VfsFile f = vfs.open(target, true)) {
            f.truncate(0);
            f.write(0, out);
            if (flaw != Flaw.SKIPS_FILE_SYNC) {
                f.sync();
            }
        }
        if (flaw != Flaw.WRITES_IN_PLACE) {
            vfs.rename(target, file);
        }
        if (flaw != Flaw.SKIPS_DIRECTORY_SYNC) {
            vfs.syncDirectory(file.getParent());
        }
    }

    /** The whole map in the file's format, ready to write. */
    private ByteBuffer encode() {
        int size = 8;
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
            size += 8 + e.getKey().length + e.getValue().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(0).putInt(map.size());
        map.forEach((k, v) -> out.putInt(k.length).put(k).putInt(v.length).put(v));
        return out.putInt(0, crc(out.array(), 4, size - 4)).flip();
    }

    private void rewriteInPlace() {
        ByteBuffer out = encode();
        try (VfsFile f = vfs.open(file, false)) {
            f.truncate(0);
            f.write(0, out);
            f.sync();
        }
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private void write(byte[] key, byte[] value) {
        check();
        if (failed) {
            throw new StoreFailedException("an earlier write failed", null);
        }
        byte[] previous = value == null ? map.remove(key) : map.put(key.clone(), value.clone());
        try {
            save();
        } catch (UncheckedIOException e) {
            if (previous == null) map.remove(key); else map.put(key, previous);
            failed = true;
            throw new StoreFailedException("write failed", e);
        }
    }

    private void check() {
        if (closed) {
            throw new StoreClosedException("toy");
        }
    }

    @Override public synchronized byte[] get(byte[] key) {
        check();
        byte[] v = map.get(Limits.checkKey(key));
        return v == null ? null : v.clone();
    }
    @Override public synchronized void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        write(key, value);
    }
    @Override public synchronized boolean delete(byte[] key) {
        check();
        if (!map.containsKey(Limits.checkKey(key))) {
            return false;
        }
        write(key, null);
        return true;
    }
    @Override public synchronized long size() { check(); return map.size(); }
    @Override public synchronized void sync() { check(); }
    @Override public synchronized CloseableIterator<Entry> iterator() {
        check();
        return CloseableIterator.of(map.entrySet().stream().map(e -> new Entry(e.getKey().clone(), e.getValue().clone())).toList().iterator());
    }
    @Override public synchronized StoreStats stats() {
        check();
        long bytes = 8;
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
            bytes += 8 + e.getKey().length + e.getValue().length;
        }
        return new StoreStats("toy", map.size(), 1, bytes, 0, Map.of());
    }
    private void closeQuietly() {
        try {
            lock.close();
        } catch (IOException | RuntimeException suppressed) {
            // the open failure is the error worth reporting
        }
    }

    @Override public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
