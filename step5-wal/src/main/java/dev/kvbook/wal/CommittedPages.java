package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.btree.Page;

/**
 * Where a committed page version comes from: the log, when the WAL index has a frame of the page
 * within the snapshot, else the data file. Both through one {@link PageCache}.
 *
 * <p>This is the read path that makes the data file "a cache of the log": the newest committed
 * version of a page is in the log until a checkpoint copies it, and the data file's copy is only
 * read for pages no transaction has changed since the last checkpoint.
 *
 * <p>Thread-safe. Must not run during a checkpoint, which rewrites the data file and restarts
 * the log (the store's checkpoint lock sees to that).
 */
final class CommittedPages {

    private final DataFile data;
    private final Wal wal; // restarts in place after a checkpoint: the same object all along
    private final WalIndex index;
    private final PageCache cache;

    CommittedPages(DataFile data, Wal wal, WalIndex index, PageCache cache) {
        this.data = data;
        this.wal = wal;
        this.index = index;
        this.cache = cache;
    }

    /**
     * Page {@code number} as of {@code snapshot}, read-only and shared. One index lookup, and on a
     * cache miss one read (a frame or a data page), checksummed.
     */
    Page read(Snapshot snapshot, int number) {
        if (number < 1 || number >= snapshot.pageCount()) {
            throw new CorruptionException(data.path(), -1, "page number", "1 to " + (snapshot.pageCount() - 1), number);
        }
        int frame = index.find(number, snapshot.maxFrame());
        long key = frame > 0 ? PageCache.frameKey(frame) : PageCache.dataKey(number);
        Page page = cache.get(key);
        if (page == null) {
            page = frame > 0 ? wal.read(frame, number) : data.read(number);
            cache.put(key, page);
        }
        return page;
    }

    /**
     * Notes that {@code frame} of the log holds this version of {@code page}: indexes it, and
     * offers it to the cache so readers need not read it back. Readers find it only once a
     * published snapshot reaches {@code frame}. O(1).
     */
    void logged(int frame, Page page) {
        index.add(page.number(), frame);
        cache.put(PageCache.frameKey(frame), page);
    }

    /** After a checkpoint restarted the log: no page has a frame any more, and cached frames are gone. */
    void forgetLog() {
        index.clear();
        cache.clear();
    }

    /** The WAL index: page number to frames (a checkpoint lists the pages to copy). */
    WalIndex index() {
        return index;
    }

    /** The data file (a checkpoint writes it). */
    DataFile data() {
        return data;
    }

    int pageSize() {
        return data.pageSize();
    }

    java.nio.file.Path file() {
        return data.path();
    }
}
