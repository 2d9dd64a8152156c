package dev.kvbook.hashindex;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.StoreOpener;

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
 * A toy store with a manifest, the shape of step 6's tables or of any store that names its
 * files from one small file: every write saves the whole map to a new file {@code data-<n>}, then
 * points {@code CURRENT} at it (temp file, fsync, rename, directory fsync), then deletes the
 * previous data file. Used by the crash self-tests, not a store of the book.
 *
 * <p>Correct, it fsyncs the directory after creating {@code data-<n>} and before the rename of
 * {@code CURRENT}, so the file the manifest names is durable before the manifest is. With
 * {@link #trustsRenameOrder} it skips that fsync and counts on the directory fsync after the
 * rename to make both durable: right whenever the crash comes after that fsync, and right before
 * it too if the file system keeps directory operations in order (the rename survives only with
 * the create before it). A file system that reorders them can keep the new {@code CURRENT} and
 * lose {@code data-<n>}: the store then names a missing file, and the acknowledged state before
 * the write is gone. That is the planted bug that
 * {@link dev.kvbook.testkit.vfs.CrashSimVfs#harshReordered reordered harsh crashes} must catch
 * ({@code ReorderedCrashSelfTest}) and harsh crashes cannot.
 *
 * <p>Format of {@code data-<n>}: {@code [crc32c of the rest][count]([klen][key][vlen][value])*};
 * of {@code CURRENT}: {@code [crc32c of n][n]}, both big-endian ints.
 */
final class ToyManifestStore implements KeyValueStore {

    private static final String CURRENT = "CURRENT";

    private final Vfs vfs;
    private final Path home;
    private final boolean trustsRenameOrder;
    private final Closeable lock;
    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
    private int generation;   // the data file CURRENT names; 0 before the first write
    private boolean closed;

    ToyManifestStore(Vfs vfs, Path home, boolean trustsRenameOrder) {
        this.vfs = vfs;
        this.home = home;
        this.trustsRenameOrder = trustsRenameOrder;
        this.lock = vfs.lock(home.resolve("toy.lock"));
        try {
            if (vfs.exists(home.resolve(CURRENT))) {
                generation = readCurrent();
                load(dataFile(generation));
            }
            for (Path leftover : vfs.list(home)) {   // temp files and data files no manifest names
                String name = leftover.getFileName().toString();
                if (name.equals(CURRENT + ".tmp") || name.startsWith("data-") && !leftover.equals(dataFile(generation))) {
                    vfs.delete(leftover);
                }
            }
        } catch (RuntimeException e) {
            try {
                lock.close();
            } catch (IOException | RuntimeException suppressed) {
                // the open failure is the error worth reporting
            }
            throw e;
        }
    }

    /** Openers for the self-tests: the correct protocol, or the one that trusts rename order. */
    static StoreOpener opener(boolean trustsRenameOrder) {
        return (vfs, home) -> new ToyManifestStore(vfs, home, trustsRenameOrder);
    }

    private Path dataFile(int n) {
        return home.resolve("data-" + n);
    }

    private int readCurrent() {
        ByteBuffer bytes = readAll(home.resolve(CURRENT));
        if (bytes.remaining() != 8 || bytes.getInt(0) != crc(bytes.array(), 4, 4)) {
            throw new CorruptionException(home.resolve(CURRENT), 0, "manifest checksum", "8 checked bytes", bytes.remaining() + " bytes");
        }
        return bytes.getInt(4);
    }

    private void load(Path file) {
        if (!vfs.exists(file)) {
            throw new CorruptionException(file, 0, "data file named by CURRENT", "present", "missing");
        }
        ByteBuffer bytes = readAll(file);
        try {
            if (bytes.getInt() != crc(bytes.array(), 4, bytes.limit() - 4)) {
                throw new CorruptionException(file, 0, "checksum", "a match", "a mismatch");
            }
            for (int count = bytes.getInt(); count > 0; count--) {
                map.put(read(bytes), read(bytes));
            }
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new CorruptionException(file, -1, "structure: " + e, e);
        }
    }

    private static byte[] read(ByteBuffer bytes) {
        byte[] b = new byte[bytes.getInt()];
        bytes.get(b);
        return b;
    }

    private ByteBuffer readAll(Path file) {
        try (VfsFile f = vfs.open(file, false)) {
            ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
            f.readFully(0, bytes);
            return bytes.flip();
        }
    }

    /** The protocol: new data file, (directory fsync), manifest by rename, directory fsync, old file deleted. */
    private void save() {
        int size = 8;
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
            size += 8 + e.getKey().length + e.getValue().length;
        }
        ByteBuffer data = ByteBuffer.allocate(size).putInt(0).putInt(map.size());
        map.forEach((k, v) -> data.putInt(k.length).put(k).putInt(v.length).put(v));
        data.putInt(0, crc(data.array(), 4, size - 4)).flip();
        int next = generation + 1;
        writeSynced(dataFile(next), data);
        if (!trustsRenameOrder) {
            vfs.syncDirectory(home); // data-<next> is durable before any manifest names it
        }
        ByteBuffer current = ByteBuffer.allocate(8).putInt(4, next);
        current.putInt(0, crc(current.array(), 4, 4));
        writeSynced(home.resolve(CURRENT + ".tmp"), current);
        vfs.rename(home.resolve(CURRENT + ".tmp"), home.resolve(CURRENT));
        vfs.syncDirectory(home);
        vfs.delete(dataFile(generation)); // no manifest names it durably any more
        generation = next;
    }

    private void writeSynced(Path file, ByteBuffer bytes) {
        try (VfsFile f = vfs.open(file, true)) {
            f.truncate(0);
            f.write(0, bytes);
            f.sync();
        }
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private void check() {
        if (closed) {
            throw new StoreClosedException("toy manifest store");
        }
    }

    @Override public synchronized byte[] get(byte[] key) {
        check();
        byte[] v = map.get(Limits.checkKey(key));
        return v == null ? null : v.clone();
    }

    @Override public synchronized void put(byte[] key, byte[] value) {
        check();
        map.put(Limits.checkKey(key).clone(), Limits.checkValue(value).clone());
        save();
    }

    @Override public synchronized boolean delete(byte[] key) {
        check();
        if (map.remove(Limits.checkKey(key)) == null) {
            return false;
        }
        save();
        return true;
    }

    @Override public synchronized long size() {
        check();
        return map.size();
    }

    @Override public synchronized void sync() {
        check(); // every write is durable on return
    }

    @Override public synchronized CloseableIterator<Entry> iterator() {
        check();
        return CloseableIterator.of(map.entrySet().stream().map(e -> new Entry(e.getKey().clone(), e.getValue().clone())).toList().iterator());
    }

    @Override public synchronized StoreStats stats() {
        check();
        return new StoreStats("toy manifest", map.size(), 2, 0, 0, Map.of("generation", (long) generation));
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
