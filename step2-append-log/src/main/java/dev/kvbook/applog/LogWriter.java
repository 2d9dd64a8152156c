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
    private long end;

    /**
     * A writer that appends at {@code end}, the offset just past the last good record (for a new
     * log, {@link LogFormat#FILE_HEADER_SIZE}).
     */
    public LogWriter(VfsFile file, long end) {
        if (end < LogFormat.FILE_HEADER_SIZE) {
            throw new IllegalArgumentException("a log ends at or after its " + LogFormat.FILE_HEADER_SIZE
                    + "-byte header, not at " + end);
        }
        this.file = file;
        this.end = end;
    }

    /**
     * Appends one record and returns where it went. O(record size): one write call, no fsync.
     *
     * @throws IllegalArgumentException   for a key or value over its limit (nothing written)
     * @throws java.io.UncheckedIOException when the write fails; the end is not moved
     */
    public Appended append(byte type, byte[] key, byte[] value) {
        ByteBuffer record = LogFormat.encodeRecord(type, key, value);
        int size = record.remaining();
        long offset = end;
        // Invariant 2 of LogFormat: only ever write at the end, never over an existing record.
        assert offset >= LogFormat.FILE_HEADER_SIZE : "append inside the file header at " + offset;
        file.write(offset, record);
        end = offset + size;
        return new Appended(offset, size);
    }

    /** Makes every record appended so far durable: one fsync. */
    public void sync() {
        file.sync();
    }

    /** Returns the offset where the next record will go, which is also the length of the log. */
    public long end() {
        return end;
    }
}
