package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery on open: the data file plus the committed part of the log is the store.
 *
 * <ol>
 *   <li>Read the log header. Missing, or not valid with no frame of the live generation behind
 *       it: a log that never committed (or whose start was torn); start it afresh. A valid header
 *       whose generation is older than the data file's newest header: a checkpoint copied it
 *       already; start afresh. A generation from the future: corruption.</li>
 *   <li>Scan frames from 1 while each is whole, has a right checksum, and carries this log's
 *       generation, salt and its own frame number. The committed end is the last commit frame of
 *       that run; the WAL index gets every frame up to it, and the tree metadata comes from it.</li>
 *   <li>Everything after the committed end is a torn or uncommitted tail, unless a valid frame
 *       says more frames were durable (its synced count passes the committed end): then a frame
 *       that was once durable is damaged, and recovery stops with {@link CorruptionException}.</li>
 *   <li>Cut the tail off and fsync the log, so what recovery adopted is durable and no stale
 *       frame can be mistaken for a later one.</li>
 * </ol>
 * Idempotent: recovery writes only the log, only to cut its tail or restart a log whose frames
 * are all in the data file; a crash in the middle leaves a log that the next recovery reads to
 * the same committed end. The data file is never written here (checkpoints do that).
 */
final class Recovery {

    /** What the log holds, as {@link #scan} found it. */
    enum LogState { MISSING, RESTART, LIVE }

    /** One frame of the committed log: frame {@code frame} holds a version of page {@code page}. */
    record LoggedPage(int page, int frame) {
    }

    /**
     * The committed part of a live log: frames 1 to {@link #end}.
     *
     * @param frames       every committed frame, in log order
     * @param commitFrames the commit frames among them, in order
     * @param pageCount    pages after the last commit (0 when none)
     * @param meta         the tree after the last commit (null when none)
     */
    record CommittedLog(List<LoggedPage> frames, List<Integer> commitFrames, int pageCount, TreeMeta meta) {

        static final CommittedLog NONE = new CommittedLog(List.of(), List.of(), 0, null);

        /** The last committed frame (0: none). */
        int end() {
            return frames.size();
        }
    }

    /**
     * What follows the committed end: torn, uncommitted or stale frames, cut off by recovery.
     *
     * @param frames whole frames after the committed end
     * @param bytes  bytes after the committed end
     */
    record Tail(int frames, long bytes) {

        static final Tail NONE = new Tail(0, 0);
    }

    /**
     * The result of reading a log without changing it.
     *
     * @param state     whether the log is missing, to be restarted, or live
     * @param header    its header (null unless live)
     * @param why       why it is to be restarted (null when live)
     * @param committed the committed part ({@link CommittedLog#NONE} unless live)
     * @param tail      what follows it ({@link Tail#NONE} unless live)
     */
    record Scan(LogState state, WalFormat.Header header, String why, CommittedLog committed, Tail tail) {

        static Scan restart(String why) {
            return new Scan(LogState.RESTART, null, why, CommittedLog.NONE, Tail.NONE);
        }

        /** The last committed frame (0: none). */
        int committedEnd() {
            return committed.end();
        }

        /** Transactions in the committed part. */
        int commits() {
            return committed.commitFrames().size();
        }
    }

    /** What {@link #recover} hands the store. */
    record Recovered(Wal wal, Snapshot snapshot, Scan scan) {
    }

    private Recovery() {
    }

