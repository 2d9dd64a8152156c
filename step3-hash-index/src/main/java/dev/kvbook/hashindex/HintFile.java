package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;

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
     * durably ({@link DurableFiles#writeWhole}). O(entries); two fsyncs and a rename.
     */
    static void write(Vfs vfs, Path dir, int id, long dataSize, List<HintFormat.Entry> entries) {
        DurableFiles.writeWhole(vfs, SegmentFormat.hintPath(dir, id), HintFormat.encode(id, dataSize, entries));
    }

    /**
     * Reads and checks the hint of segment {@code id}, which must describe exactly
     * {@code dataSize} bytes of segment. O(hint size).
     *
     * @throws CorruptionException when any check of {@link HintFormat} fails: the caller scans instead
     */
    static List<HintFormat.Entry> read(Vfs vfs, Path dir, int id, long dataSize) {
        Path path = SegmentFormat.hintPath(dir, id);
        return HintFormat.decode(DurableFiles.readWhole(vfs, path), path, id, dataSize);
    }

    /** Returns whether segment {@code id} has a hint file (valid or not). */
    static boolean exists(Vfs vfs, Path dir, int id) {
        return vfs.exists(SegmentFormat.hintPath(dir, id));
    }
}
