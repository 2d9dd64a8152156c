package dev.kvbook.applog;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.api.vfs.Closeables;
import dev.kvbook.api.vfs.FailureLatch;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Step 2: an append-only log. Every write is a record appended to the end of one file; nothing
 * is ever changed in place. This is the store that the two-line shell database of DDIA chapter 3
 * ({@code db_set} appends a line, {@code db_get} greps for the last match) grows into, with
 * checksums, tombstones, crash recovery and compaction. The file format is {@link LogFormat}.
 *
 * <h2>Costs: writes got cheap, reads got expensive</h2>
 * {@link #put} is O(1): one append, plus one fsync with {@code syncEveryWrite}. Step 1 rewrote the
 * whole file for every write; this is the step's gain.
 * <p><b>{@link #get} is O(N) in the length of the log, on purpose.</b> There is no index, so a get
 * reads and checksums <em>every record ever written</em>, first to last, because the last record
 * for the key is the one that counts and it could be anywhere. A log of a million writes means a
 * million records read for every get, even of a key written once ({@code GetCostByLogLength}
 * measures it). Remembering where each key's last record is, is step 3's idea.
 * <p>{@link #delete}, {@link #size}, {@link #iterator}, {@link #stats}, {@link #compact()} and
 * {@link #open} read the whole log too. Between calls the store holds O(1) memory: the end
 * offset and a few counters. The log only grows: overwrites and deletes leave garbage behind
 * until {@link #compact()} copies the live records into a new file (automatically, if
 * {@link Options} says so).
 *
 * <h2>Durability</h2>
 * With {@code syncEveryWrite} (the default), {@code put} and {@code delete} fsync their record
 * before they return. Without it, a write is durable after the next {@link #sync()},
 * {@link #close()} or compaction. After a crash the store holds exactly a prefix of the writes,
 * including every write acknowledged as durable: {@link #open} cuts off the torn tail that the
 * interrupted writes left, in either mode. How a torn tail is told from damage (a flag on each
 * record written right after an fsync) is invariant 7 of {@link LogFormat}.
 *
 * <h2>Threads, processes, failures</h2>
 * One {@link ReentrantReadWriteLock}: {@code get}, {@code size}, {@code iterator} and
 * {@code stats} share the read lock (positional reads need no coordination); {@code put},
 * {@code delete}, {@code sync}, {@code compact} and {@code close} take the write lock. A get holds
 * the read lock for its whole scan, so writers wait for every scan in progress: one more cost of
 * having no index. A lock file {@code <file>.lock} keeps other processes and handles out.
 *
 * <h2>Where its files live</h2>
 * {@link #open} resolves the path once to its real path ({@link StorePaths#storeFile}: symbolic
 * links followed) and names everything from it: the log, {@code <file>.lock} and
 * {@code <file>.compact}, side by side in the log's directory. So a store opened through a link
 * is the same store with the same lock, and {@link #compact()} renames over the real log, leaving
 * the link a link. Open creates the lock file (no data) and, for a new store, the log, the way a
 * compaction does ({@code .compact}, fsync, rename, directory fsync) before open returns. The
 * directory must exist (a missing one is refused, never created); a log with more than one name
 * (hard links) is refused. Open deletes only its own leftover {@code <file>.compact}.
 * <p>If a write or fsync fails, the store no longer knows what is on disk: it throws
 * {@link StoreFailedException} and refuses every later write (its {@link FailureLatch}), while reads go on over the records
 * it knows. Reopen to recover from what the disk really holds. Damage found while reading throws
 * {@link dev.kvbook.api.CorruptionException}: nothing is returned unchecked.
 */
public final class AppendLogStore implements KeyValueStore {

    /** The name under which {@link AppendLogStoreProvider} registers this store. */
    public static final String NAME = "step2";

    /**
     * How to open the store.
     *
     * @param vfs                     the file system to use
     * @param syncEveryWrite          fsync each put and delete before returning (durable on return);
     *                                otherwise writes are durable at {@code sync()} or {@code close()}
     * @param repair                  on open, truncate the log at the first bad record even when valid
     *                                records follow it (losing them), instead of refusing to open
     * @param autoCompactGarbageRatio compact after a write once garbage reaches this fraction of the
     *                                file, in (0, 1); 0 turns automatic compaction off
     * @param autoCompactMinBytes     never compact automatically while the file is smaller than this
     */
    public record Options(Vfs vfs, boolean syncEveryWrite, boolean repair, double autoCompactGarbageRatio,
                          long autoCompactMinBytes) {

        public Options {
            Objects.requireNonNull(vfs, "vfs");
            AutoCompaction.checkSettings(autoCompactGarbageRatio, autoCompactMinBytes);
        }

        /** The real disk, every write durable on return, no repair, no automatic compaction. */
        public static Options defaults() {
            return new Options(Vfs.local(), true, false, 0, 0);
        }

        /** These options on another file system. */
        public Options withVfs(Vfs vfs) {
            return new Options(vfs, syncEveryWrite, repair, autoCompactGarbageRatio, autoCompactMinBytes);
        }

        /** These options with each write fsynced before it returns, or not. */
        public Options withSyncEveryWrite(boolean syncEveryWrite) {
            return new Options(vfs, syncEveryWrite, repair, autoCompactGarbageRatio, autoCompactMinBytes);
        }

        /** These options with open truncating at the first bad record instead of refusing, or not. */
        public Options withRepair(boolean repair) {
            return new Options(vfs, syncEveryWrite, repair, autoCompactGarbageRatio, autoCompactMinBytes);
        }

        /** Compact after a write once garbage is {@code garbageRatio} of a file of at least {@code minBytes}. */
        public Options withAutoCompaction(double garbageRatio, long minBytes) {
            return new Options(vfs, syncEveryWrite, repair, garbageRatio, minBytes);
        }

        /** Returns whether automatic compaction is on. */
        public boolean autoCompaction() {
            return autoCompactGarbageRatio > 0;
        }
    }

    private final Path path;
    private final Options options;
    private final Closeable processLock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock readLock = lock.readLock();
    private final Lock writeLock = lock.writeLock();
    private final long tornTailBytesTruncated;
    private final long repairedBytesTruncated;
    private final AutoCompaction autoCompaction;
    private VfsFile file;
    private LogWriter writer;
    private boolean closed;
    private final FailureLatch failure;
    private long compactions;

    private AppendLogStore(Path path, Options options, Closeable processLock, Recovery.Result recovered) {
        this.path = path;
        this.failure = new FailureLatch(toString()); // after path: the name is in every message
        this.options = options;
        this.processLock = processLock;
        // Invariant: recovery cut the file to its last good record, so the next append lands
        // right after it and never behind leftover bytes of a torn write.
        assert recovered.end() == recovered.file().size() : "end " + recovered.end() + ", size " + recovered.file().size();
        this.file = recovered.file();
        this.writer = new LogWriter(file, recovered.end()); // recovery fsynced it all, as the writer needs
        this.tornTailBytesTruncated = recovered.tornTailBytesTruncated();
        this.repairedBytesTruncated = recovered.repairedBytesTruncated();
        this.autoCompaction = new AutoCompaction(options);
    }

    /** Opens (creating if needed) the log file {@code file} with {@link Options#defaults()}. */
    public static AppendLogStore open(Path file) {
        return open(file, Options.defaults());
    }

    /**
     * Opens (creating if needed) the log file {@code file}: resolves its real path (symbolic links
     * followed; the lock and the compaction file are named from it), takes the lock
     * {@code <file>.lock}, reads the whole log to find its end and truncates a torn tail.
     * O(log length).
     *
     * @throws dev.kvbook.api.CorruptionException   when the header is wrong, or a bad record has a valid
     *                                              record written after an fsync after it (and
     *                                              {@code repair} is off): LogFormat invariant 7
     * @throws dev.kvbook.api.StoreLockedException  when the store is already open
     * @throws java.io.UncheckedIOException         when the directory of {@code file} does not exist
     * @throws IllegalArgumentException             when the file has more than one name (hard links)
     */
    public static AppendLogStore open(Path file, Options options) {
        Objects.requireNonNull(file, "file");
        Vfs vfs = options.vfs();
        Path real = StorePaths.storeFile(vfs, file);
        Closeable processLock = vfs.lock(lockPathOf(real));
        try {
            return new AppendLogStore(real, options, processLock, Recovery.run(vfs, real, options.repair()));
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(processLock, e);
            throw e;
        }
    }

    /** The lock file of the log {@code file}: {@code <file>.lock}. */
    static Path lockPathOf(Path file) {
        return StorePaths.sibling(file, ".lock");
    }

    /** The log file this store keeps its records in. */
    public Path file() {
        return path;
    }

    /**
     * Returns the value of the last record for {@code key}, or {@code null} if there is none or it
     * is a tombstone. <b>O(N): reads and checksums the whole log</b>, then reads the winning
     * record once more to return its value.
     */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        return reading(() -> {
            LogRecord last = LogReplay.lastRecordOf(file, path, writer.end(), key);
            if (last == null || last.isTombstone()) {
                return null;
            }
            return LogReader.readRecordAt(file, path, last.offset(), last.size()).value();
        });
    }

    /** Appends a PUT record. O(1): one write, plus one fsync with {@code syncEveryWrite}. */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        writing(() -> {
            append(LogFormat.TYPE_PUT, key, value);
            return null;
        });
    }

    /**
     * Appends a TOMBSTONE if {@code key} is present, and returns whether it was. O(N): finding out
     * whether the key is present is a scan of the whole log; the append itself is O(1). An absent
     * key writes nothing.
     */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        return writing(() -> {
            LogRecord last = LogReplay.lastRecordOf(file, path, writer.end(), key);
            if (last == null || last.isTombstone()) {
                return false;
            }
            append(LogFormat.TYPE_TOMBSTONE, key, new byte[0]);
            return true;
        });
    }

    /** Counts the live keys by replaying the whole log. O(N) reads, O(live keys) memory. */
    @Override
    public long size() {
        return reading(() -> LogReplay.of(file, path, writer.end(), false).liveKeys());
    }

    /** Fsyncs the log if anything was written since the last fsync. One fsync, or none. */
    @Override
    public void sync() {
        writing(() -> {
            if (writer.hasUnsyncedRecords()) {
                syncLog("syncing the log");
            }
            return null;
        });
    }

    /**
     * Returns the live entries as they are at the time of this call: the whole log is replayed
     * into a snapshot map, values included, which the iterator then walks. Writes made after the
     * call are not seen, and the iterator keeps working after the store is closed. O(N) reads and
     * O(live data) memory while the iterator is alive. No promised order.
     */
    @Override
    public CloseableIterator<Entry> iterator() {
        return reading(() -> CloseableIterator.of(LogReplay.of(file, path, writer.end(), true).liveEntries().iterator()));
    }

    /**
     * Replays the whole log and reports keys, records and garbage (superseded records and
     * tombstones, headers included), plus what recovery truncated and how many compactions ran.
     * O(N) reads, O(live keys) memory.
     */
    @Override
    public StoreStats stats() {
        return reading(() -> {
            LogReplay replay = LogReplay.of(file, path, writer.end(), false);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("records", replay.records());
            details.put("tombstones", replay.tombstones());
            details.put("liveBytes", replay.liveBytes());
            details.put("endOfLog", writer.end());
            details.put("tornTailBytesTruncated", tornTailBytesTruncated);
            details.put("repairedBytesTruncated", repairedBytesTruncated);
            details.put("compactions", compactions);
            details.put("syncEveryWrite", options.syncEveryWrite());
            return new StoreStats(NAME, replay.liveKeys(), 1, file.size(), replay.garbageBytes(), details);
        });
    }

    /**
     * Rewrites the log with only its live records (see {@link Compactor} for the crash-safe
     * steps), dropping superseded records and tombstones. Afterwards every record is live and
     * durable. O(N) read, O(live data) written, two fsyncs and a rename.
     */
    public void compact() {
        writing(() -> {
            compactNow(LogReplay.of(file, path, writer.end(), false));
            return null;
        });
    }

    /** Fsyncs unsynced writes, closes the file and releases the lock. Idempotent. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!failure.isSet() && writer.hasUnsyncedRecords()) {
                    syncLog("syncing the log on close");
                }
            } finally {
                try {
                    file.close();
                } finally {
                    Closeables.closeUnchecked(processLock, "the store's lock");
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return NAME + " append-only log " + path;
    }

    /** Runs {@code work} under the shared read lock, on an open store. */
    private <T> T reading(Supplier<T> work) {
        readLock.lock();
        try {
            checkOpen();
            return work.get();
        } finally {
            readLock.unlock();
        }
    }

    /** Runs {@code work} under the exclusive write lock, on an open store that has not failed. */
    private <T> T writing(Supplier<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            failure.check();
            return work.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Appends a record, fsyncs it with {@code syncEveryWrite}, compacts if {@link AutoCompaction} says so. */
    private void append(byte type, byte[] key, byte[] value) {
        try {
            writer.append(type, key, value);
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "appending to the log");
        }
        if (options.syncEveryWrite()) {
            syncLog("syncing the log");
        }
        LogReplay replay = autoCompaction.replayIfWorthCompacting(file, path, writer.end());
        if (replay != null) {
            compactNow(replay);
        }
    }

    private void syncLog(String during) {
        try {
            writer.sync();
        } catch (UncheckedIOException e) {
            throw failure.fail(e, during);
        }
    }

    private void compactNow(LogReplay replay) {
        try {
            long end = Compactor.rewrite(options.vfs(), path, file, replay.liveRecords());
            VfsFile compacted = options.vfs().open(path, false);
            assert compacted.size() == end : "compacted log ends at " + end + ", file at " + compacted.size();
            VfsFile old = file;
            file = compacted;
            writer = new LogWriter(compacted, end); // fsynced whole before its rename, as the writer needs
            compactions++;
            autoCompaction.compacted(end);
            old.close();
        } catch (UncheckedIOException e) {
            throw failure.fail(e, "compacting the log");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException(toString());
        }
    }
}
