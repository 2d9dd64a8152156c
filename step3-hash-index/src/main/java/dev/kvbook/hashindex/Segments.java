package dev.kvbook.hashindex;

import dev.kvbook.applog.LogFormat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open segments of a store, by number: the handle cache, and the bookkeeping that keeps the
 * keydir and each segment's live bytes in step. The highest number is the active segment
 * (invariant 2 of {@link SegmentFormat}).
 *
 * <p>It also keeps running sums of the open segments' bytes on disk and garbage bytes
 * ({@link Totals}): each segment reports its changes, so {@link #bytesOnDisk()} and
 * {@link #garbageBytes()} cost O(1), cheap enough for the background merge to check after every
 * write ({@link BackgroundMerge}).
 *
 * <p>Thread-safe: a concurrent sorted map, read without locks by gets; changed by the store's
 * writer (rollover) and by a merge's switch-over, which hold the store's locks.
 */
final class Segments {

    /** Sums over the open segments, kept up to date by the segments themselves. Read without locks. */
    static final class Totals {
        private final AtomicLong bytesOnDisk = new AtomicLong();
        private final AtomicLong garbageBytes = new AtomicLong();

        void add(long bytesOnDiskDelta, long garbageDelta) {
            bytesOnDisk.addAndGet(bytesOnDiskDelta);
            garbageBytes.addAndGet(garbageDelta);
        }
    }

    private final ConcurrentSkipListMap<Integer, Segment> byId = new ConcurrentSkipListMap<>();
    private final Totals totals = new Totals();

    /** The segment numbered {@code id}, or {@code null} when it is not open. O(log segments). */
    Segment get(int id) {
        return byId.get(id);
    }

    /** The active segment: the highest number. */
    Segment active() {
        return byId.lastEntry().getValue();
    }

    /** Every open segment, oldest first. */
    Collection<Segment> all() {
        return byId.values();
    }

    /** Every sealed segment (all but the active one), oldest first. */
    List<Segment> sealed() {
        List<Segment> sealed = new ArrayList<>(byId.values());
        sealed.remove(sealed.size() - 1);
        return sealed;
    }

    /** Adds an opened segment. */
    void add(Segment segment) {
        Segment previous = byId.put(segment.id(), segment);
        assert previous == null : "segment " + segment.id() + " opened twice";
        segment.countIn(totals);
    }

    /** Forgets a segment (a merge replaced it); the caller closes and deletes it. */
    void remove(Segment segment) {
        if (byId.remove(segment.id(), segment)) {
            segment.stopCounting();
        }
    }

    int count() {
        return byId.size();
    }

    /**
     * Applies one record of {@code segment} to the keydir, as replaying the records in
     * (segment, offset) order requires (invariant 1 of {@link SegmentFormat}): a PUT points its
     * key at the record, a TOMBSTONE removes the key. The record that stops being live, if any,
     * leaves its segment's live bytes. Returns the key's previous location. O(1).
     */
    Keydir.Location apply(Keydir keydir, Segment segment, byte type, byte[] key, long offset, int size) {
        // LAB:BEGIN step3.keydir-apply — Replay one record into the keydir: a PUT points its key at the record, a TOMBSTONE removes it; keep live bytes right
        Keydir.Location previous;
        if (type == LogFormat.TYPE_TOMBSTONE) {
            previous = keydir.remove(key);
        } else {
            // Invariant: a record starts before its segment reached the rollover size (at most
            // Options.MAX_SEGMENT_SIZE), so its offset fits in an int.
            previous = keydir.put(key, new Keydir.Location(segment.id(), Math.toIntExact(offset), size));
            segment.addLive(size);
        }
        if (previous != null) {
            byId.get(previous.segment()).addLive(-previous.size());
        }
        return previous;
        // LAB:END
    }

    /** Bytes of all segment and hint files. O(1): a running sum. */
    long bytesOnDisk() {
        return totals.bytesOnDisk.get();
    }

    /** Files: segments plus hint files. */
    int files() {
        return (int) (byId.size() + byId.values().stream().filter(s -> s.hintBytes() > 0).count());
    }

    /** Garbage bytes in all segments. O(1): a running sum. */
    long garbageBytes() {
        return totals.garbageBytes.get();
    }

    /**
     * Whether the running sums equal the sums over the segments, computed afresh. O(segments);
     * for assertions, by a caller that holds the store's write lock (no figure is changing).
     */
    boolean totalsAgree() {
        long onDisk = byId.values().stream().mapToLong(s -> s.end() + s.hintBytes()).sum();
        long garbage = byId.values().stream().mapToLong(Segment::garbageBytes).sum();
        return onDisk == bytesOnDisk() && garbage == garbageBytes();
    }

    /** Closes every handle, attaching later failures to the first. */
    void closeAll() {
        RuntimeException first = null;
        for (Segment segment : byId.values()) {
            try {
                segment.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        byId.clear();
        if (first != null) {
            throw first;
        }
    }
}
