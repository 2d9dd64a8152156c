package dev.kvbook.lsm;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures {@link LsmStore#stats()} reports, gathered from the parts that count them: the
 * tree (levels, flushes, compactions, probes), the write queue and the write path (writes,
 * batches, slowed writes), the background thread (stalls) and the block cache (hits, misses).
 *
 * <p>The detail names are read by the CLI, the notebooks and the book; keep them stable.
 */
final class StoreFigures {

    private final Vfs vfs;
    private final Path dir;
    private final Tree tree;
    private final WriteQueue writes;
    private final WritePath writePath;
    private final BackgroundWork background;   // null without background work
    private final BlockCache cache;
    private final long tornTailBytes;

    StoreFigures(Vfs vfs, Path dir, Tree tree, WriteQueue writes, WritePath writePath, BackgroundWork background,
                 BlockCache cache, long tornTailBytes) {
        this.vfs = vfs;
        this.dir = dir;
        this.tree = tree;
        this.writes = writes;
        this.writePath = writePath;
        this.background = background;
        this.cache = cache;
        this.tornTailBytes = tornTailBytes;
    }

    /**
     * The figures, counting the live entries of {@code all} (which this closes): O(n) for the
     * merge, a directory listing and one size per file. Garbage is estimated as the table bytes
     * not taken by a live cell (superseded values, tombstones, and the blocks' own overhead).
     */
    StoreStats collect(CloseableIterator<Entry> all) {
        long live = 0;
        long liveBytes = 0;
        try (all) {
            while (all.hasNext()) {
                Entry e = all.next();
                live++;
                liveBytes += TableFormat.entrySize(e.key().length, e.value().length);
            }
        }
        int files = 0;
        long bytes = 0;
        for (Path file : vfs.list(dir)) {
            if (StoreFiles.isStoreName(file) && !file.getFileName().toString().equals(StoreFiles.LOCK)) {
                try (VfsFile f = vfs.openReadOnly(file)) {
                    bytes += f.size();
                    files++;
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof NoSuchFileException)) {
                        throw e;
                    } // else: a flush or compaction deleted it since the listing; it is not counted
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        long tableBytes = levels(details);
        details.put("memtableBytes", tree.memtable().approximateBytes());
        details.put("sequence", writePath.lastSequence());
        details.put("writes", writes.writes());
        details.put("groupCommitBatches", writes.batches());
        details.put("flushes", tree.flushes.sum());
        details.put("compactions", tree.compactions.sum());
        details.put("bytesFlushed", tree.bytesFlushed.sum());
        details.put("bytesCompacted", tree.bytesCompacted.sum());
        details.put("tableProbes", tree.readStats().tableProbes.sum());
        details.put("bloomSkips", tree.readStats().bloomSkips.sum());
        details.put("blockCacheHits", cache.hits.sum());
        details.put("blockCacheMisses", cache.misses.sum());
        details.put("blockCacheBytes", cache.bytes());
        details.put("writeSlowdowns", writePath.slowdowns.sum());
        details.put("writeStalls", background == null ? 0L : background.stalls.sum());
        details.put("manifestRewrites", tree.manifestRewrites.sum());
        details.put("tornTailBytesTruncated", tornTailBytes);
        return new StoreStats(LsmStore.NAME, live, files, bytes, Math.max(0, tableBytes - liveBytes), details);
    }

    /** Puts "levels" ("L0: 2 tables 4096 B, L1: ...") and "tables" into {@code details}; returns the table bytes. */
    private long levels(Map<String, Object> details) {
        Version version = tree.retainVersion();
        long tableBytes = 0;
        try {
            StringBuilder levels = new StringBuilder();
            for (int n = 0; n < ManifestFormat.MAX_LEVELS; n++) {
                if (!version.level(n).isEmpty()) {
                    levels.append(levels.length() == 0 ? "" : ", ").append("L").append(n).append(": ")
                            .append(version.level(n).size()).append(" tables ").append(version.levelBytes(n)).append(" B");
                    tableBytes += version.levelBytes(n);
                }
            }
            details.put("levels", levels.length() == 0 ? "none" : levels.toString());
            details.put("tables", version.allTables().size());
        } finally {
            version.release();
        }
        return tableBytes;
    }
}
