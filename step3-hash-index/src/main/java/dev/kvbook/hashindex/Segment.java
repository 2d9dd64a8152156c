package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Closeables;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One segment file: a step-2 log ({@link LogFormat}) with a number. The active segment takes
 * appends through a {@link dev.kvbook.applog.LogWriter} its store owns; a sealed segment never
 * changes. Each segment keeps its file handle open for as long as it is in use (the handle
 * cache), so a {@code get} is one positional read with no open or close.
 *
 * <p>It also keeps its live-byte count: the bytes of the records the keydir points at. The rest
 * (superseded records and tombstones) is garbage a merge can reclaim.
 *
 * <p>Thread-safe for reads: positional reads share the handle without coordination.
 */
final class Segment {

    private final int id;
    private final Path path;
    private final VfsFile file;
    private final AtomicLong liveBytes = new AtomicLong();
    private volatile long end;
    private volatile long hintBytes;
    private Segments.Totals totals; // the running sums this segment counts in, while it is open in a store

    private Segment(int id, Path path, VfsFile file, long end) {
        this.id = id;
        this.path = path;
        this.file = file;
        this.end = end;
    }

    /**
     * Opens the existing segment {@code id} and checks its file header (two small reads). Its end
     * is the file size; the caller scans or reads a hint to learn what is in it.
     *
     * @throws CorruptionException for a missing, short or wrong header (invariant 3 of
     *                             {@link SegmentFormat}: segments are created whole)
     */
    static Segment open(Vfs vfs, Path dir, int id) {
        Path path = SegmentFormat.dataPath(dir, id);
        return withCheckedHeader(id, path, vfs.open(path, false));
    }

    /**
     * As {@link #open}, with the file opened read-only ({@link Vfs#openReadOnly}): for
     * {@link Survey}, which only reads, so that verify and inspect work on read-only media.
     */
    static Segment openReadOnly(Vfs vfs, Path dir, int id) {
        Path path = SegmentFormat.dataPath(dir, id);
        return withCheckedHeader(id, path, vfs.openReadOnly(path));
    }

    /** The segment in the open {@code file}, once its header checks out; closes the file when it does not. */
    private static Segment withCheckedHeader(int id, Path path, VfsFile file) {
        try {
            LogFormat.checkFileHeader(file, path);
            return new Segment(id, path, file, file.size());
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(file, e);
            throw e;
        }
    }

    /**
     * Creates the empty segment {@code id} ({@link AtomicReplace}): its header written under a
     * temporary name, fsynced, renamed into place and the directory fsynced, so the segment is durable before the first
     * record goes into it. Two fsyncs, one rename.
     */
    static Segment create(Vfs vfs, Path dir, int id) {
        Path path = SegmentFormat.dataPath(dir, id);
        AtomicReplace.replace(vfs, path, SegmentFormat.tempPathOf(path), LogFormat.encodeFileHeader());
        return open(vfs, dir, id);
    }

    /**
     * Reads and checks the record at {@code offset} of {@code size} bytes: the read of a get.
     * One positional read, CRC verified.
     *
     * @throws CorruptionException when the bytes there are not that record, naming file and offset
     */
    LogRecord read(long offset, int size) {
        return LogReader.readRecordAt(file, path, offset, size);
    }

    /**
     * Reads every record of this sealed segment as hint entries, checking every checksum. O(size).
     *
     * @throws CorruptionException for any bad record: a sealed segment was fsynced whole before the
     *                             next one was created, so it has no torn tail
     */
    List<HintFormat.Entry> scan() {
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, end, false);
        List<HintFormat.Entry> entries = new ArrayList<>();
        for (LogRecord record = reader.next(); record != null; record = reader.next()) {
            entries.add(entryOf(record));
        }
        if (reader.stop() != LogReader.Stop.CLEAN_END) {
            throw reader.damage();
        }
        return entries;
    }

    /** The hint entry describing {@code record}. */
    static HintFormat.Entry entryOf(LogRecord record) {
        return new HintFormat.Entry(record.type(), record.key(), record.offset(), record.size());
    }

    /** A reader over this segment's records, with values: for a merge copying them. */
    LogReader reader() {
        return new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, end, true);
    }

    int id() {
        return id;
    }

    Path path() {
        return path;
    }

    /** The open handle: the active segment's writer appends through it. */
    VfsFile file() {
        return file;
    }

    /** Where the records end, which is also the segment's size. */
    long end() {
        return end;
    }

    /** Moves the end after an append (active segment) or a truncated torn tail (open). */
    void setEnd(long end) {
        long delta = end - this.end;
        this.end = end;
        report(delta, delta);
    }

    /** Bytes of records the keydir points at. */
    long liveBytes() {
        return liveBytes.get();
    }

    /** Adds {@code delta} (negative when a record stops being live) to the live bytes. */
    void addLive(long delta) {
        long now = liveBytes.addAndGet(delta);
        // Invariant: live records are a subset of the records, so 0 <= live <= end - header.
        assert now >= 0 && now <= end - LogFormat.FILE_HEADER_SIZE : path + " live bytes " + now + " of " + end;
        report(0, -delta);
    }

    /** Bytes of superseded records and tombstones: what a merge would reclaim. */
    long garbageBytes() {
        return end - LogFormat.FILE_HEADER_SIZE - liveBytes.get();
    }

    /** The size of this segment's hint file, or 0 when it has none. */
    long hintBytes() {
        return hintBytes;
    }

    void setHintBytes(long hintBytes) {
        long delta = hintBytes - this.hintBytes;
        this.hintBytes = hintBytes;
        report(delta, 0);
    }

    /**
     * Starts counting this segment in {@code totals} (a store's {@link Segments} calls this when
     * the segment joins it), so that later changes reach the sums in O(1).
     */
    void countIn(Segments.Totals totals) {
        assert this.totals == null : path + " is already counted";
        this.totals = totals;
        report(end + hintBytes, garbageBytes());
    }

    /** Stops counting this segment in its totals (a merge replaced it). */
    void stopCounting() {
        report(-(end + hintBytes), -garbageBytes());
        totals = null;
    }

    // Invariant: the figures change only under the store's write lock (or in single-threaded
    // recovery), so each change reaches the totals exactly once and in order.
    private void report(long bytesOnDisk, long garbage) {
        if (totals != null) {
            totals.add(bytesOnDisk, garbage);
        }
    }

    /** Closes the handle. */
    void close() {
        file.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
