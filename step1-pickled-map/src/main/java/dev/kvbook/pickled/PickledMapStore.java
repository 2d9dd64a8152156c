package dev.kvbook.pickled;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Step 1: "I keep my map in a pickle file". The whole map lives in memory; every write
 * serializes all of it into a new file and swaps that file in for the old one.
 *
 * <h2>The idea</h2>
 * A {@code TreeMap} sorted by unsigned bytes ({@link Keys#COMPARATOR}) answers every read. A
 * write changes the map, {@link PickledFormat#encode encodes} the entire map, and replaces the
 * file at {@code path} atomically ({@link PickleFile}). A missing file opens as an empty store;
 * nothing but the lock file {@code <path>.lock} is created until the first write.
 *
 * <h2>Where its files live</h2>
 * {@link #open} resolves {@code path} once to its real path (symbolic links followed,
 * {@link StorePaths#storeFile}) and names everything from that: the file, {@code <file>.lock}
 * and {@code <file>.tmp}, all in the file's directory. So a store opened through a link is the
 * same store, with the same lock, and a write renames over the real file, leaving the link a
 * link. The directory must exist (open creates no directories); a file with more than one name
 * (hard links) is refused. Open deletes only its own {@code <file>.tmp}; nothing else in the
 * directory is touched. The file itself appears at the first write, by a rename followed by an
 * fsync of the directory, before that write returns.
 *
 * <h2>Cost</h2>
 * {@code get}: O(log N) in memory, no I/O. {@code put}/{@code delete}: O(N) bytes written — every
 * key and value, again — plus two fsyncs (the new file, then its directory) and a rename. A
 * 100-byte put into a 100 MB store writes 100 MB. {@link #batch} groups many writes into one
 * rewrite. Memory: the whole map, plus one encoded copy while rewriting.
 *
 * <h2>Durability</h2>
 * With {@link Options#syncEveryWrite()} {@code true} (the default), every {@code put},
 * {@code delete} and {@code batch} that changes something has rewritten and fsynced the file
 * before it returns: it is durable on return. With {@code false}, writes change memory only; the
 * file is rewritten at {@link #sync()} and at {@link #close()}, and a crash before then loses
 * every write since the last rewrite. A write that changes nothing (deleting an absent key,
 * putting the value a key already has) writes nothing in either mode.
 *
 * <h2>The crash promise</h2>
 * After a crash at any moment the file holds exactly the old map or the new map, never a mix,
 * because a rewrite never touches the live file ({@link PickleFile} tells it at length):
 * <ol>
 *   <li>write {@code <path>.tmp}: the only copy of the data is never overwritten in place;</li>
 *   <li>fsync it: the data must be on disk before any name points at it;</li>
 *   <li>rename it over {@code path}: atomic, so readers see the old file or the new one;</li>
 *   <li>fsync the directory: the rename is a directory change, and must survive a crash too.</li>
 * </ol>
 * A stale {@code <path>.tmp} left by a crash between steps 1 and 3 is deleted on open.
 *
 * <h2>Failures</h2>
 * If any step of a rewrite fails, memory is rolled back to the map the file holds, the store is
 * marked failed (its {@link FailureLatch}), and the call throws {@link StoreFailedException}; so
 * does every later write, while reads keep working. A failed fsync is never retried (see {@link StoreFailedException}).
 * If the failure came after the rename, a reopen may find the new map: old or new, as promised.
 *
 * <h2>Threads</h2>
 * One {@link ReentrantReadWriteLock}: reads share it; writes, with their rewrite, hold it
 * exclusively, so reads wait out a rewrite and its fsyncs. {@link #iterator()} and {@link #scan}
 * copy the entries in range (references, O(range)) at call time and iterate over that snapshot:
 * they never see later writes, hold no lock, and keep working after {@code close()}. One process
 * at a time: {@link #open} locks {@code <path>.lock}; a second open fails fast with
 * {@link dev.kvbook.api.StoreLockedException}.
 */
public final class PickledMapStore implements OrderedKeyValueStore {

    /**
     * How to open a store.
     *
     * @param vfs            the file system every byte goes through
     * @param syncEveryWrite whether each write is durable on return (see "Durability" above)
     */
    public record Options(Vfs vfs, boolean syncEveryWrite) {

        public Options {
            Objects.requireNonNull(vfs, "vfs");
        }

        /** The real file system, every write durable on return. */
        public static Options defaults() {
            return new Options(Vfs.local(), true);
        }

        /** These options with another file system. */
        public Options withVfs(Vfs vfs) {
            return new Options(vfs, syncEveryWrite);
        }

        /** These options with {@code syncEveryWrite} set as given. */
        public Options withSyncEveryWrite(boolean syncEveryWrite) {
            return new Options(vfs, syncEveryWrite);
        }
    }

    private final PickleFile file;
    private final Options options;
    private final Closeable fileLock;
    private final boolean staleTempRemoved;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    // Guarded by `lock`, like every field below. Invariant: every array in the map is the
    // store's own and never modified after insertion, so iterator snapshots may share them.
    private final NavigableMap<byte[], byte[]> map;
    /** Before-images of keys changed since the last rewrite; empty means memory equals the file. */
    private final UndoLog unsynced = new UndoLog();
    private OpenBatch activeBatch;
    private final FailureLatch failure;
    private boolean closed;
    private long fileSize; // -1 while there is no file
    private long rewrites;
    private long bytesRewritten;

    private PickledMapStore(PickleFile file, Options options, Closeable fileLock, PickleFile.Contents contents,
                            boolean staleTempRemoved) {
        this.file = file;
        this.failure = new FailureLatch(toString()); // after file: the name is in every message
        this.options = options;
        this.fileLock = fileLock;
        this.map = contents.map();
        this.fileSize = contents.size();
        this.staleTempRemoved = staleTempRemoved;
    }

    /** Opens the store kept in the file {@code path} with {@link Options#defaults()}. O(file size). */
    public static PickledMapStore open(Path path) {
        return open(path, Options.defaults());
    }

    /**
     * Opens the store kept in the file {@code path}: resolves its real path (symbolic links
     * followed; every sibling file is named from it), takes the lock, deletes a stale temp file,
     * then reads and checks the whole file. O(file size) bytes read.
     *
     * @throws dev.kvbook.api.StoreLockedException when the store is open elsewhere
     * @throws dev.kvbook.api.CorruptionException  when the file is damaged (the lock is released)
     * @throws java.io.UncheckedIOException        when the directory of {@code path} does not exist
     * @throws IllegalArgumentException            when the file has more than one name (hard links)
     */
    public static PickledMapStore open(Path path, Options options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        PickleFile file = new PickleFile(options.vfs(), StorePaths.storeFile(options.vfs(), path));
        Closeable fileLock = file.lock();
        boolean opened = false;
        try {
            boolean stale = file.removeStaleTemp();
            PickledMapStore store = new PickledMapStore(file, options, fileLock, file.load(), stale);
            opened = true;
            return store;
        } finally {
            if (!opened) {
                PickleFile.releaseAfterFailure(fileLock);
            }
        }
    }

    /** Returns a copy of the value under {@code key}, or {@code null}. O(log N), no I/O. */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        return read(() -> {
            byte[] value = map.get(key);
            return value == null ? null : value.clone();
        });
    }

    /** Returns whether {@code key} has a value, without copying it. O(log N), no I/O. */
    @Override
    public boolean containsKey(byte[] key) {
        Limits.checkKey(key);
        return read(() -> map.containsKey(key));
    }

    /** Returns the number of keys. O(1). */
    @Override
    public long size() {
        return read(map::size);
    }

    /**
     * Stores {@code value} under {@code key}. O(N): with {@code syncEveryWrite} the whole file is
     * rewritten and fsynced before this returns; otherwise memory only, O(log N).
     */
    @Override
    public void put(byte[] key, byte[] value) {
        byte[] k = Limits.checkKey(key).clone();
        byte[] v = Limits.checkValue(value).clone();
        write(() -> unsynced.apply(map, k, v));
    }

    /** Removes {@code key}; returns whether it was there. O(N) like {@link #put}; O(log N) when absent. */
    @Override
    public boolean delete(byte[] key) {
        byte[] k = Limits.checkKey(key).clone();
        return write(() -> unsynced.apply(map, k, null));
    }

    /**
     * Applies every write {@code writes} makes to its {@link Batch}, then rewrites the file once.
     * O(N + batch size). All or nothing: if {@code writes} throws, memory is put back and nothing
     * is written; if the rewrite fails, none of the batch reaches the file. Inside {@code writes},
     * write through the batch: the store's own write methods refuse.
     */
    public void batch(Consumer<Batch> writes) {
        Objects.requireNonNull(writes, "writes");
        write(() -> {
            OpenBatch batch = new OpenBatch(map);
            activeBatch = batch;
            boolean complete = false;
            try {
                writes.accept(batch);
                complete = true;
            } finally {
                activeBatch = null;
                batch.end(complete);
            }
            boolean changed = !batch.undo().isEmpty();
            batch.undo().moveInto(unsynced);
            return changed;
        });
    }

    /**
     * Runs {@code change} (which returns whether it changed the map) under the write lock; then,
     * with syncEveryWrite and if it did, rewrites the file before returning. Returns the change's
     * answer.
     */
    private boolean write(BooleanSupplier change) {
        return exclusively(() -> {
            checkOpen();
            checkNotInBatch("writing through the store");
            failure.check();
            boolean changed = change.getAsBoolean();
            if (changed && options.syncEveryWrite()) {
                rewrite();
            }
            return changed;
        });
    }

    /**
     * Makes every write so far durable: rewrites the file if memory has changes it lacks.
     * O(N) then; O(1) when there is nothing to write (always so with syncEveryWrite).
     */
    @Override
    public void sync() {
        exclusively(() -> {
            checkOpen();
            checkNotInBatch("sync()");
            if (!unsynced.isEmpty()) {
                rewrite();
            }
            return null;
        });
    }

    /**
     * Replaces the file with an encoding of the whole map; the caller holds the write lock.
     * O(N) bytes written + 2 fsyncs. If anything fails, memory is rolled back to the file's map;
     * if the failure came once the disk was touched, the store is failed for good.
     */
    private void rewrite() {
        boolean done = false;
        boolean diskTouched = false;
        try {
            byte[] image = PickledFormat.encode(map);
            diskTouched = true;
            file.replace(image);
            done = true;
            unsynced.clear();
            rewrites++;
            bytesRewritten += image.length;
            fileSize = image.length;
        } catch (RuntimeException e) {
            if (!diskTouched) {
                throw e; // encoding failed (a map too big for one file): the file is untouched
            }
            throw failure.fail(e, "rewriting the file");
        } finally {
            if (!done) {
                unsynced.rollback(map);
                if (diskTouched && !failure.isSet()) {
                    // An Error (a simulated power loss, say) is on its way up: the disk's state
                    // is unknown, so no later write may build on it. It is not caught.
                    failure.set(new IllegalStateException("a rewrite of " + file.path() + " was interrupted"));
                }
            }
        }
    }

    /** Iterates over every entry in key order, over a snapshot taken now. O(N) to take it. */
    @Override
    public CloseableIterator<Entry> iterator() {
        return scan(null, null);
    }

    /**
     * Iterates over the entries with keys in {@code [fromInclusive, toExclusive)} in key order
     * ({@code null} = unbounded). The range is copied now into a {@link Snapshot} (references
     * only, O(range)); later writes do not show, and the iterator holds no lock.
     */
    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        Limits.checkBound(fromInclusive);
        Limits.checkBound(toExclusive);
        return read(() -> Snapshot.of(map, fromInclusive, toExclusive)).entries();
    }

    /**
     * Returns the store's figures. Its own: {@code rewrites} and {@code bytesRewritten} this
     * session, {@code payloadBytes} in the file, {@code unsyncedWrites}, and a few flags.
     * O(1), no I/O.
     */
    @Override
    public StoreStats stats() {
        return read(() -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("rewrites", rewrites);
            details.put("bytesRewritten", bytesRewritten);
            details.put("payloadBytes", Math.max(0, fileSize - PickledFormat.HEADER_SIZE));
            details.put("unsyncedWrites", unsynced.changes());
            details.put("syncEveryWrite", options.syncEveryWrite());
            details.put("staleTempRemoved", staleTempRemoved);
            details.put("failed", failure.isSet());
            return new StoreStats(PickledStoreProvider.NAME, map.size(), fileSize >= 0 ? 1 : 0,
                    Math.max(0, fileSize), 0, details);
        });
    }

    /**
     * Writes unsynced changes (O(N) if there are any), then releases the lock. Idempotent. The
     * store is closed afterwards even if that last rewrite fails.
     */
    @Override
    public void close() {
        exclusively(() -> {
            if (closed) {
                return null;
            }
            checkNotInBatch("close()");
            try {
                if (!unsynced.isEmpty() && !failure.isSet()) {
                    rewrite();
                }
            } finally {
                closed = true;
                file.release(fileLock);
            }
            return null;
        });
    }

    /** Runs {@code action} holding the write lock: no reader or other writer meanwhile. */
    private <T> T exclusively(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code action} under the read lock on an open store. */
    private <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException(toString());
        }
    }

    private void checkNotInBatch(String what) {
        if (activeBatch != null) { // only this thread can see it set: it holds the write lock
            throw new IllegalStateException(what + " inside batch() is not allowed; write through the Batch");
        }
    }

    /** "step1 store" and the path: how messages name this store. */
    @Override
    public String toString() {
        return PickledStoreProvider.NAME + " store " + file.path();
    }
}
