package dev.kvbook.lsm;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The tree's state and its two maintenance protocols: the memtable, the immutable memtable being
 * flushed, the current {@link Version} of tables, the manifest; {@link #flush()} and
 * {@link #compact}, each readable top to bottom.
 *
 * <h2>Locks</h2>
 * <ul>
 * <li>{@code state} (read/write): guards the triple (memtable, immutable memtable, version), so
 *     a reader sees all three from one moment. Reads hold it shared for the length of a lookup;
 *     a rotation or an install holds it exclusively for a few assignments.</li>
 * <li>{@code maintenance}: one flush or compaction at a time, and the manifest's appends.
 *     A writer never waits for it: rotating the memtable takes only {@code state}, so writes go
 *     on while a long compaction runs.</li>
 * </ul>
 * Order: the store's write lock, then {@code maintenance}, then {@code state}. Nothing waits
 * for a lock earlier in the order while holding a later one.
 */
final class Tree {

    private final Vfs vfs;
    private final Path dir;
    private final LsmStore.Options options;
    private final Compaction compaction;
    private final BlockCache cache;
    private final ReentrantReadWriteLock state = new ReentrantReadWriteLock();
    final ReentrantLock maintenance = new ReentrantLock();
    private final AtomicLong nextFileNumber;
    private final Version.ReadStats readStats = new Version.ReadStats();

    // Guarded by state.
    private Memtable memtable;
    private Memtable immutable;
    private Version version;

    // Guarded by state, written with the immutable memtable.
    private long immutableLogs;   // logs below this hold the immutable memtable (the next logNumber)

    // Guarded by maintenance.
    private Manifest manifest;
    private long logNumber;       // the manifest's: logs below it are flushed

    // Guarded by its own monitor: a rotation adds to it without waiting for a running compaction.
    private final TreeSet<Long> liveLogs;

    final LongAdder flushes = new LongAdder();
    final LongAdder compactions = new LongAdder();
    final LongAdder bytesFlushed = new LongAdder();
    final LongAdder bytesCompacted = new LongAdder();
    final LongAdder manifestRewrites = new LongAdder();

    /** The state recovery found: tables opened in {@code version}, the memtable replayed from {@code liveLogs}. */
    Tree(Vfs vfs, Path dir, LsmStore.Options options, BlockCache cache, Version version, Memtable memtable,
         Manifest manifest, long logNumber, TreeSet<Long> liveLogs, long nextFileNumber) {
        this.vfs = vfs;
        this.cache = cache;
        this.dir = dir;
        this.options = options;
        this.compaction = new Compaction(options);
        this.version = version;
        this.memtable = memtable;
        this.manifest = manifest;
        this.logNumber = logNumber;
        this.liveLogs = liveLogs;
        this.nextFileNumber = new AtomicLong(nextFileNumber);
    }

    /** A new number for a file: a log, a table or a manifest. */
    long newFileNumber() {
        return nextFileNumber.getAndIncrement();
    }

    // ---- reading --------------------------------------------------------------------------

    /**
     * The current cell for {@code key}: memtable, immutable memtable, then the tables level by
     * level. {@code null} when no part of the tree has the key.
     */
    Cell get(byte[] key) {
        state.readLock().lock();
        try {
            Cell cell = memtable.get(key, Long.MAX_VALUE);
            if (cell == null && immutable != null) {
                cell = immutable.get(key, Long.MAX_VALUE);
            }
            return cell != null ? cell : version.get(key, readStats);
        } finally {
            state.readLock().unlock();
        }
    }

    /** What an iterator reads: sources newest first, and the version it holds (release it when done). */
    record View(List<Iterator<Cell>> sources, Version version) {
    }

    /** Sources for the cells in {@code [from, to)} as of sequence {@code snapshot}; retains the version. */
    View view(byte[] from, byte[] to, long snapshot) {
        state.readLock().lock();
        try {
            List<Iterator<Cell>> sources = new ArrayList<>();
            sources.add(memtable.cells(from, to, snapshot));
            if (immutable != null) {
                sources.add(immutable.cells(from, to, snapshot));
            }
            version.retain();
            sources.addAll(version.iterators(from, to));
            return new View(sources, version);
        } finally {
            state.readLock().unlock();
        }
    }

    /** The current version, retained: the caller releases it. */
    Version retainVersion() {
        state.readLock().lock();
        try {
            version.retain();
            return version;
        } finally {
            state.readLock().unlock();
        }
    }

    Memtable memtable() {
        state.readLock().lock();
        try {
            return memtable;
        } finally {
            state.readLock().unlock();
        }
    }

    boolean hasImmutable() {
        state.readLock().lock();
        try {
            return immutable != null;
        } finally {
            state.readLock().unlock();
        }
    }

    int level0Tables() {
        state.readLock().lock();
        try {
            return version.level(0).size();
        } finally {
            state.readLock().unlock();
        }
    }

    Version.ReadStats readStats() {
        return readStats;
    }

    // ---- the write side's hand-over ------------------------------------------------------------

    /**
     * Makes the memtable immutable and starts an empty one, whose writes go to the new log
     * {@code newLogNumber} (created and durable by now). Precondition: no immutable memtable.
     */
    void rotate(long newLogNumber) {
        synchronized (liveLogs) {
            liveLogs.add(newLogNumber);
        }
        state.writeLock().lock();
        try {
            assert immutable == null : "a second immutable memtable";
            immutable = memtable;
            memtable = new Memtable();
            immutableLogs = newLogNumber;
        } finally {
            state.writeLock().unlock();
        }
    }

    // ---- the flush protocol --------------------------------------------------------------------

    /**
     * Flushes the immutable memtable into a new level-0 table. Holds the maintenance lock.
     * <ol>
     * <li>Write the table, every cell of the memtable (tombstones too), and fsync it.</li>
     * <li>Fsync the directory, so the table's name is durable before any edit names it.</li>
     * <li>Append the edit (the table added at level 0; the log number moved past the logs the
     *     memtable came from) and fsync it: from here on the table, not those logs, holds the
     *     writes.</li>
     * <li>Install the new version and drop the immutable memtable, in one step for readers.</li>
     * <li>Delete the flushed logs. A crash before this leaves them for open to delete: they are
     *     below the log number, so nothing replays them.</li>
     * </ol>
     * Cost: the memtable written once, three fsyncs.
     */
    void flush() {
        maintenance.lock();
        try {
            Memtable frozen;
            long flushedBelow;
            state.readLock().lock();
            try {
                frozen = immutable;
                flushedBelow = immutableLogs;
            } finally {
                state.readLock().unlock();
            }
            if (frozen == null) {
                return;
            }
            Map<Long, Table> opened = new HashMap<>();
            List<VersionEdit.Added> added = new ArrayList<>();
            if (!frozen.isEmpty()) {
                TableWriter out = newTable();
                TableInfo info;
                try {
                    frozen.cells(null, null, Long.MAX_VALUE).forEachRemaining(out::add);
                    info = out.finish();
                } catch (RuntimeException e) {
                    out.abandon(e);
                    throw e;
                }
                vfs.syncDirectory(dir);
                opened.put(info.number(), openTable(info));
                added.add(new VersionEdit.Added(0, info));
                bytesFlushed.add(info.size());
            }
            VersionEdit edit = new VersionEdit(flushedBelow, nextFileNumber.get(), List.of(), added);
            appendOrRelease(edit, opened);
            logNumber = flushedBelow;
            install(edit, opened, true);
            flushes.increment();
            deleteLogsBelow(logNumber);
            rewriteManifestIfLarge();
        } finally {
            maintenance.unlock();
        }
    }

    // ---- the compaction protocol ---------------------------------------------------------------

    /**
     * Runs compactions while {@link Compaction#pick} finds one needed. Holds the maintenance lock.
     * Returns how many ran.
     */
    int compactWhileNeeded() {
        maintenance.lock();
        try {
            int ran = 0;
            for (Compaction.Plan plan = compaction.pick(currentVersion()); plan != null;
                 plan = compaction.pick(currentVersion())) {
                compact(plan);
                ran++;
            }
            return ran;
        } finally {
            maintenance.unlock();
        }
    }

    /** Merges every table into the deepest level in use (dropping every tombstone). */
    void compactFully() {
        maintenance.lock();
        try {
            Compaction.Plan plan = Compaction.full(currentVersion());
            if (plan != null) {
                compact(plan);
            }
        } finally {
            maintenance.unlock();
        }
    }

    /**
     * One compaction. Holds the maintenance lock.
     * <ol>
     * <li>Merge the inputs into new tables at the output level, each fsynced.</li>
     * <li>Fsync the directory: the new names are durable before an edit names them.</li>
     * <li>Append the edit (inputs removed, outputs added) and fsync it: the switch from the old
     *     tables to the new is this one durable record.</li>
     * <li>Mark the inputs obsolete and install the new version. Each input is deleted when the
     *     last reader holding an older version lets go of it; a crash first leaves them for open
     *     to delete, as no edit names them any more.</li>
     * </ol>
     * Cost: the inputs read once and the outputs written once, fsyncs per output plus two.
     */
    private void compact(Compaction.Plan plan) {
        assert maintenance.isHeldByCurrentThread();
        Version base = currentVersion();
        List<TableInfo> outputs = Compaction.run(plan, base, options.tableBytes(), this::newTable);
        Map<Long, Table> opened = new HashMap<>();
        List<VersionEdit.Added> added = new ArrayList<>();
        if (!outputs.isEmpty()) {
            vfs.syncDirectory(dir);
        }
        for (TableInfo info : outputs) {
            opened.put(info.number(), openTable(info));
            added.add(new VersionEdit.Added(plan.outputLevel(), info));
            bytesCompacted.add(info.size());
        }
        List<VersionEdit.Removed> removed = new ArrayList<>();
        for (int i = 0; i < plan.inputs().size(); i++) {
            removed.add(new VersionEdit.Removed(plan.inputLevels().get(i), plan.inputs().get(i).number()));
        }
        VersionEdit edit = new VersionEdit(logNumber, nextFileNumber.get(), removed, added);
        appendOrRelease(edit, opened);
        plan.inputs().forEach(Table::markObsolete);
        install(edit, opened, false);
        compactions.increment();
        rewriteManifestIfLarge();
    }

    // ---- steps shared by both protocols -------------------------------------------------------

    private TableWriter newTable() {
        long number = newFileNumber();
        Path path = StoreFiles.table(dir, number);
        VfsFile file = vfs.open(path, true);
        return new TableWriter(file, path, number, options.blockBytes(), options.bloomBitsPerKey());
    }

    private Table openTable(TableInfo info) {
        Path path = StoreFiles.table(dir, info.number());
        return Table.open(vfs, cache, vfs.open(path, false), path, info);
    }

    /** Appends {@code edit} durably; if that fails, closes the tables opened for it (they stay garbage). */
    private void appendOrRelease(VersionEdit edit, Map<Long, Table> opened) {
        try {
            manifest.append(edit);
        } catch (RuntimeException e) {
            opened.values().forEach(Table::release);
            throw e;
        }
    }

    /** Swaps in the version after {@code edit} (and drops the immutable memtable), then releases the old one. */
    private void install(VersionEdit edit, Map<Long, Table> opened, boolean dropImmutable) {
        Version old;
        state.writeLock().lock();
        try {
            old = version;
            version = old.apply(edit, opened);
            if (dropImmutable) {
                immutable = null;
            }
        } finally {
            state.writeLock().unlock();
        }
        opened.values().forEach(Table::release); // the version holds them now
        old.release();
    }

    private Version currentVersion() {
        state.readLock().lock();
        try {
            return version;
        } finally {
            state.readLock().unlock();
        }
    }

    private void deleteLogsBelow(long number) {
        List<Long> flushed = new ArrayList<>();
        synchronized (liveLogs) {
            while (!liveLogs.isEmpty() && liveLogs.first() < number) {
                flushed.add(liveLogs.pollFirst());
            }
        }
        for (long log : flushed) {
            vfs.delete(StoreFiles.log(dir, log));
        }
    }

    /** Starts a new manifest holding one snapshot edit when the current one has grown past its limit. */
    private void rewriteManifestIfLarge() {
        if (manifest.size() > options.manifestRewriteBytes()) {
            rewriteManifest();
        }
    }

    /**
     * Starts a new manifest with a snapshot of the current version, points CURRENT at it, and
     * deletes the old one ({@link Manifest#start}). Holds the maintenance lock.
     */
    void rewriteManifest() {
        maintenance.lock();
        try {
            long number = newFileNumber();
            Manifest next = Manifest.start(vfs, dir, number, currentVersion().snapshot(logNumber, nextFileNumber.get()));
            Manifest old = manifest;
            manifest = next;
            manifestRewrites.increment();
            old.close();
            vfs.delete(old.path());
        } finally {
            maintenance.unlock();
        }
    }

    /** Appends the counters-only edit a clean close ends the manifest with (ManifestFormat, invariant 4). */
    void appendCloseMarker() {
        maintenance.lock();
        try {
            manifest.append(VersionEdit.counters(logNumber, nextFileNumber.get()));
        } finally {
            maintenance.unlock();
        }
    }

    long logNumber() {
        return logNumber;
    }

    long manifestNumber() {
        return manifest.number();
    }

    long manifestBytes() {
        return manifest.size();
    }

    List<Long> liveLogs() {
        synchronized (liveLogs) {
            return List.copyOf(liveLogs);
        }
    }

    /** Closes the manifest and releases the store's hold on the current version (closing its tables). */
    void close() {
        RuntimeException failure = null;
        try {
            manifest.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            currentVersion().release();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
