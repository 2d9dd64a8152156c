package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Closeables;

import java.nio.file.Path;

/**
 * What {@link AppendLogStore#open} does before the store can be used: find where the log really
 * ends, and cut off whatever a crash left after that.
 *
 * <ol>
 * <li>Delete a leftover {@code <file>.compact}: a compaction (or creation) that a crash
 *     interrupted before its rename. The log itself was never touched by it.</li>
 * <li>A missing or empty (0-byte) file becomes a new log, created atomically like a compaction,
 *     so a log file on disk always starts with a complete, fsynced header.</li>
 * <li>Check the header. Since a log is always created with a complete header (above), a file
 *     shorter than a header, or with a wrong magic or version, was not written by this store
 *     and is corruption, which open refuses without touching the file.</li>
 * <li>Read every record ({@link LogReader}) to the first bad one. Per invariant 7 of
 *     {@link LogFormat}: a torn tail is truncated; corruption throws, or with {@code repair} is
 *     truncated too.</li>
 * <li>Fsync the file, truncated or not, before the store accepts writes. New records then never
 *     land behind leftover bytes, and never behind bytes that are not yet durable (a killed
 *     process can leave written but unsynced records in the page cache). So the store's
 *     {@link LogWriter} may start with the whole log counted as synced, and its first record
 *     rightly carries the {@link LogFormat#SYNCED_BEFORE} flag (invariant 7).</li>
 * </ol>
 * Cost: one read of the whole log, one fsync, O(1) memory.
 */
final class Recovery {

    /**
     * The outcome of recovery.
     *
     * @param file                   the open log file
     * @param end                    where the log ends: the next record goes here; every byte before
     *                               it is durable
     * @param tornTailBytesTruncated bytes of torn tail cut off
     * @param repairedBytesTruncated bytes cut off at a corruption by the {@code repair} option
     */
    record Result(VfsFile file, long end, long tornTailBytesTruncated, long repairedBytesTruncated) {
    }

    private Recovery() {
    }

    /**
     * Opens and recovers the log at {@code path}.
     *
     * @throws CorruptionException for a bad header, or for damage before the tail without {@code repair}
     */
    static Result run(Vfs vfs, Path path, boolean repair) {
        Path temp = Compactor.tempPathOf(path);
        if (vfs.exists(temp)) {
            vfs.delete(temp);
            vfs.syncDirectory(AtomicReplace.directoryOf(path));
        }
        if (!vfs.exists(path) || isEmpty(vfs, path)) {
            Compactor.createEmpty(vfs, path);
        }
        VfsFile file = vfs.open(path, false);
        try {
            LogFormat.checkFileHeader(file, path);
            return scan(file, path, repair);
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(file, e);
            throw e;
        }
    }

    private static boolean isEmpty(Vfs vfs, Path path) {
        try (VfsFile file = vfs.open(path, false)) {
            return file.size() == 0;
        }
    }

    /** Reads to the first bad record and truncates there if the rule allows ({@link LogTail}). */
    private static Result scan(VfsFile file, Path path, boolean repair) {
        LogTail.Outcome tail = LogTail.recover(file, path, repair, record -> { });
        return new Result(file, tail.end(), tail.tornTailBytesTruncated(), tail.repairedBytesTruncated());
    }
}
