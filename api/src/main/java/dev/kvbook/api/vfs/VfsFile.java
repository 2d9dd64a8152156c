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
     * Forces the file's contents and all its metadata to stable storage
     * ({@code FileChannel.force(true)}, which is {@code fsync(2)} on Linux). The one call that
     * turns "written" into "durable". It does not make the file's <em>name</em> durable: a
     * create, rename or delete needs {@link Vfs#syncDirectory} on the directory.
     *
     * <p>Cost: one trip to the device, plus a file-system journal commit whenever the file's
     * metadata changed since the last sync (its size, its block map, even only its modification
     * time).
     */
    void sync();

    /**
     * Forces the file's contents, and the metadata needed to read them back, to stable storage
     * ({@code FileChannel.force(false)}, which is {@code fdatasync(2)} on Linux).
     *
     * <p><b>What it promises on Linux.</b> fdatasync(2) flushes the data and the metadata a later
     * read depends on: the file's size and its block allocation are included, so bytes appended
     * before it are durable <em>and</em> reachable. What it may leave behind is metadata a read
     * does not need: the access and modification times. So it is exactly as strong as
     * {@link #sync()} for everything a store reads back, and it is cheaper only when the one
     * change since the last sync was a timestamp, that is, when the file was overwritten within
     * its size. On a file that grew, it pays the same journal commit as {@code fsync}. Neither
     * call makes a directory entry durable.
     *
     * <p><b>Where the promise is weaker.</b> The flush is only as good as the layers below:
     * on macOS, fsync(2) hands the data to the drive without forcing the drive's volatile cache
     * (its man page points to {@code fcntl(F_FULLFSYNC)} for that), so both calls are weaker
     * there; on Windows the JDK implements {@code force} with {@code FlushFileBuffers} whatever
     * its argument, so the two calls are the same; a file system may implement fdatasync as a
     * full fsync (then it costs the same, and promises more). A drive or controller that lies
     * about flushing its cache breaks every promise here.
     *
     * <p>Use it where measurement shows the saved timestamp update matters; {@link #sync()} is
     * the default choice. Cost: one trip to the device; a journal commit only if the size or
     * the allocation changed.
     */
    void syncData();

    /** Closes the file; unsynced writes are not made durable by closing. */
    @Override
    void close();
}
