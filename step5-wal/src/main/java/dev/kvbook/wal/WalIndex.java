package dev.kvbook.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WAL index: for each page, the frames of the log that hold a version of it, oldest first.
 * Reads consult it before the data file: page n as of a {@link Snapshot} is the newest frame of
 * n that is not after the snapshot's {@code maxFrame}.
 *
 * <p>Why a list per page and not just "the newest frame"? Because readers of an older snapshot
 * must not see a newer version that the writer has appended (or even committed) since they
 * started. With every version listed, one index serves every snapshot at once, and publishing a
 * commit changes nothing here: it only moves the snapshot's frame number. SQLite keeps the same
 * information in its shared-memory wal-index, as hash tables over frame numbers.
 *
 * <p>It lives only in memory and is rebuilt by {@link Recovery} from the log on open.
 * Thread-safety: one writer adds (under the store's writer lock), many readers look up at the
 * same time. Each page's list is an immutable array replaced on append (copy-on-write), held in
 * a {@link ConcurrentHashMap}, so a lookup never sees a half-updated list. {@link #clear} runs
 * only inside a checkpoint, when no reader runs.
 */
final class WalIndex {

    private final Map<Integer, int[]> frames = new ConcurrentHashMap<>();

    /** Records that {@code frame} holds a version of {@code page}. Frames are added in increasing order. O(versions of the page). */
    void add(int page, int frame) {
        frames.compute(page, (p, old) -> {
            if (old == null) {
                return new int[] {frame};
            }
            // Invariant: a page's frames are listed in increasing order, as they were appended.
            assert old[old.length - 1] < frame : "frame " + frame + " added after " + old[old.length - 1];
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = frame;
            return grown;
        });
    }

    /** The newest frame holding {@code page} at or before {@code maxFrame}, or 0 when none. O(log versions). */
    int find(int page, int maxFrame) {
        int[] list = frames.get(page);
        if (list == null || maxFrame == 0) {
            return 0;
        }
        int at = Arrays.binarySearch(list, maxFrame);
        int index = at >= 0 ? at : -at - 2;
        return index >= 0 ? list[index] : 0;
    }

    /** The pages with a version at or before {@code maxFrame}, sorted: what a checkpoint copies. O(pages log n). */
    List<Integer> pagesUpTo(int maxFrame) {
        List<Integer> pages = new ArrayList<>();
        frames.forEach((page, list) -> {
            if (list[0] <= maxFrame) {
                pages.add(page);
            }
        });
        pages.sort(null);
        return pages;
    }

    /** Pages with at least one version in the log. */
    int pageCount() {
        return frames.size();
    }

    /** Forgets everything: the log was restarted by a checkpoint. */
    void clear() {
        frames.clear();
    }
}
