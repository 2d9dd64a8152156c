package dev.kvbook.lsm;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Step 6: a log-structured merge tree. Writes go to a log (step 2's format) and a sorted
 * memtable in memory; a full memtable is written out as a sorted table, and tables are merged
 * level by level in the background. Nothing on disk is ever changed in place.
 *
 * <h2>Reading the source</h2>
 * The idea is in {@link Memtable} (writes sorted in memory, with sequence numbers) and
 * {@link Compaction} (tables merged a level down); the protocols in {@link Tree#flush()} and
 * {@code Tree.compact}; the write path in {@link WritePath}. The formats: {@link TableFormat},
 * {@link ManifestFormat}. Beside them, named optimisations: {@link BloomFilter},
 * {@link BlockCache}, {@link WriteQueue} (group commit), {@link BackgroundWork}. The figures
 * {@link #stats()} reports are gathered in {@link StoreFigures}.
 *
 * <h2>Costs</h2>
 * put and delete: one log append (and an fsync shared with concurrent writers) plus an O(log n)
 * memtable insert; delete also does a get, to say whether the key was there. get: the memtables,
 * then every level-0 table whose range holds the key and one table per deeper level, each asked
 * its Bloom filter first, and one block read per table that may hold the key, unless the block
 * cache holds the block. scan: a merge of
 * every source. size(): a full merge, O(n), since an LSM tree does not know how many of its
 * cells are live without reading them.
 *
 * <h2>Durability</h2>
 * With {@code syncEveryWrite} (the default), a put or delete is in the log and fsynced when it
 * returns. Without it, it is in the log (the page cache) and {@link #sync()} or {@link #close()}
 * makes it durable. Flushes and compactions are crash-safe at every step (their protocols say
 * why): a crash in either loses nothing and resurrects nothing.
 *
 * <h2>Threads</h2>
 * Safe for many threads. Writers queue in a {@link WriteQueue}, whose leader writes a batch
 * under the write lock ({@link WritePath}). Reads take no lock but the tree's state lock, shared, for the length of
 * a lookup. Iterators read a snapshot: the memtable as of a sequence number, and the set of
 * tables (a {@link Version}) as of their start, whatever flushes and compactions do meanwhile.
 * Close them. One flush or compaction runs at a time.
 */
public final class LsmStore implements OrderedKeyValueStore {

    /** The store's name everywhere: CLI, benchmarks, stats, messages. */
    public static final String NAME = "step6";

    /**
     * How the store is opened.
     *
     * @param vfs                     where its files live
     * @param syncEveryWrite          fsync the log before each write returns (group-committed)
     * @param memtableBytes           the memtable size at which it is flushed to a table
     * @param blockBytes              the data block size in tables
     * @param bloomBitsPerKey         Bloom filter bits per key (10: about 1% false positives)
     * @param blockCacheBytes         the {@link BlockCache}'s size: blocks gets read, kept in memory; 0 = off
     * @param tableBytes              the size at which compaction starts a new output table
     * @param level0CompactionTrigger level-0 tables that start a compaction into level 1
     * @param level0SlowdownWrites    level-0 tables from which each write batch waits 1 ms ({@link WritePath})
     * @param level0StopWrites        level-0 tables at which writers wait for compaction
     * @param levelBaseBytes          level 1's size limit
     * @param levelSizeRatio          each deeper level's limit over the one above
     * @param manifestRewriteBytes    the manifest size at which a new one is started
     * @param backgroundCompaction    flush and compact on a background thread (else on the writer's)
     */
    public record Options(Vfs vfs, boolean syncEveryWrite, long memtableBytes, int blockBytes, int bloomBitsPerKey,
                          long blockCacheBytes, long tableBytes, int level0CompactionTrigger, int level0SlowdownWrites,
                          int level0StopWrites, long levelBaseBytes, int levelSizeRatio, long manifestRewriteBytes,
                          boolean backgroundCompaction) {

        public Options {
            if (vfs == null) {
                throw new NullPointerException("vfs");
            }
            if (memtableBytes < 1 || blockBytes < 1 || tableBytes < 1 || levelBaseBytes < 1 || manifestRewriteBytes < 1) {
                throw new IllegalArgumentException("sizes must be positive: memtable " + memtableBytes + ", block "
                        + blockBytes + ", table " + tableBytes + ", level base " + levelBaseBytes + ", manifest "
                        + manifestRewriteBytes);
            }
            if (blockCacheBytes < 0) {
                throw new IllegalArgumentException("the block cache's size must be 0 (off) or more bytes, not "
                        + blockCacheBytes);
            }
            if (bloomBitsPerKey < 1 || bloomBitsPerKey > 64) {
                throw new IllegalArgumentException("Bloom bits per key must be 1 to 64, not " + bloomBitsPerKey);
            }
            // A slowdown below the trigger would slow writes down for good: level 0 would never compact below it.
            if (level0CompactionTrigger < 1 || level0SlowdownWrites < level0CompactionTrigger
                    || level0StopWrites < level0SlowdownWrites) {
                throw new IllegalArgumentException("need 1 <= level0CompactionTrigger <= level0SlowdownWrites <= "
                        + "level0StopWrites, not " + level0CompactionTrigger + ", " + level0SlowdownWrites + " and "
                        + level0StopWrites);
            }
            if (levelSizeRatio < 2) {
                throw new IllegalArgumentException("the level size ratio must be at least 2, not " + levelSizeRatio);
            }
        }

        /** 4 MiB memtables, 4 KiB blocks, 10 bits per key, a 32 MiB block cache (RocksDB's default), 2 MiB tables, level 0 compacted
         *  at 4 tables, slowing writes at 8 and stopping them at 12 (LevelDB's figures), level 1 at 10 MiB with a
         *  ratio of 10, every write durable, background on. */
        public static Options defaults() {
            return new Options(Vfs.local(), true, 4 << 20, 4096, 10, 32 << 20, 2 << 20, 4, 8, 12, 10L << 20, 10, 1 << 20,
                    true);
        }

        public Options withVfs(Vfs v) {
            return new Options(v, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes,
                    tableBytes, level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes,
                    levelSizeRatio, manifestRewriteBytes, backgroundCompaction);
        }

        public Options withSyncEveryWrite(boolean s) {
            return new Options(vfs, s, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes, tableBytes,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        public Options withMemtableBytes(long m) {
            return new Options(vfs, syncEveryWrite, m, blockBytes, bloomBitsPerKey, blockCacheBytes, tableBytes,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        public Options withBlockBytes(int b) {
            return new Options(vfs, syncEveryWrite, memtableBytes, b, bloomBitsPerKey, blockCacheBytes, tableBytes,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        public Options withBloomBitsPerKey(int b) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, b, blockCacheBytes, tableBytes,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        /** The block cache's size in bytes; 0 turns it off. */
        public Options withBlockCacheBytes(long c) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, c, tableBytes,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        public Options withTableBytes(long t) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes, t,
                    level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        /** Level 0's three thresholds: start compacting, slow each write down, stop writes. */
        public Options withLevel0(int compactionTrigger, int slowdownWrites, int stopWrites) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes,
                    tableBytes, compactionTrigger, slowdownWrites, stopWrites, levelBaseBytes, levelSizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        /** Level 0's compaction trigger and stop; no slowdown band (it slows writes from the stop count on). */
        public Options withLevel0(int compactionTrigger, int stopWrites) {
            return withLevel0(compactionTrigger, stopWrites, stopWrites);
        }

        public Options withLevels(long baseBytes, int sizeRatio) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes,
                    tableBytes, level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, baseBytes, sizeRatio,
                    manifestRewriteBytes, backgroundCompaction);
        }

        public Options withManifestRewriteBytes(long m) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes,
                    tableBytes, level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes,
                    levelSizeRatio, m, backgroundCompaction);
        }

        public Options withBackgroundCompaction(boolean b) {
            return new Options(vfs, syncEveryWrite, memtableBytes, blockBytes, bloomBitsPerKey, blockCacheBytes,
                    tableBytes, level0CompactionTrigger, level0SlowdownWrites, level0StopWrites, levelBaseBytes,
                    levelSizeRatio, manifestRewriteBytes, b);
        }
    }

    private final Vfs vfs;
    private final Path dir;
    private final Closeable lock;
    private final FailureLatch latch;
    private final BlockCache cache;
    private final Tree tree;
    private final WriteQueue writes = new WriteQueue();
    private final BackgroundWork background;
    private final WritePath writePath;
    private final StoreFigures figures;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LsmStore(Path dir, Options options, Closeable lock, BlockCache cache, Recovery.Result found) {
        this.vfs = options.vfs();
        this.dir = dir;
        this.lock = lock;
        this.latch = new FailureLatch(dir.toString());
        this.cache = cache;
        this.tree = new Tree(vfs, dir, options, cache, found.version(), found.memtable(), found.manifest(),
                found.logNumber(), found.liveLogs(), found.nextFileNumber());
        this.background = options.backgroundCompaction() ? new BackgroundWork(this::maintainInBackground) : null;
        this.writePath = new WritePath(vfs, dir, options, tree, latch, background, this::checkOpen, found.activeLog(),
                found.activeLogEnd(), found.lastSequence());
        this.figures = new StoreFigures(vfs, dir, tree, writes, writePath, background, cache, found.tornTailBytes());
    }

    /** Opens (creating if needed) the store in the directory {@code path} with default options. */
    public static LsmStore open(Path path) {
        return open(path, Options.defaults());
    }

    /**
     * Opens (creating if needed) the store in the directory {@code path}: takes the lock, runs
     * {@link Recovery}, flushes a memtable recovered from more than one log, and deletes what no
     * manifest edit names. O(live logs + manifest + table metadata).
     *
     * @throws dev.kvbook.api.StoreLockedException when the store is open elsewhere
     * @throws CorruptionException                  when a file is damaged
     */
    public static LsmStore open(Path path, Options options) {
        Vfs vfs = options.vfs();
        Path dir = StorePaths.storeDirectory(vfs, path);
        Recovery.prepareDirectory(vfs, dir);
        Closeable lock = vfs.lock(dir.resolve(StoreFiles.LOCK));
        BlockCache cache = new BlockCache(options.blockCacheBytes());
        LsmStore store = null;
        try {
            store = new LsmStore(dir, options, lock, cache, Recovery.run(vfs, dir, cache));
            if (store.tree.liveLogs().size() > 1) {
                store.flush(); // the writes of several logs: into a table, so that one log is live again
            }
            Version version = store.tree.retainVersion();
            try {
                Recovery.removeGarbage(vfs, dir, version, store.tree.logNumber(), store.tree.manifestNumber());
            } finally {
                version.release();
            }
            return store;
        } catch (RuntimeException | Error e) {
            if (store != null) {
                store.closeAfterFailedOpen(e);
            } else {
                closeQuietly(lock, e);
            }
            throw e;
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** Returns a copy of the value under {@code key}, or {@code null}. Costs: see the class comment. */
    @Override
    public byte[] get(byte[] key) {
        Limits.checkKey(key);
        checkOpen();
        Cell cell = tree.get(key);
        return cell == null || cell.isTombstone() ? null : cell.value().clone();
    }

    /** Iterates over the live entries in {@code [from, to)} in key order, as of now (a snapshot). */
    @Override
    public CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive) {
        Limits.checkBound(fromInclusive);
        Limits.checkBound(toExclusive);
        checkOpen();
        if (fromInclusive != null && toExclusive != null && Keys.COMPARATOR.compare(fromInclusive, toExclusive) >= 0) {
            return CloseableIterator.empty();
        }
        return liveCells(fromInclusive, toExclusive);
    }

    @Override
    public CloseableIterator<Entry> iterator() {
        return scan(null, null);
    }

    /** Counts the live keys: a full merge of every source, O(n). */
    @Override
    public long size() {
        checkOpen();
        long count = 0;
        try (CloseableIterator<Entry> all = liveCells(null, null)) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    /** The live entries in {@code [from, to)} as of now: the tree's view at the last finished write's sequence. */
    private CloseableIterator<Entry> liveCells(byte[] from, byte[] to) {
        return new LiveEntries(tree.view(from, to, writePath.lastSequence()));
    }

    // ---- writes --------------------------------------------------------------------------------

    /** Stores {@code value} under {@code key}: a log append (fsynced by default) and a memtable insert. */
    @Override
    public void put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        checkOpen();
        writes.submit(new WriteQueue.Write(key.clone(), value.clone()), writePath::write);
    }

    /** Deletes {@code key}: a get, and when the key is there, a tombstone appended and inserted. */
    @Override
    public boolean delete(byte[] key) {
        Limits.checkKey(key);
        checkOpen();
        WriteQueue.Write delete = new WriteQueue.Write(key.clone(), null);
        writes.submit(delete, writePath::write);
        return delete.found;
    }

    /** Makes every write so far durable: one fsync of the log when anything is unsynced. */
    @Override
    public void sync() {
        checkOpen();
        writePath.sync();
    }

    /** The background thread's work: flush the immutable memtable, then compact while needed. */
    private void maintainInBackground() {
        try {
            tree.flush();
            tree.compactWhileNeeded();
        } catch (CorruptionException e) {
            latch.set(e);
        } catch (RuntimeException | Error e) {
            latch.fail(e, "a background flush or compaction");
        }
    }

    // ---- maintenance ----------------------------------------------------------------------------

    /**
     * Writes the memtable out as a level-0 table now, on this thread, and waits for it: rotate,
     * then {@link Tree#flush()}. Nothing happens when the memtable is empty. O(memtable).
     */
    public void flush() {
        checkOpen();
        if (writePath.rotateForFlush()) {
            maintain(tree::flush, "a flush");
        }
    }

    /**
     * A full compaction: flushes the memtable, then merges every table into the deepest level in
     * use, dropping every tombstone and every superseded value. O(data).
     */
    public void compact() {
        flush();
        maintain(tree::compactFully, "a compaction");
    }

    private void maintain(Runnable step, String what) {
        try {
            step.run();
        } catch (CorruptionException e) {
            throw latch.set(e);
        } catch (RuntimeException e) {
            throw latch.fail(e, what);
        } finally {
            if (background != null) {
                background.signal();
            }
        }
    }

    // ---- figures and closing ---------------------------------------------------------------------

    /**
     * Figures: live keys (a full merge, O(n)), files and their bytes, and the counters of the
     * parts ({@link StoreFigures} names them): flushes, compactions, table probes and Bloom skips,
     * block cache hits and misses, slowed and stalled writes.
     */
    @Override
    public StoreStats stats() {
        checkOpen();
        return figures.collect(liveCells(null, null));
    }

    /**
     * Waits for background work, fsyncs the log, ends the manifest with a counters-only edit (so
     * damage to its last real edit stays detectable), closes every file and releases the lock.
     * Idempotent. The memtable is not flushed: the next open replays the log.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (background != null) {
            background.close();
        }
        RuntimeException failure = closeFiles(writePath.finish());
        if (failure != null) {
            throw failure;
        }
    }

    private RuntimeException closeFiles(RuntimeException failure) {
        for (Runnable step : new Runnable[] {writePath::closeLog, tree::close, () -> closeUnchecked(lock)}) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    private void closeAfterFailedOpen(Throwable cause) {
        closed.set(true);
        if (background != null) {
            background.close();
        }
        RuntimeException failure = closeFiles(null);
        if (failure != null) {
            cause.addSuppressed(failure);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException(NAME + " store " + dir);
        }
    }

    /** The store's directory (its real path). */
    public Path directory() {
        return dir;
    }

    private static void closeUnchecked(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot release the lock", e);
        }
    }

    private static void closeQuietly(Closeable c, Throwable cause) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
