package dev.kvbook.wal;

import dev.kvbook.btree.Page;

/**
 * The checkpoint: copies the newest committed version of every page in the log into the data
 * file, then starts the log afresh. This is the only code that writes the data file.
 *
 * <p>In order, with what a crash at each point leaves:
 * <ol>
 *   <li>Write every page version the log holds into its place in the data file (pages not in the
 *       log are already there). <i>Crash:</i> the data file is a mix, but every page being
 *       written is still in the log, and its header still names the old generation, so recovery
 *       reads those pages from the log. Torn page writes do not matter for the same reason.</li>
 *   <li>fsync the data file. Now the pages are durable.</li>
 *   <li>Write the header (root, counts, page count) twice, each copy fsynced ({@link DataFile}).
 *       <i>Crash during the first:</i> the old header stays the newest valid one, the log is still
 *       live: as in 1. <i>After it:</i> the header's sequence is newer than the log's generation,
 *       so recovery knows the log is copied and restarts it.</li>
 *   <li>Restart the log under the new header's sequence, with a new salt: header, fsync
 *       ({@link Wal#restart}). The old frames stay behind the header, to be overwritten: the log's
 *       blocks are reused, not given back. <i>Crash:</i> an old log, or a new header over old
 *       frames whose generation and salt no longer match: nothing is replayed twice, nothing is
 *       lost.</li>
 * </ol>
 * Cost: one read and one write per page in the log, three fsyncs of the data file, one of the log.
 *
 * <p>Preconditions ({@link Committer#checkpoint} establishes them): no transaction is open (the
 * writer lock), no commit is in flight and every appended one is durable and published
 * ({@link GroupCommit#awaitQuiet}), and no reader is reading (the readers' lock).
 */
final class Checkpointer {

    private Checkpointer() {
    }

    /**
     * Copies the log into the data file (steps 1 to 3). Returns the new header sequence, or -1
     * when the log holds nothing to copy.
     */
    static long copyToDataFile(Snapshot committed, CommittedPages pages) {
        // BUILD:BEGIN step5.build-recovery — Checkpoint: copy the committed pages into the data file and make its new header durable
        // LAB:BEGIN step5.checkpoint-copy — Checkpoint: copy the newest committed page versions into the data file, fsync, write the header twice
        if (committed.maxFrame() == 0) {
            return -1;
        }
        WalIndex index = pages.index();
        DataFile data = pages.data();
        for (int number : index.pagesUpTo(committed.maxFrame())) {
            Page page = pages.read(committed, number);
            // Invariant: a checkpoint copies only page versions that are durable in the log.
            assert index.find(number, committed.maxFrame()) <= committed.maxFrame();
            data.write(page);
        }
        data.sync();
        return data.writeHeaderTwice(committed.meta(), committed.pageCount());
        // LAB:END
        // BUILD:END
    }

    /**
     * The whole checkpoint: copy, then restart the log under the new generation (step 4), keeping
     * up to {@code keepWalBytes} of its file for the next frames to overwrite. Returns the
     * snapshot to publish afterwards (the same state, now all in the data file), or null when
     * there was nothing to do.
     */
    static Snapshot run(Snapshot committed, CommittedPages pages, Wal wal, long keepWalBytes) {
        assert wal.syncedFrames() == wal.appendedFrames() && committed.maxFrame() == wal.appendedFrames();
        // BUILD:BEGIN step5.build-recovery — Checkpoint: the whole sequence, copy then restart the log
        long generation = copyToDataFile(committed, pages);
        if (generation < 0) {
            return null;
        }
        wal.restart(generation, keepWalBytes);
        pages.forgetLog();
        return new Snapshot(0, committed.pageCount(), committed.meta());
        // BUILD:END
    }
}
