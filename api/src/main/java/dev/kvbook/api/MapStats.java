package dev.kvbook.api;

/**
 * Figures about a {@link PersistentMap} in this process, from {@link PersistentMap#stats}: what
 * its cache, sweeps and access-time batches have done since it was opened. Every handle over one
 * store sees the same figures, because they share one cache and one sweep.
 *
 * @param cacheHits          reads by key (get, containsKey, metadata) the read cache answered; the
 *                           map's own reads before a write are not counted
 * @param cacheMisses        reads by key the cache sent to the store (0 when the cache is off)
 * @param cachedEntries      entries in the cache now
 * @param sweeps             sweeps finished (on open, on demand, in the background)
 * @param sweptEntries       expired entries the sweeps removed from the store
 * @param accessTimesWritten envelopes rewritten to record a later access time
 * @param accessTimesWaiting access times noted and not yet written
 * @param handles            open handles over this map in this process
 * @param backgroundFailure  why the background sweep stopped, or {@code null} while it has not
 *                           failed (it stops at its first failure and leaves the data as it was)
 */
public record MapStats(long cacheHits, long cacheMisses, int cachedEntries, long sweeps, long sweptEntries,
                       long accessTimesWritten, int accessTimesWaiting, int handles, String backgroundFailure) {

    /** The share of reads the cache answered, 0 to 1 (0 before any read). */
    public double cacheHitRate() {
        long reads = cacheHits + cacheMisses;
        return reads == 0 ? 0 : (double) cacheHits / reads;
    }
}
