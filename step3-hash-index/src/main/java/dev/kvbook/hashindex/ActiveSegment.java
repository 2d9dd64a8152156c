package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * The Bitcask paper's "active file": the one segment that takes appends, and the rollover that
 * seals it when it is full and starts the next one. Every other segment is immutable.
 *
 * <p>Not thread-safe: the store calls it under its write lock. Failures propagate as thrown by
 * the {@link Vfs}; the store decides what a failure means.
 */
final class ActiveSegment {

    private final Vfs vfs;
    private final Path dir;
    private final HashIndexStore.Options options;
    private final Segments segments;
    private LogWriter writer;
    private int nextId;
    private long rollovers;

    /** Takes over the active segment recovery left, whose records end at its {@code end()}. */
    ActiveSegment(Vfs vfs, Path dir, HashIndexStore.Options options, Segments segments, int nextId) {
        this.vfs = vfs;
        this.dir = dir;
        this.options = options;
        this.segments = segments;
        this.nextId = nextId;
        Segment active = segments.active();
        // Invariant: recovery cut the active segment to its last good record and fsynced it, so
        // the next append lands right after it, never behind leftover or unsynced bytes.
        assert active.end() == active.file().size() : active + " ends at " + active.end();
        this.writer = new LogWriter(active.file(), active.end());
    }

    /**
     * Appends one record, rolling over first if the segment is full, and fsyncs it when the
     * store is durable on every write. Returns where the record landed, in
     * {@code segments.active()}. O(1): one write, an fsync, and now and then a rollover.
     */
    LogWriter.Appended append(byte type, byte[] key, byte[] value) {
        if (writer.end() >= options.segmentSize()) {
            rollOver(0);
        }
        LogWriter.Appended at = writer.append(type, key, value);
        segments.active().setEnd(writer.end());
        if (options.syncEveryWrite()) {
            writer.sync();
        }
        return at;
    }

    /**
     * Seals the active segment (fsync, hint file) and starts a new one, skipping {@code reserve}
     * numbers for a merge's output. Two fsyncs for the new segment, three more for the hint.
     */
    void rollOver(int reserve) {
        Segment sealed = segments.active();
        writer.sync();
        if (options.useHintFiles()) {
            List<HintFormat.Entry> entries = sealed.scan();
            HintFile.write(vfs, dir, sealed.id(), sealed.end(), entries);
            sealed.setHintBytes(HintFormat.sizeOf(entries));
        }
        int id = nextId + reserve;
        Segment next = Segment.create(vfs, dir, id);
        nextId = id + 1;
        segments.add(next); // no get looks for it before the keydir points into it
        writer = new LogWriter(next.file(), LogFormat.FILE_HEADER_SIZE);
        rollovers++;
    }

    /** Fsyncs the active segment if anything was appended since its last fsync. One fsync, or none. */
    void syncIfNeeded() {
        if (writer.hasUnsyncedRecords()) {
            writer.sync();
        }
    }

    /** Whether the active segment holds no record yet. */
    boolean isEmpty() {
        return writer.end() == LogFormat.FILE_HEADER_SIZE;
    }

    /** The number the next new segment gets. */
    int nextId() {
        return nextId;
    }

    /** Rollovers since the store was opened. */
    long rollovers() {
        return rollovers;
    }
}
