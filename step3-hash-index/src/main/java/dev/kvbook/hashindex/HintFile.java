package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The hint file of one sealed segment ({@link HintFormat}): written once when the segment is
 * sealed (at rollover, or by a merge), read at open instead of scanning the segment.
 *
 * <p>Why it exists: a segment scan must read every value, because a record's checksum covers
 * its value ({@link dev.kvbook.applog.LogReader}). A hint holds only keys and positions, so for
 * 100-byte values it is about a fifth of its segment, and open reads a fifth of the bytes.
 */
final class HintFile {

    private HintFile() {
    }

    /**
     * Writes the hint of segment {@code id} whose size is {@code dataSize}, atomically and
     * durably ({@link AtomicReplace}, by way of {@code NNNNNN.hint.tmp}). O(entries); two fsyncs
     * and a rename.
     */
    static void write(Vfs vfs, Path dir, int id, long dataSize, List<HintFormat.Entry> entries) {
        Path path = SegmentFormat.hintPath(dir, id);
        AtomicReplace.replace(vfs, path, SegmentFormat.tempPathOf(path), HintFormat.encode(id, dataSize, entries));
    }

    /**
     * Reads and checks the hint of segment {@code id}, which must describe exactly
     * {@code dataSize} bytes of segment. O(hint size).
     *
     * @throws CorruptionException when any check of {@link HintFormat} fails: the caller scans instead
     */
    static List<HintFormat.Entry> read(Vfs vfs, Path dir, int id, long dataSize) {
        Path path = SegmentFormat.hintPath(dir, id);
        return HintFormat.decode(readWhole(vfs, path), path, id, dataSize);
    }

    /** Reads the whole of {@code file}, opened read-only (a hint is never changed, only replaced). One read call. */
    private static ByteBuffer readWhole(Vfs vfs, Path file) {
        try (VfsFile in = vfs.openReadOnly(file)) {
            long size = in.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(file + " is " + size + " bytes, too large to read whole");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            in.readFully(0, bytes);
            return bytes.flip();
        }
    }

    /** Returns whether segment {@code id} has a hint file (valid or not). */
    static boolean exists(Vfs vfs, Path dir, int id) {
        return vfs.exists(SegmentFormat.hintPath(dir, id));
    }
}
