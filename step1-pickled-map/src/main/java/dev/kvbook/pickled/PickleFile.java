package dev.kvbook.pickled;

import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The one file a step-1 store keeps, and the only way it ever changes: a complete new file is
 * written beside it and renamed over it. The file is never modified in place.
 *
 * <h2>Replacing a file safely: four steps, four reasons</h2>
 * <ol>
 *   <li><b>Write the new contents to {@code <path>.tmp}</b>, in the same directory. The only copy
 *       of the live data is never overwritten: a crash mid-write leaves a torn temp file and an
 *       intact old file. Same directory, because a rename cannot cross file systems.</li>
 *   <li><b>fsync the temp file.</b> The operating system may reorder writes; without this the
 *       rename below could reach the disk before the data does, and after a crash {@code path}
 *       would name a file of zeros or garbage.</li>
 *   <li><b>Rename the temp file over {@code path}.</b> A rename is atomic: anyone looking sees
 *       the old file or the new one, never neither and never half of each.</li>
 *   <li><b>fsync the directory.</b> The rename changed the directory, not the file. Until the
 *       directory is synced a crash can undo the rename, and the write the caller was told is
 *       durable would vanish.</li>
 * </ol>
 * So after a crash at any point, {@code path} holds exactly the old contents or the new ones.
 * A crash between steps 1 and 3 leaves a stale temp file, which {@link #removeStaleTemp} deletes
 * on the next open.
 *
 * <p>Cost of {@link #replace}: the whole image written, two fsyncs (file and directory), one
 * rename. Not thread-safe; the store calls it under its write lock.
 */
final class PickleFile {

    /**
     * The file's decoded contents.
     *
     * @param map  the entries, sorted by unsigned bytes
     * @param size the file's size in bytes, or -1 when there is no file
     */
    record Contents(NavigableMap<byte[], byte[]> map, long size) {
    }

    private final Vfs vfs;
    private final Path path;
    private final Path directory;

    /**
     * The pickle file at {@code path}, reached through {@code vfs}. Touches nothing on disk.
     * {@code path} is the store's real path ({@link StorePaths#storeFile}): the temp file is named
     * from it, so a replace renames over the real file, never over a symbolic link to it.
     */
    PickleFile(Vfs vfs, Path path) {
        this.vfs = vfs;
        this.path = path;
        Path parent = path.getParent();
        this.directory = parent != null ? parent : path.toAbsolutePath().getParent();
    }

    /** The lock file of the store at {@code path}: {@code <path>.lock}. */
    static Path lockPathOf(Path path) {
        return StorePaths.sibling(path, ".lock");
    }

    /** The file itself. */
    Path path() {
        return path;
    }

    /**
     * The temp file a replacement is written to first: {@code <path>.tmp}. In the same directory as
     * the file (a rename cannot cross file systems) and named from the store's real path, so that
     * the next open ({@link #removeStaleTemp}) and {@code kv verify} can find one a crash left. O(1).
     */
    Path tempPath() {
        // BUILD:BEGIN step1.build-replace — Design the whole atomic replace: name the temp file, write and fsync it, rename it over the file, fsync the directory, and clear a crash's leftover temp file on open
        return StorePaths.sibling(path, ".tmp");
        // BUILD:END
    }

    /** The directory holding the file; it must exist (a store creates no parent directories). */
    Path directory() {
        return directory;
    }

    /**
     * Takes the store's exclusive lock on {@code <path>.lock} (creating that empty file if
     * missing; it holds no data, so it needs no directory sync); returns its release handle. O(1).
     *
     * @throws dev.kvbook.api.StoreLockedException when another process or handle holds it
     */
    Closeable lock() {
        return vfs.lock(lockPathOf(path));
    }

    /**
     * Takes the readers' lock on {@code <path>.lock} ({@link Vfs#lockShared}): held by a checker
     * while it reads, it keeps writers out and lets other readers in, and needs no write access
     * (on read-only media without a lock file, it holds nothing: no writer can be there). O(1).
     *
     * @throws dev.kvbook.api.StoreLockedException when a writer has the store open
     */
    Closeable lockShared() {
        return vfs.lockShared(lockPathOf(path));
    }

    /** Releases a lock taken by {@link #lock()} or {@link #lockShared()}. */
    void release(Closeable lock) {
        try {
            lock.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + lockPathOf(path), e);
        }
    }

    /** Releases a lock when the open that took it has failed, keeping that failure the one reported. */
    static void releaseAfterFailure(Closeable lock) {
        try {
            lock.close();
        } catch (IOException | UncheckedIOException e) {
            // The open already failed, and that error is the one to report; the operating
            // system releases the lock when the process ends in any case.
        }
    }

    /**
     * Deletes {@code <path>.tmp} if a crash left one; returns whether there was one. Safe: the
     * temp file only ever becomes live by the rename, so an existing one was never acknowledged.
     * Not followed by a directory sync: if the delete is lost in a crash, the next open repeats it.
     */
    boolean removeStaleTemp() {
        // BUILD:BEGIN step1.build-replace — Design the whole atomic replace: name the temp file, write and fsync it, rename it over the file, fsync the directory, and clear a crash's leftover temp file on open
        Path tempPath = tempPath();
        if (!vfs.exists(tempPath)) {
            return false;
        }
        vfs.delete(tempPath);
        return true;
        // BUILD:END
    }

    /**
     * Reads and decodes the whole file; an empty map and size -1 when it does not exist.
     * O(file size).
     *
     * @throws dev.kvbook.api.CorruptionException when the file is damaged
     */
    Contents load() {
        if (!vfs.exists(path)) {
            return new Contents(new TreeMap<>(Keys.COMPARATOR), -1);
        }
        byte[] bytes = PickledFormat.readFile(vfs, path);
        return new Contents(PickledFormat.decode(path, bytes), bytes.length);
    }

    /**
     * Replaces the file with {@code image}: temp file, fsync, rename, fsync directory.
     * O(image) bytes written, two fsyncs. Any failure surfaces as the Vfs threw it.
     */
    void replace(byte[] image) {
        // BUILD:BEGIN step1.build-replace — Design the whole atomic replace: name the temp file, write and fsync it, rename it over the file, fsync the directory, and clear a crash's leftover temp file on open
        Path tempPath = tempPath();
        // LAB:BEGIN step1.replace — Replace the file atomically: write a temp file, fsync it, rename it over the file, fsync the directory
        try (VfsFile temp = vfs.open(tempPath, true)) {
            // Invariant: the temp file is new and empty. Open deleted any stale one, each
            // replace renames it away, and the store never replaces again after a failure.
            // Were it not, a shorter image would keep an old tail and fail its length check.
            assert temp.size() == 0 : tempPath + " already holds " + temp.size() + " bytes";
            temp.write(0, ByteBuffer.wrap(image)); // step 1
            temp.sync();                            // step 2
        }
        vfs.rename(tempPath, path);                 // step 3
        vfs.syncDirectory(directory);               // step 4
        // LAB:END
        // BUILD:END
    }
}
