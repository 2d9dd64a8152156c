package dev.kvbook.applog;

import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;

/**
 * A read-ahead buffer over one file: reading a log record by record with one system call per
 * 64 KiB instead of two per record. This is what makes a full-log scan cost what the disk (or the
 * page cache) needs to deliver the bytes, rather than what the system calls cost.
 *
 * <p>Not thread-safe: each scan has its own window.
 */
final class ReadWindow {

    /** How much is read ahead at a time. Larger reads go straight to a buffer of their own. */
    static final int CAPACITY = 64 * 1024;

    private final VfsFile file;
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
    private long start;
    private int length;

    /** A window over {@code file} that never reads at or past {@code end}. */
    ReadWindow(VfsFile file, long end) {
        this.file = file;
        this.end = end;
    }

    /**
     * Returns the {@code n} bytes at {@code position} as a buffer whose index 0 is
     * {@code position}. The buffer is valid until the next call. Costs one read call when the
     * bytes are not already in the window.
     */
    ByteBuffer read(long position, int n) {
        assert n >= 0 && position + n <= end : "read of " + n + " at " + position + " runs past " + end;
        if (n > CAPACITY) {
            ByteBuffer own = ByteBuffer.allocate(n);
            file.readFully(position, own);
            return own.flip();
        }
        if (position < start || position + n > start + length) {
            fill(position);
        }
        return buffer.slice((int) (position - start), n);
    }

    private void fill(long position) {
        int want = (int) Math.min(CAPACITY, end - position);
        buffer.clear().limit(want);
        file.readFully(position, buffer);
        start = position;
        length = want;
    }
}
