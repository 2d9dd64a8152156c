package dev.kvbook.applog;

import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;

/**
 * When a store compacts on its own: once garbage (superseded records and tombstones) makes up a
 * set fraction of the log, and the log has reached a set size. Set with
 * {@link AppendLogStore.Options#withAutoCompaction}; off when the fraction is 0.
 *
 * <p>The catch is the garbage figure itself. With no index, the store learns it only by
 * replaying the whole log ({@link LogReplay}), an O(N) read, far too dear to do after every
 * write. So the policy looks only when the log has grown by half since it last looked (or was
 * compacted). The log must grow by N/2 bytes before an O(N) check, so the checks cost O(1)
 * amortized per byte written, and puts stay O(1). The price is that a log may hold somewhat more
 * garbage than the fraction before a check notices.
 *
 * <p>Not thread-safe: the store calls it under its write lock.
 */
final class AutoCompaction {

    private final double garbageRatio;
    private final long minBytes;
    private long nextCheck;

    /** The policy of {@code options}, before any check has run. */
    AutoCompaction(AppendLogStore.Options options) {
        this.garbageRatio = options.autoCompactGarbageRatio();
        this.minBytes = options.autoCompactMinBytes();
    }

    /**
     * Checks the settings as {@link AppendLogStore.Options} takes them: a ratio in [0, 1), where 0
     * is off, and a size of at least 0.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    static void checkSettings(double garbageRatio, long minBytes) {
        if (!(garbageRatio >= 0 && garbageRatio < 1)) {
            throw new IllegalArgumentException("autoCompactGarbageRatio must be in [0, 1) (0 = off), not "
                    + garbageRatio);
        }
        if (minBytes < 0) {
            throw new IllegalArgumentException("autoCompactMinBytes must be at least 0, not " + minBytes);
        }
    }

    /**
     * After a write that left the log ending at {@code end}: when a check is due, replays the log
     * and returns the replay if its garbage is worth compacting; otherwise returns {@code null}.
     * O(1) when no check is due, O(N) reads when one is: O(1) amortized per byte written.
     */
    LogReplay replayIfWorthCompacting(VfsFile file, Path path, long end) {
        if (garbageRatio == 0 || end < minBytes || end < nextCheck) {
            return null;
        }
        nextCheck = end + end / 2;
        LogReplay replay = LogReplay.of(file, path, end, false);
        return replay.garbageBytes() >= garbageRatio * end ? replay : null;
    }

    /** Notes a compaction (automatic or not) that left the log ending at {@code end}. */
    void compacted(long end) {
        nextCheck = end + end / 2;
    }
}
