package dev.kvbook.applog;

import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;

/**
 * Appends records to the end of a log file: the whole of the write path of an append-only store.
 *
 * <p>The writer remembers where the log ends and writes each new record there with one
 * positional write, then moves the end past it. It never writes anywhere else (invariant 2 of
 * {@link LogFormat}). It does not fsync on its own: the caller decides when with {@link #sync()}.
 *
 * <p>It also remembers where the log ended at the last fsync ({@code syncedEnd}), and sets the
 * {@link LogFormat#SYNCED_BEFORE} flag on a record exactly when the record starts there, that
 * is when nothing was written since that fsync. This is what lets recovery tell a torn tail from
 * damage (invariant 7), at no cost: no byte more, no fsync more. An owner that fsyncs after every
 * append gets the flag on every record; one that syncs now and then, on the first record after
 * each sync.
 *
 * <p>Not thread-safe: one writer per file, guarded by its owner's lock. After a write fails,
 * the bytes from {@link #end()} on are unknown (some may have reached the file), so the owner
 * must stop writing: {@link AppendLogStore} marks itself failed.
 */
public final class LogWriter {

    /**
     * Where a record was written.
     *
     * @param offset where the record starts in the file
     * @param size   its length in bytes, header included
     */
    public record Appended(long offset, int size) {
    }

    private final VfsFile file;
    private final boolean staged;
    private long end;
    private long syncedEnd;

    /**
     * A writer that appends at {@code end}, the offset just past the last good record (for a new
     * log, {@link LogFormat#FILE_HEADER_SIZE}).
     *
     * <p>Precondition: the bytes before {@code end} are durable. The first record appended
     * carries the {@link LogFormat#SYNCED_BEFORE} flag, which claims exactly that. Recovery
     * guarantees it by fsyncing the log it found; anyone else not sure of it fsyncs the file
     * first.
     */
    public LogWriter(VfsFile file, long end) {
        this(file, end, false);
    }

    /**
     * A writer for a <em>staged</em> file: one written whole, then fsynced, and only then renamed
     * to the name where it is read as a log, as a compaction's output is. Every record it appends
     * carries the {@link LogFormat#SYNCED_BEFORE} flag, which claims "every byte before me was
     * durable when I became part of the log": true for each of them, since none becomes part of
     * a log before the fsync that ends staging. The caller must do that fsync before the rename
     * ({@link #sync()}, or the one {@link dev.kvbook.api.vfs.AtomicReplace} does). Flagging them all keeps damage anywhere in the file detectable later.
     */
    public static LogWriter forStagedFile(VfsFile file, long end) {
        return new LogWriter(file, end, true);
    }

    private LogWriter(VfsFile file, long end, boolean staged) {
        if (end < LogFormat.FILE_HEADER_SIZE) {
            throw new IllegalArgumentException("a log ends at or after its " + LogFormat.FILE_HEADER_SIZE
                    + "-byte header, not at " + end);
        }
        this.file = file;
        this.staged = staged;
        this.end = end;
        this.syncedEnd = end;
    }

    /**
     * Appends one record and returns where it went. O(record size): one write call, no fsync.
     * The record carries the {@link LogFormat#SYNCED_BEFORE} flag when it starts where the last
     * fsync left the log (or the file is staged).
     *
     * @param type {@link LogFormat#TYPE_PUT} or {@link LogFormat#TYPE_TOMBSTONE}
     * @throws IllegalArgumentException     for a key or value over its limit (nothing written)
     * @throws java.io.UncheckedIOException when the write fails; the end is not moved
     */
    public Appended append(byte type, byte[] key, byte[] value) {
        long offset = end;
        // Invariant 7 of LogFormat: the flag is set only when every byte before offset is durable.
        boolean syncedBefore = staged || offset == syncedEnd;
        ByteBuffer record = LogFormat.encodeRecord(type, syncedBefore, key, value);
        int size = record.remaining();
        // Invariant 2 of LogFormat: only ever write at the end, never over an existing record.
        assert offset >= LogFormat.FILE_HEADER_SIZE : "append inside the file header at " + offset;
        file.write(offset, record);
        end = offset + size;
        return new Appended(offset, size);
    }

    /**
     * Makes every record appended so far durable: one fsync. The next record appended then
     * carries the {@link LogFormat#SYNCED_BEFORE} flag. When the fsync fails nothing is
     * assumed durable (and the owner must stop, since a failed fsync is never retried).
     */
    public void sync() {
        file.sync();
        syncedEnd = end;
    }

    /** Returns the offset where the next record will go, which is also the length of the log. */
    public long end() {
        return end;
    }

    /** Returns whether records were appended since the last {@link #sync()}: whether a sync has work to do. */
    public boolean hasUnsyncedRecords() {
        return end != syncedEnd;
    }
}