    /**
     * Brings the log at {@code walPath} in line with {@code data}: scans it, cuts its tail or
     * restarts it, fsyncs, fills {@code index}, and returns the log and the last committed state.
     *
     * @throws CorruptionException the log is damaged before its committed end
     */
    static Recovered recover(Vfs vfs, Path walPath, DataFile data, WalIndex index) {
        HeaderFormat.Header dataHeader = data.header();
        Snapshot checkpointed = new Snapshot(0, dataHeader.pageCount(), dataHeader.meta());
        if (!vfs.exists(walPath)) {
            Wal wal = Wal.start(vfs, walPath, null, data.pageSize(), dataHeader.sequence());
            return new Recovered(wal, checkpointed, scanOfNothing());
        }
        VfsFile file = vfs.open(walPath, false);
        try {
            Scan scan = scan(file, walPath, data.pageSize(), dataHeader.sequence());
            if (scan.state() != LogState.LIVE) {
                return new Recovered(Wal.start(vfs, walPath, file, data.pageSize(), dataHeader.sequence()), checkpointed, scan);
            }
            if (scan.tail().bytes() > 0) {
                file.truncate(WalFormat.HEADER_SIZE + (long) scan.committedEnd() * WalFormat.frameSize(data.pageSize()));
            }
            if (scan.tail().bytes() > 0 || scan.committedEnd() > 0) {
                file.sync(); // what was read may sit only in the OS cache (a killed process): make it durable
            }
            scan.committed().frames().forEach(f -> index.add(f.page(), f.frame()));
            Snapshot snapshot = scan.committedEnd() == 0 ? checkpointed
                    : new Snapshot(scan.committedEnd(), scan.committed().pageCount(), scan.committed().meta());
            return new Recovered(Wal.adopt(vfs, walPath, file, scan.header(), scan.committedEnd()), snapshot, scan);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static Scan scanOfNothing() {
        return new Scan(LogState.MISSING, null, "no log file", CommittedLog.NONE, Tail.NONE);
    }

    /**
     * Reads the log without changing it: steps 1 to 3 above. {@code dataSequence} is the sequence
     * of the data file's newest header. O(log size) reads.
     *
     * @throws CorruptionException the log is damaged before its committed end, or belongs to a later data file
     */
    static Scan scan(VfsFile file, Path path, int pageSize, long dataSequence) {
        long size = file.size();
        byte[] headerBytes = new byte[(int) Math.min(size, WalFormat.HEADER_SIZE)];
        file.readFully(0, ByteBuffer.wrap(headerBytes));
        WalFormat.Decoded<WalFormat.Header> decoded = WalFormat.decodeHeader(headerBytes);
        if (!decoded.isValid()) {
            // Frames follow a header only once it is durable, so a live frame behind a bad header is damage.
            checkNoLiveFrame(file, path, pageSize, size, dataSequence, decoded.problem());
            return Scan.restart("no valid header (" + decoded.problem() + "): a log torn while starting");
        }
        WalFormat.Header header = decoded.value();
        if (header.pageSize() != pageSize) {
            throw new CorruptionException(path, WalFormat.PAGE_SIZE_OFFSET, "log page size", pageSize, header.pageSize());
        }
        if (header.generation() < dataSequence) {
            return Scan.restart("generation " + header.generation() + " is older than the data file's header "
                    + dataSequence + ": a checkpoint already copied it");
        }
        if (header.generation() > dataSequence + 1) {
            // dataSequence + 1: the newest header copy was damaged, and the older one, written by the
            // same checkpoint with the same content, is the newest valid one (see DataFile).
            throw new CorruptionException(path, WalFormat.GENERATION_OFFSET, "log generation (the data file's newest header is " + dataSequence
                    + ")", "at most " + (dataSequence + 1), header.generation());
        }
        return scanFrames(file, path, header, size);
    }

    /** Step 2 and 3: the valid run of frames, its committed end, and the check of what follows. */
    private static Scan scanFrames(VfsFile file, Path path, WalFormat.Header header, long size) {
        // BUILD:BEGIN step5.build-recovery — Recovery: scan the log to its committed end, and tell a torn tail from damage
        // LAB:BEGIN step5.recovery-scan — Recovery: find the valid run of frames and its last commit; nothing durable may lie beyond it
        int pageSize = header.pageSize();
        int wholeFrames = (int) ((size - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize));
        List<LoggedPage> run = new ArrayList<>();
        int committedEnd = 0;
        int pageCount = 0;
        List<Integer> commits = new ArrayList<>();
        TreeMeta meta = null;
        int frame = 1;
        for (; frame <= wholeFrames; frame++) {
            WalFormat.FrameHeader decoded = readFrameHeader(file, header, frame);
            if (decoded == null || decoded.generation() != header.generation() || decoded.salt() != header.salt()
                    || decoded.frameNumber() != frame) {
                break;
            }
            run.add(new LoggedPage(decoded.pageNumber(), frame));
            if (decoded.isCommit()) {
                committedEnd = frame;
                pageCount = decoded.commitPageCount();
                meta = decoded.meta();
                commits.add(frame);
            }
        }
        checkNothingDurableBeyond(file, path, header, committedEnd, wholeFrames);
        CommittedLog committed = new CommittedLog(List.copyOf(run.subList(0, committedEnd)), List.copyOf(commits),
                pageCount, meta);
        long committedBytes = WalFormat.HEADER_SIZE + (long) committedEnd * WalFormat.frameSize(pageSize);
        return new Scan(LogState.LIVE, header, null, committed, new Tail(wholeFrames - committedEnd, size - committedBytes));
        // LAB:END
        // BUILD:END
    }

    /**
     * Step 3: no valid frame of this log may claim that frames past the committed end were durable.
     *
     * @throws CorruptionException one does: a frame once fsynced is damaged (the message says which
     *         frames were durable, so a reader can tell it from a torn tail)
     */
    private static void checkNothingDurableBeyond(VfsFile file, Path path, WalFormat.Header header, int committedEnd,
                                                  int wholeFrames) {
        // BUILD:BEGIN step5.build-recovery — Recovery: no valid frame past the committed end may say it was durable
        for (int frame = committedEnd + 1; frame <= wholeFrames; frame++) {
            WalFormat.FrameHeader decoded = readFrameHeader(file, header, frame);
            boolean ours = decoded != null && decoded.generation() == header.generation() && decoded.salt() == header.salt()
                    && decoded.frameNumber() == frame;
            if (ours && decoded.syncedFrames() > committedEnd) {
                throw new CorruptionException(path, WalFormat.frameOffset(committedEnd + 1, header.pageSize()),
                        "the log after frame " + committedEnd + " (hardware problem?): frame " + frame + " says frames 1 to "
                                + decoded.syncedFrames() + " were durable when it was written, but the committed log ends at"
                                + " frame " + committedEnd, null);
            }
        }
        // BUILD:END
    }

    /** With no valid header: a frame of the live generation behind it proves the header was damaged. */
    private static void checkNoLiveFrame(VfsFile file, Path path, int pageSize, long size, long dataSequence, String why) {
        int wholeFrames = (int) Math.max(0, (size - WalFormat.HEADER_SIZE) / WalFormat.frameSize(pageSize));
        for (int frame = 1; frame <= wholeFrames; frame++) {
            WalFormat.FrameHeader decoded = readFrameHeader(file, null, frame, pageSize);
            if (decoded != null && decoded.frameNumber() == frame
                    && (decoded.generation() == dataSequence || decoded.generation() == dataSequence + 1)) {
                throw new CorruptionException(path, 0, "log header: " + why + ", but frame " + frame
                        + " of the live generation follows it (a header is durable before any frame is written)", null);
            }
        }
    }

    private static WalFormat.FrameHeader readFrameHeader(VfsFile file, WalFormat.Header header, int frame) {
        return readFrameHeader(file, header, frame, header.pageSize());
    }

    /** Reads and decodes frame {@code frame}; null when its checksum or fields are wrong (a torn tail, or damage: the caller tells which). */
    private static WalFormat.FrameHeader readFrameHeader(VfsFile file, WalFormat.Header header, int frame, int pageSize) {
        ByteBuffer bytes = ByteBuffer.allocate(WalFormat.frameSize(pageSize));
        file.readFully(WalFormat.frameOffset(frame, pageSize), bytes);
        byte[] frameHeader = new byte[WalFormat.FRAME_HEADER_SIZE];
        byte[] image = new byte[pageSize];
        bytes.flip().get(frameHeader).get(image);
        return WalFormat.decodeFrame(frameHeader, image).value();
    }
}
