package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * An open file, read and written at explicit positions (there is no file pointer to share
 * between threads, so concurrent positional reads are safe).
 *
 * <p>What {@link #write} promises is only that a later {@link #readFully} in this process sees
 * the bytes. Whether they survive a crash is up to {@link #sync()}: until then the operating
 * system may keep them in its page cache, write some sectors and not others, or reorder them.
 */
public interface VfsFile extends Closeable {

    /**
     * Reads exactly {@code dst.remaining()} bytes starting at {@code position} into {@code dst}.
     * Reaching the end of the file first throws {@link java.io.UncheckedIOException} wrapping an
     * {@link java.io.EOFException}.
     */
    void readFully(long position, ByteBuffer dst);

    /** Writes all of {@code src} at {@code position}, growing the file if needed. */
    void write(long position, ByteBuffer src);

    /** Returns the file's current size in bytes. */
    long size();

    /** Cuts the file to {@code size} bytes (no effect when it is already that short). */
    void truncate(long size);

    /**
     * Forces the file's contents and size to stable storage ({@code FileChannel.force(true)},
     * which is {@code fsync}). The one call that turns "written" into "durable".
     */
    void sync();

    /** Closes the file; unsynced writes are not made durable by closing. */
    @Override
    void close();
}
