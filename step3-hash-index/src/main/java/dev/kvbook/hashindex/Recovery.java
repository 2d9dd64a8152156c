package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogTail;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * What {@link HashIndexStore#open} does before the store can be used: tidy the directory, open
 * every segment and rebuild the keydir from them, oldest first.
 *
 * <ol>
 * <li>Delete the store's own temporary files ({@code NNNNNN.data.tmp}, {@code NNNNNN.hint.tmp}):
 *     a new segment, hint or merge output that a crash caught before its rename. Nothing refers
 *     to them (invariant 3 of {@link SegmentFormat}). Other names are not the store's and stay.</li>
 * <li>Delete hint files whose segment is gone (a merge deleted the segment first), and the
 *     newest segment's hint (it is the active segment again, and will grow).</li>
 * <li>No segment at all: create segment 1.</li>
 * <li>Each sealed segment, in number order: check its header, then replay its valid hint file,
 *     or scan it when the hint is missing or fails any check of {@link HintFormat}. A sealed
 *     segment must be whole: a bad record in it is corruption, and so is a size other than the
 *     one its (otherwise intact) hint recorded when it was sealed.</li>
 * <li>The newest segment (the active one): scan it, truncating a torn tail by step 2's rule
 *     (step 2's {@link LogTail}).</li>
 * </ol>
 * Replaying in (segment, offset) order makes the newest record of each key win (invariant 1 of
 * {@link SegmentFormat}). Cost: every hint file, plus every segment without one, read once.
 */
final class Recovery {

    /**
     * What open found.
     *
     * @param segments                   the open segments, the newest one active
     * @param keydir                     every live key's location
     * @param nextId                     the number the next new segment takes
     * @param hintsUsed                  sealed segments loaded from their hint file
     * @param segmentsScannedWithoutHint sealed segments scanned because their hint was missing or bad
     * @param tornTailBytesTruncated     bytes cut off the active segment
     */
    record Result(Segments segments, Keydir keydir, int nextId, int hintsUsed, int segmentsScannedWithoutHint,
                  long tornTailBytesTruncated) {
    }

    private Recovery() {
    }

    /**
     * Before the lock (step 0): makes sure {@code dir} is a place for this store. A missing
     * directory is created and made durable in its parent (an fsync of the parent) before
     * anything is written in it; its parent exists ({@link dev.kvbook.api.vfs.StorePaths}). An
     * existing directory is refused when it holds files but no segment and none of the store's
     * names: someone else's directory, which the store must not move into. Reads the directory
     * listing only; touches nothing it refuses.
     *
     * @throws IllegalArgumentException naming what was found, for a directory that is not a store
     */
    static void prepareDirectory(Vfs vfs, Path dir) {
        if (!vfs.exists(dir)) {
            vfs.createDirectories(dir);
            vfs.syncDirectory(dir.getParent());
            return;
        }
        List<Path> entries = vfs.list(dir);
        if (entries.isEmpty() && isFile(vfs, dir)) {
            throw new IllegalArgumentException("cannot open a step-3 store at " + dir + ": it is a file, and step 3"
                    + " keeps its store in a directory of segments; give the path of a new or empty directory,"
                    + " or of a step-3 store");
        }
        boolean hasSegment = entries.stream().anyMatch(p -> SegmentFormat.dataId(p).isPresent());
        List<String> strangers = entries.stream().filter(p -> !SegmentFormat.isStoreName(p))
                .map(p -> p.getFileName().toString()).toList();
        if (!hasSegment && !strangers.isEmpty()) {
            throw new IllegalArgumentException("cannot open a step-3 store in " + dir + ": the directory is not"
                    + " empty and holds no store (no NNNNNN.data segment), only files that are not the store's: "
                    + String.join(", ", strangers.subList(0, Math.min(10, strangers.size())))
                    + (strangers.size() > 10 ? " and " + (strangers.size() - 10) + " more" : "")
                    + "; open an empty or new directory instead");
        }
    }

    /**
     * Whether {@code path} (which exists and lists no entries) is a regular file rather than an
     * empty directory: a file opens, a directory does not. The failure to open is the answer here,
     * not an error to report.
     */
    private static boolean isFile(Vfs vfs, Path path) {
        try (VfsFile file = vfs.open(path, false)) {
            return file.size() >= 0; // it opened, and a file has a size: it is a file
        } catch (UncheckedIOException directory) {
            return false;
        }
    }

    /**
     * Opens the store directory {@code dir}.
     *
     * @throws CorruptionException for a bad segment header, or a bad record in a sealed segment or
     *                             before the tail of the active one
     */
    static Result run(Vfs vfs, Path dir, boolean useHints, boolean packedKeydir) {
        TreeSet<Integer> ids = tidy(vfs, dir);
        Segments segments = new Segments();
        try {
            if (ids.isEmpty()) {
                segments.add(Segment.create(vfs, dir, SegmentFormat.FIRST_ID));
                return new Result(segments, Keydir.create(packedKeydir), SegmentFormat.FIRST_ID + 1, 0, 0, 0);
            }
            // LAB:BEGIN step3.rebuild — Rebuild the keydir on open: sealed segments from their hint files (or a scan), then the active one with torn-tail recovery
            Keydir keydir = Keydir.create(packedKeydir);
            int hintsUsed = 0;
            int scanned = 0;
            for (int id : ids.headSet(ids.last())) {
                Segment segment = Segment.open(vfs, dir, id);
                segments.add(segment);
                List<HintFormat.Entry> entries = useHints ? hintEntries(vfs, dir, segment) : null;
                if (entries == null) {
                    entries = segment.scan();
                    scanned++;
                } else {
                    hintsUsed++;
                }
                for (HintFormat.Entry e : entries) {
                    segments.apply(keydir, segment, e.type(), e.key(), e.offset(), e.recordSize());
                }
            }
            Segment active = Segment.open(vfs, dir, ids.last());
            segments.add(active);
            LogTail.Outcome tail = LogTail.recover(active.file(), active.path(), false,
                    r -> segments.apply(keydir, active, r.type(), r.key(), r.offset(), r.size()));
            active.setEnd(tail.end());
            long torn = tail.tornTailBytesTruncated();
            return new Result(segments, keydir, ids.last() + 1, hintsUsed, scanned, torn);
            // LAB:END
        } catch (RuntimeException e) {
            try {
                segments.closeAll();
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        }
    }

    /**
     * Steps 1 and 2: deletes leftovers and returns the segment numbers, sorted. One directory
     * fsync if anything was deleted.
     */
    private static TreeSet<Integer> tidy(Vfs vfs, Path dir) {
        TreeSet<Integer> dataIds = new TreeSet<>();
        TreeSet<Integer> hintIds = new TreeSet<>();
        boolean deleted = false;
        for (Path file : vfs.list(dir)) {
            if (SegmentFormat.isTemp(file)) {
                vfs.delete(file);
                deleted = true;
            }
            SegmentFormat.dataId(file).ifPresent(dataIds::add);
            SegmentFormat.hintId(file).ifPresent(hintIds::add);
        }
        OptionalInt newest = dataIds.isEmpty() ? OptionalInt.empty() : OptionalInt.of(dataIds.last());
        for (int id : hintIds) {
            if (!dataIds.contains(id) || (newest.isPresent() && id == newest.getAsInt())) {
                vfs.delete(SegmentFormat.hintPath(dir, id));
                deleted = true;
            }
        }
        if (deleted) {
            vfs.syncDirectory(dir);
        }
        return dataIds;
    }

    /** The valid hint entries of {@code segment}, or {@code null} when it must be scanned instead. */
    private static List<HintFormat.Entry> hintEntries(Vfs vfs, Path dir, Segment segment) {
        if (!HintFile.exists(vfs, dir, segment.id())) {
            return null;
        }
        try {
            List<HintFormat.Entry> entries = HintFile.read(vfs, dir, segment.id(), segment.end());
            segment.setHintBytes(HintFormat.sizeOf(entries));
            return entries;
        } catch (HintFormat.SizeMismatch damagedSegment) {
            throw damagedSegment;
        } catch (CorruptionException damagedHint) {
            return null; // invariant 4 of HintFormat: a hint can cost time, never data
        }
    }
}
