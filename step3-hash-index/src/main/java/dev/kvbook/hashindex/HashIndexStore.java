package dev.kvbook.hashindex;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogRecord;
import dev.kvbook.applog.LogWriter;
import dev.kvbook.api.vfs.Closeables;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Step 3: a Bitcask-style store. Writes are appended to log segments (step 2's format); an
 * in-memory hash index, the {@link Keydir}, remembers where each key's newest record is. The
 * directory layout is {@link SegmentFormat}; hint files are {@link HintFormat}; merge is
 * {@link Merge}; merging on its own, in a background thread, is {@link BackgroundMerge}.
 *
 * <h2>Costs</h2>
 * {@link #get} is O(1): one keydir lookup and one positional read of exactly the record, its
 * CRC verified. {@link #put} and {@link #delete} are O(1): one append (plus one fsync with
 * {@code syncEveryWrite}); when the active segment has reached the rollover size, the put first
 * seals it (fsync, hint file) and starts a new one. {@link #size} is O(1). The price is memory:
 * every live key and its location stay on the heap ({@code stats().detail("keydirBytesPerKey")}),
 * and the keys have no order, so there are no range scans. {@link #open} reads every hint file
 * (or scans segments without one) to rebuild the keydir. {@link #merge} reclaims garbage.
 *
 * <h2>Durability</h2>
 * With {@code syncEveryWrite} (the default), {@code put} and {@code delete} fsync their record
 * before they return. Without it, a write is durable after the next {@link #sync()},
 * {@link #close()}, rollover or merge. After a crash the store holds exactly a prefix of the
 * writes, including every write acknowledged as durable: sealed segments were fsynced whole
 * before the next one was created, and the active segment's torn tail is cut off at open by
 * step 2's rule (damage before it is reported as {@link CorruptionException}). A crash at any
 * point of a merge leaves the same keys and resurrects no deleted key ({@link Merge}).
 *
 * <h2>Threads, processes, failures</h2>
 * One read/write lock ({@link StoreGuard}): gets, iterators and stats share its read side and
 * run in parallel; writers (put, delete, sync, rollover, close) and a whole merge take its write
 * side. With background merge on, {@link ConcurrentMergeGuard} replaces it: three locks, so that
 * gets and puts go on while a merge copies its records. The keydir has one writer at a time and
 * lock-free readers ({@link Keydir}: a stamped lock, validated optimistic reads), and a record is
 * in the keydir only once it is fully written, so a reader never sees half a record.
 * A lock file {@code LOCK} keeps other processes and handles out. A merge's steps under the
 * guard's locks are {@link MergeRunner}.
 * <p>With background merge on, one more thread ({@link BackgroundMerge}) runs {@link #merge()}
 * when garbage passes a ratio; it takes the same locks as any caller of {@code merge()}, and
 * {@link #close()} waits for it.
 * <p>If a write or fsync fails, the store throws {@link StoreFailedException} and refuses every
 * later write (reads go on); it never retries an fsync. A failed background merge fails the
 * store the same way, and the next write throws. Reopen to recover.
 *
 * <h2>Where its files live</h2>
 * In the directory's real path ({@link StorePaths#storeDirectory}: links followed), named by
 * {@link SegmentFormat}. The parent must exist; a new directory is fsynced into it before anything
 * is written; a directory holding files but no segment is refused, naming them. Only the store's
 * own names are ever deleted ({@link Recovery}); anything else in the directory stays untouched.
 */
public final class HashIndexStore implements KeyValueStore {

    /** The name under which {@link HashIndexStoreProvider} registers this store. */
    public static final String NAME = "step3";

    private static final byte[] NO_VALUE = new byte[0];

    /**
     * How to open the store.
     *
     * @param vfs            the file system to use
     * @param syncEveryWrite fsync each put and delete before returning (durable on return);
     *                       otherwise writes are durable at {@code sync()}, {@code close()},
     *                       rollover or merge
     * @param segmentSize    the rollover size: a segment that has reached it takes no more records
     * @param useHintFiles   write a hint file for each sealed segment and read it at open; off,
     *                       open scans every segment
     * @param mergeGarbageRatio    merge in a background thread once garbage reaches this fraction
     *                             of the bytes on disk; 0 (the default) is off ({@link BackgroundMerge})
     * @param mergeMinGarbageBytes and only once there are at least this many garbage bytes, so a
     *                             small store does not merge over and over
     * @param packedKeydir   keep the keydir in packed arrays ({@link PackedKeydir}, the default:
     *                       about a third of the memory per key) rather than a hash map of
     *                       objects ({@link PlainKeydir}, the idea in its plainest form)
     */
    public record Options(Vfs vfs, boolean syncEveryWrite, long segmentSize, boolean useHintFiles,
                          double mergeGarbageRatio, long mergeMinGarbageBytes, boolean packedKeydir) {

        /** The largest rollover size: record offsets must fit in the keydir's int. */
        public static final long MAX_SEGMENT_SIZE = 1L << 30;

        /** The smallest rollover size, for tests that want many segments. */
        public static final long MIN_SEGMENT_SIZE = 64;

        /** The garbage a background merge waits for unless told otherwise: 1 MiB. */
        public static final long DEFAULT_MERGE_MIN_GARBAGE_BYTES = 1L << 20;

        public Options {
            Objects.requireNonNull(vfs, "vfs");
            if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segmentSize must be in [" + MIN_SEGMENT_SIZE + ", "
                        + MAX_SEGMENT_SIZE + "] bytes, not " + segmentSize);
            }
            BackgroundMerge.checkSettings(mergeGarbageRatio, mergeMinGarbageBytes);
        }

        /** The real disk, every write durable on return, 64 MiB segments, hint files on, no background merge, the packed keydir. */
        public static Options defaults() {
            return new Options(Vfs.local(), true, 64L << 20, true, 0, DEFAULT_MERGE_MIN_GARBAGE_BYTES, true);
        }

        public Options withVfs(Vfs vfs) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, mergeGarbageRatio, mergeMinGarbageBytes, packedKeydir);
        }

        public Options withSyncEveryWrite(boolean syncEveryWrite) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, mergeGarbageRatio, mergeMinGarbageBytes, packedKeydir);
        }

        public Options withSegmentSize(long segmentSize) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, mergeGarbageRatio, mergeMinGarbageBytes, packedKeydir);
        }

        public Options withHintFiles(boolean useHintFiles) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, mergeGarbageRatio, mergeMinGarbageBytes, packedKeydir);
        }

        /**
         * Merge in a background thread once garbage is {@code garbageRatio} of the bytes on disk
         * (in [0, 1); 0 is off) and at least {@link #DEFAULT_MERGE_MIN_GARBAGE_BYTES}.
         */
        public Options withBackgroundMerge(double garbageRatio) {
            return withBackgroundMerge(garbageRatio, DEFAULT_MERGE_MIN_GARBAGE_BYTES);
        }

        /** Merge in a background thread once garbage is {@code garbageRatio} of the bytes on disk and at least {@code minGarbageBytes}. */
        public Options withBackgroundMerge(double garbageRatio, long minGarbageBytes) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, garbageRatio, minGarbageBytes, packedKeydir);
        }

        /** The packed keydir ({@link PackedKeydir}, true) or the plain one ({@link PlainKeydir}, false). */
        public Options withPackedKeydir(boolean packed) {
            return new Options(vfs, syncEveryWrite, segmentSize, useHintFiles, mergeGarbageRatio, mergeMinGarbageBytes, packed);
        }

        /** Whether a background thread merges when garbage passes {@link #mergeGarbageRatio()}. */
        public boolean backgroundMerge() {
            return mergeGarbageRatio > 0;
        }
    }

    private final Path dir;
    private final Options options;
    private final Closeable processLock;
    private final Keydir keydir;
    private final Segments segments;
    private final StoreGuard guard;
    private final Recovery.Result recovered;
    private final ActiveSegment active;
    private final MergeRunner merger;
    private final BackgroundMerge background;

    private HashIndexStore(Path dir, Options options, Closeable processLock, Recovery.Result recovered,
                           Executor mergeRunner) {
        this.dir = dir;
        this.options = options;
        this.guard = StoreGuard.forOptions(options, toString()); // after dir: the name is in every message
        this.processLock = processLock;
        this.recovered = recovered;
        this.keydir = recovered.keydir();
        this.segments = recovered.segments();
        this.active = new ActiveSegment(options.vfs(), dir, options, segments, recovered.nextId());
        this.merger = new MergeRunner(options, dir, keydir, segments, active, guard, mergeRunner);
        this.background = merger.background();
    }

    /** Opens (creating if needed) the store directory {@code dir} with {@link Options#defaults()}. */
    public static HashIndexStore open(Path dir) {
        return open(dir, Options.defaults());
    }

    /**
     * Opens (creating if needed) the store directory {@code dir}: resolves its real path
     * (symbolic links followed), creates it (and fsyncs its parent) or checks it is a store's,
     * takes the lock {@code LOCK}, rebuilds the keydir from hint files and segment scans,
     * truncates the active segment's torn tail ({@link Recovery}). O(hint bytes + bytes of
     * segments without a hint).
     *
     * @throws CorruptionException                 for damage that is not a torn tail
     * @throws dev.kvbook.api.StoreLockedException when the store is already open
     * @throws IllegalArgumentException            when {@code dir} holds files but no store
     * @throws java.io.UncheckedIOException        when the parent of {@code dir} does not exist
     */
    public static HashIndexStore open(Path dir, Options options) {
        return open(dir, options, null);
    }

    /**
     * As {@link #open(Path, Options)}, but background merges run on {@code mergeRunner} instead of
     * a thread of their own ({@code null}: their own thread). The crash tests pass
     * {@code Runnable::run}, which runs them on the writer's thread: one thread, one I/O order.
     */
    static HashIndexStore open(Path dir, Options options, Executor mergeRunner) {
        Objects.requireNonNull(dir, "dir");
        Vfs vfs = options.vfs();
        Path real = StorePaths.storeDirectory(vfs, dir);
        Recovery.prepareDirectory(vfs, real);
        Closeable processLock = vfs.lock(real.resolve(SegmentFormat.LOCK));
        try {
            return new HashIndexStore(real, options, processLock,
                    Recovery.run(vfs, real, options.useHintFiles(), options.packedKeydir()),
                    mergeRunner);
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(processLock, e);
            throw e;
        }
    }

    /** The directory this store keeps its segments in. */
    public Path directory() {
        return dir;
    }

    /**
     * Returns the value stored under {@code key}, or {@code null}. O(1): one keydir lookup and
     * one positional read of the record, CRC verified.
     *
     * @throws CorruptionException when the record is not what the keydir says, naming file and offset
     */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        return reading(() -> {
            Keydir.Location at = keydir.get(key);
            return at == null ? null : readValue(key, at);
        });
    }

    /**
     * Appends a PUT record. O(1): one write (+ one fsync with {@code syncEveryWrite}), maybe a
     * rollover, and with background merge on, an O(1) check that may queue a merge.
     */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        guard.writing(() -> {
            append(LogFormat.TYPE_PUT, key, value);
            return null;
        });
        background.afterWrite(); // outside the write lock: a merge takes the merge lock first
    }

    /** Appends a TOMBSTONE if {@code key} is live; O(1), as {@link #put}. An absent key writes nothing. */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        boolean deleted = guard.writing(() -> {
            if (keydir.get(key) == null) {
                return false;
            }
            append(LogFormat.TYPE_TOMBSTONE, key, NO_VALUE);
            return true;
        });
        background.afterWrite();
        return deleted;
    }

    /** The number of live keys: the keydir's size. O(1). */
    @Override
    public long size() {
        return reading(keydir::size);
    }

    /** Fsyncs the active segment if anything was written since the last fsync. One fsync, or none. */
    @Override
    public void sync() {
        guard.writing(() -> {
            guard.failing("syncing the active segment", () -> {
                active.syncIfNeeded();
                return null;
            });
            return null;
        });
    }

    /**
     * Returns the live entries as they are at the time of this call: every value is read (one
     * positional read per key) into a snapshot list the iterator then walks. Later writes are not
     * seen. O(live data) reads and memory. No promised order.
     */
    @Override
    public CloseableIterator<Entry> iterator() {
        return reading(() -> {
            List<Keydir.Location> locations = new ArrayList<>();
            List<byte[]> keys = new ArrayList<>();
            keydir.forEach((key, at) -> {
                keys.add(key.clone());
                locations.add(at);
            });
            List<Entry> entries = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                entries.add(new Entry(keys.get(i), readValue(keys.get(i), locations.get(i))));
            }
            return CloseableIterator.of(entries.iterator());
        });
    }

    /** Figures from counters kept as the store runs. O(segments). */
    @Override
    public StoreStats stats() {
        return reading(() -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("segments", segments.count());
            details.put("activeSegment", segments.active().id());
            details.put("keydirBytesPerKey", keydir.estimatedBytesPerKey());
            details.put("hintFilesUsed", recovered.hintsUsed());
            details.put("segmentsScannedWithoutHint", recovered.segmentsScannedWithoutHint());
            details.put("tornTailBytesTruncated", recovered.tornTailBytesTruncated());
            details.put("rollovers", active.rollovers());
            details.put("merges", merger.merges());
            details.put("backgroundMerges", background.merges());
            details.put("segmentSize", options.segmentSize());
            details.put("syncEveryWrite", options.syncEveryWrite());
            return new StoreStats(NAME, keydir.size(), segments.files(), segments.bytesOnDisk(),
                    segments.garbageBytes(), details);
        });
    }

    /**
     * Merges every segment into new ones holding only live records, and deletes the old ones
     * ({@link Merge} has the crash-safe protocol). Gets and puts go on while the records are
     * copied. O(bytes on disk) read, O(live bytes) written, a few fsyncs per segment.
     */
    public void merge() {
        merger.merge(); // the steps and their locks: MergeRunner
    }

    /**
     * Stops background merges (waiting for a running one), fsyncs unsynced writes, closes every
     * file and releases the lock. Idempotent.
     */
    @Override
    public void close() {
        try {
            closeFiles();
        } finally {
            // After the locks are released: a queued background merge needs the merge lock to
            // find the store closed and end. Then the thread is gone before close returns.
            background.shutdown();
        }
    }

    /** Close's work under every lock, so that no merge, write or read is under way. */
    private void closeFiles() {
        guard.closeOnce(() -> {
            // Invariant: the O(1) running totals are the sums over the segments.
            assert segments.totalsAgree() : "running totals drifted from the segments' figures";
            try {
                if (!guard.hasFailed()) {
                    guard.failing("syncing the active segment on close", () -> {
                        active.syncIfNeeded();
                        return null;
                    });
                }
            } finally {
                try {
                    segments.closeAll();
                } finally {
                    Closeables.closeUnchecked(processLock, "the store's lock");
                }
            }
        });
    }

    @Override
    public String toString() {
        return NAME + " hash index " + dir;
    }

    /** Reads the record at {@code at} and checks that it is {@code key}'s PUT. One positional read. */
    private byte[] readValue(byte[] key, Keydir.Location at) {
        Segment segment = segments.get(at.segment());
        // Invariant: a key points only into open segments; a merge switches keys away from a
        // segment before it closes it, under the lock this read holds.
        assert segment != null : "keydir points into segment " + at.segment() + ", which is not open";
        LogRecord record = segment.read(at.offset(), at.size());
        if (record.isTombstone() || !Arrays.equals(record.key(), key)) {
            throw new CorruptionException(segment.path(), at.offset(), "record the keydir points at",
                    "a PUT of " + Keys.toDisplay(key), record);
        }
        return record.value();
    }

    /** Appends one record to the active segment (rolling over first if it is full), then indexes it. */
    private void append(byte type, byte[] key, byte[] value) {
        LogWriter.Appended at = guard.failing("appending to the active segment", () -> active.append(type, key, value));
        segments.apply(keydir, segments.active(), type, key, at.offset(), at.size());
    }

    /** Runs {@code work} under the readers' lock, on an open store ({@link StoreGuard#reading}). */
    private <T> T reading(Supplier<T> work) {
        return guard.reading(work);
    }
}
