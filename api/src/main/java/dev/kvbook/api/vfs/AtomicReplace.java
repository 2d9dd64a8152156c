package dev.kvbook.api.vfs;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Puts a whole file in place so that a crash at any moment leaves the old file or the new one,
 * never a mix and never a torn one: the one recipe steps 2 to 5 use for every file they write
 * whole (a compacted log, a new segment or hint file, a merge's output, a new page file). Step 1's
 * {@code PickleFile.replace} spells the same recipe out by hand, as the teaching copy.
 *
 * <h2>The recipe: six steps, six reasons</h2>
 * <ol>
 *   <li><b>Delete a stale temp file</b> a crash may have left: it was never renamed, so it was
 *       never part of the store, and starting from an empty file means no old tail survives
 *       behind shorter new contents.</li>
 *   <li><b>Create the temp file</b>, named by the caller, in the target's directory: the only
 *       copy of live data is never overwritten (a crash mid-write tears the temp, not the target),
 *       and a rename cannot cross file systems.</li>
 *   <li><b>The caller writes the contents</b> into it.</li>
 *   <li><b>fsync the temp file.</b> Without it the rename below may reach the disk before the
 *       data, and after a crash the target's name would point at zeros or garbage.</li>
 *   <li><b>Close it, then rename it over the target.</b> A rename is atomic: anyone looking sees
 *       the old file or the new one, never neither and never half of each.</li>
 *   <li><b>fsync the directory.</b> The rename changed the directory, not the file; until the
 *       directory is synced a crash can undo the rename, and the caller would report durable a
 *       file that then vanishes.</li>
 * </ol>
 *
 * <h2>What a crash leaves</h2>
 * Before the rename: the old target (or none) and a temp file, complete or torn, which the
 * store's open deletes and the next replace deletes anyway (step 1). After the rename but before
 * the directory fsync: the old target or the new one. After the directory fsync: the new one. A
 * failure thrown by the {@link Vfs} leaves the same: the old or the new file, and only a reopen
 * can tell which once the rename was attempted; the temp file is closed, and left for open to
 * delete.
 *
 * <p>Cost: the contents written once, two fsyncs (the file and its directory) and one rename,
 * plus a delete when a stale temp is there. Not thread-safe for one target: callers replace a
 * file under their own lock.
 */
public final class AtomicReplace {

    private AtomicReplace() {
    }

    /**
     * Replaces {@code target} by a file holding exactly {@code contents}, by way of {@code temp}:
     * the whole recipe. O(contents) written, two fsyncs, one rename.
     *
     * @param target the file to replace (or create)
     * @param temp   the temp file to write first, beside {@code target}; each store names its own
     * @throws java.io.UncheckedIOException when a step fails; {@code target} is then old or new
     */
    public static void replace(Vfs vfs, Path target, Path temp, ByteBuffer contents) {
        replace(vfs, target, temp, file -> {
            file.write(0, contents);
            return null;
        });
    }

    /**
     * Replaces {@code target} by the file {@code write} writes, by way of {@code temp}, and returns
     * what {@code write} returned (a log's end offset, say). {@code write} gets the new, empty temp
     * file: it writes into it and neither fsyncs nor closes it (both are done here). If it throws,
     * the temp file is closed, the target is untouched, and the exception passes through.
     * O(bytes written), two fsyncs, one rename.
     *
     * @throws java.io.UncheckedIOException when a step fails; {@code target} is then old or new
     */
    public static <T> T replace(Vfs vfs, Path target, Path temp, Function<VfsFile, T> write) {
        VfsFile file = createTemp(vfs, temp);
        T result;
        try {
            result = write.apply(file);
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(file, e);
            throw e;
        }
        publish(vfs, target, temp, file);
        return result;
    }

    /**
     * Steps 1 and 2 alone, for a caller that writes the temp file over many calls (a merge's
     * output): deletes a stale {@code temp} and returns it created anew, empty and open. The
     * caller writes it, then hands it to {@link #publish}, or closes it if it gives up. One delete
     * (when there is a stale file) and one create.
     */
    public static VfsFile createTemp(Vfs vfs, Path temp) {
        vfs.delete(temp);
        // Invariant: the temp file is new and empty, so nothing but what the caller writes is in it.
        return vfs.open(temp, true);
    }

    /**
     * Steps 4 to 6 alone: fsyncs the written temp file {@code file} (open on {@code temp}), closes
     * it, renames it over {@code target} and fsyncs the directory. After a failure the file is
     * closed. Two fsyncs, one rename.
     *
     * @throws java.io.UncheckedIOException when a step fails; {@code target} is then old or new
     */
    public static void publish(Vfs vfs, Path target, Path temp, VfsFile file) {
        try {
            file.sync();
        } catch (RuntimeException e) {
            Closeables.closeAfterFailure(file, e);
            throw e;
        }
        file.close();
        vfs.rename(temp, target);
        vfs.syncDirectory(directoryOf(target));
    }

    /** The directory holding {@code file}: the one whose entry a rename changes. */
    public static Path directoryOf(Path file) {
        return file.toAbsolutePath().getParent();
    }
}
