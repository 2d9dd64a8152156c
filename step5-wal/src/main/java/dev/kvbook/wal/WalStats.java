package dev.kvbook.wal;

import dev.kvbook.api.StoreStats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link WalStore#stats()} reports: the common figures (keys, files, bytes on disk, free
 * bytes) and the log's own story in {@code details}, in this order:
 *
 * <table>
 *   <caption>step 5's details</caption>
 *   <tr><th>key</th><th>what it counts, and what it tells</th></tr>
 *   <tr><td>walBytes, walFrames</td><td>the log's size (header + frames): how near the next automatic checkpoint is</td></tr>
 *   <tr><td>walPages</td><td>distinct pages with a version in the log: what the next checkpoint copies</td></tr>
 *   <tr><td>commits</td><td>transactions appended to the log since open (empty ones write nothing and do not count)</td></tr>
 *   <tr><td>checkpoints</td><td>automatic and on-demand checkpoints since open</td></tr>
 *   <tr><td>walSyncs</td><td>fsyncs of the log, log restarts included</td></tr>
 *   <tr><td>groupCommitBatches, commitsPerSync</td><td>fsyncs that made commits durable, and commits per such
 *       fsync: group commit at work when above 1</td></tr>
 *   <tr><td>recoveredCommits, tailBytesTruncated</td><td>what the last open found in the log: the commits it
 *       replayed, and the bytes after the last commit that it cut off. Those are a torn frame, a
 *       transaction that never committed, or frames left from before a checkpoint restarted the log
 *       (whichever they are, none is committed data). Both 0 when the
 *       last close checkpointed</td></tr>
 *   <tr><td>height, pages, pageSize</td><td>the tree, as of the published snapshot</td></tr>
 *   <tr><td>cacheHits, cacheMisses</td><td>page cache lookups: misses are the page reads that reached a file</td></tr>
 *   <tr><td>groupCommit</td><td>the option, as opened</td></tr>
 * </table>
 *
 * <p>Why a class of its own: the figures come from every part of the store, and gathering them is
 * not part of how the store works. Tests and {@code CommitThroughput} read the keys: keep them stable.
 * Cost: O(1), a few short locks; the figures are read one by one, not as one atomic picture.
 */
final class WalStats {

    private final Committer committer;
    private final Wal wal;
    private final WalIndex index;
    private final DataFile data;
    private final PageCache cache;
    private final Recovery.Scan recovered;
    private final boolean groupCommit;

    WalStats(Committer committer, Wal wal, WalIndex index, DataFile data, PageCache cache,
             Recovery.Scan recovered, boolean groupCommit) {
        this.committer = committer;
        this.wal = wal;
        this.index = index;
        this.data = data;
        this.cache = cache;
        this.recovered = recovered;
        this.groupCommit = groupCommit;
    }

    /** The figures now: the tree's as of the published snapshot, the counters as they stand. */
    StoreStats report() {
        Snapshot now = committer.published();
        long commits = committer.commits();
        long batches = committer.batches();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("walBytes", wal.bytes());
        details.put("walFrames", wal.appendedFrames());
        details.put("walPages", index.pageCount());
        details.put("commits", commits);
        details.put("checkpoints", committer.checkpoints());
        details.put("walSyncs", wal.syncs());
        details.put("groupCommitBatches", batches);
        details.put("commitsPerSync", batches == 0 ? 0.0 : Math.round(100.0 * commits / batches) / 100.0);
        details.put("recoveredCommits", recovered.commits());
        details.put("tailBytesTruncated", recovered.tail().bytes());
        details.put("height", now.meta().height());
        details.put("pages", now.pageCount());
        details.put("pageSize", data.pageSize());
        details.put("cacheHits", cache.hits());
        details.put("cacheMisses", cache.misses());
        details.put("groupCommit", groupCommit);
        long dataBytes = data.size();
        return new StoreStats(WalStoreProvider.NAME, now.meta().keyCount(), 2, dataBytes + wal.bytes(),
                (long) now.meta().freePages() * data.pageSize(), details);
    }
}
