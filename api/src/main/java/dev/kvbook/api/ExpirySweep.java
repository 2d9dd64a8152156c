package dev.kvbook.api;

import dev.kvbook.api.MapEnvelopeFormat.Slot;

import java.util.ArrayList;
import java.util.List;

/**
 * The sweep of a {@link PersistentMap} with expiry: removes from the store every entry that was
 * expired when the sweep started, and never one written (or read) after that. Expired entries are
 * invisible whether swept or not; a sweep frees their space. It runs when a map opens
 * ({@link MapOptions#sweepOnOpen}), in the background ({@link MapOptions#sweepEvery}), and on
 * demand ({@link PersistentMap#sweep()}).
 */
final class ExpirySweep {

    private ExpirySweep() {
    }

    /**
     * Sweeps {@code core}'s map and returns how many entries it removed; 0 without expiry.
     *
     * <ol>
     *   <li>Note the time, {@code start}.</li>
     *   <li>Collect, reading the store's iterator without the map's lock, the stored keys holding
     *       an entry expired at {@code start}. O(N) reads; O(expired) memory. Writers go on
     *       meanwhile; what they write is judged in step 3.</li>
     *   <li>In batches of {@value MapCore#BATCH}, each under the write lock (a waiting reader goes
     *       between two): read each candidate again and drop the slots still expired at
     *       {@code start}. An entry put since has a base time of {@code start} or later (the map's
     *       time never goes back), so it is live at {@code start} and stays; an entry read since has
     *       a noted access time that keeps it. Each stored key is one store write (a rewrite of its
     *       bucket, or a delete), so a crash between two loses no live entry and brings back none:
     *       an entry whose removal the crash lost is still expired.</li>
     * </ol>
     * A closing map stops it between batches.
     *
     * @param afterCollecting run between steps 2 and 3: tests use it to write in the gap
     */
    static long run(MapCore core, Runnable afterCollecting) {
        core.handles().checkOpen();
        if (core.options().expiry() == null) {
            return 0;
        }
        long start = core.now();
        List<byte[]> candidates = new ArrayList<>();
        try (CloseableIterator<Entry> it = core.store().iterator()) {
            while (it.hasNext()) {
                Entry entry = it.next();
                if (!MapKeyFormat.isReserved(entry.key()) && holdsExpired(core, entry, start)) {
                    candidates.add(entry.key());
                }
            }
        }
        afterCollecting.run();
        long removed = 0;
        for (int from = 0; from < candidates.size() && !core.handles().closing(); from += MapCore.BATCH) {
            List<byte[]> batch = candidates.subList(from, Math.min(candidates.size(), from + MapCore.BATCH));
            removed += core.writeLocked(() -> batch.stream().mapToLong(key -> removeExpired(core, key, start)).sum());
        }
        core.swept(removed);
        return removed;
    }

    /** Step 2 for one entry of the store: whether any slot of it is expired at {@code at}. */
    private static boolean holdsExpired(MapCore core, Entry entry, long at) {
        Bucket bucket = core.bucket(entry.key(), entry.value());
        for (Slot slot : bucket.slots()) {
            if (core.expired(bucket.keyOf(slot), slot, at)) {
                return true;
            }
        }
        return false;
    }

    /** Step 3 for one stored key, under the write lock: drops its slots expired at {@code start}. */
    private static long removeExpired(MapCore core, byte[] storedKey, long start) {
        byte[] stored = core.store().get(storedKey); // not through the cache: a doomed entry need not fill it
        if (stored == null) {
            return 0;
        }
        Bucket bucket = core.bucket(storedKey, stored);
        Bucket kept = bucket;
        for (Slot slot : bucket.slots()) {
            byte[] key = bucket.keyOf(slot);
            if (core.expired(key, slot, start)) {
                core.forgetAccess(key);
                kept = kept.without(key);
            }
        }
        if (kept != bucket) {
            core.rewrite(kept);
        }
        return bucket.slots().size() - kept.slots().size();
    }
}
