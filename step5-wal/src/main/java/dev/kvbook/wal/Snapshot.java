package dev.kvbook.wal;

import dev.kvbook.btree.TreeMeta;

/**
 * One committed state of the store, as a reader sees it: the log up to frame {@code maxFrame},
 * over the data file. Because the log is only appended between checkpoints, a snapshot is just
 * a number: page n as of this snapshot is the newest frame of n at or before {@code maxFrame}
 * ({@link WalIndex}), or the data file's copy when the log has none. SQLite calls it the
 * reader's "mxFrame". Immutable; publishing a new one is one volatile write.
 *
 * @param maxFrame  the last frame this state includes (0: only the data file)
 * @param pageCount pages in the database in this state, page 0 included
 * @param meta      the tree's root, height, free list and counts in this state
 */
record Snapshot(int maxFrame, int pageCount, TreeMeta meta) {

    Snapshot {
        assert maxFrame >= 0 && pageCount >= 1 : maxFrame + " " + pageCount;
    }
}
