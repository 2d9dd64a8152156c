package dev.kvbook.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link PersistentMap} does beyond being a map: every feature is off in
 * {@link #defaults()}, and then the map writes exactly the bytes it always wrote (the codecs'
 * bytes under the codecs' bytes), so a map made before these options existed opens unchanged.
 *
 * <pre>{@code
 * MapOptions options = MapOptions.defaults()
 *         .withExpireAfterAccess(Duration.ofDays(30))   // unused entries vanish after 30 days
 *         .withMetadata(true)                           // metadata(key): created, last access
 *         .withReadCache(10_000, 64 << 20)              // 10,000 entries or 64 MiB, whichever first
 *         .withLongKeys(true);                          // keys over 1023 bytes, stored under a digest
 * }</pre>
 *
 * <h2>Two kinds of option</h2>
 * <ul>
 *   <li><b>Recorded</b> ({@link #expiry}, {@link #metadata}, {@link #longKeys},
 *       {@link #digestLength}): they decide what the bytes in the store mean. Turning on any of
 *       the first three puts every value in an envelope ({@link MapEnvelopeFormat}) and writes
 *       these options into the store under a reserved key ({@link MapOptionsFormat}); a later
 *       open with other recorded options is refused with an {@link IllegalArgumentException}
 *       that names both, because reading a map with the wrong options would resurrect expired
 *       entries or look long keys up in the wrong place.</li>
 *   <li><b>This process only</b> ({@link #cacheEntries}, {@link #cacheBytes}, {@link #clock},
 *       {@link #sweepEvery}, {@link #sweepOnOpen}, {@link #accessBatch}): how this JVM works with
 *       the map; nothing of them reaches the disk.</li>
 * </ul>
 *
 * @param expiry        when entries expire, or {@code null} for never (the default)
 * @param metadata      whether last-access times are kept up to date on reads, for
 *                      {@link PersistentMap#metadata}; costs a batched write per read key
 * @param longKeys      whether keys longer than {@link MapKeyFormat#MAX_SHORT_KEY} bytes are
 *                      stored under a digest of themselves instead of being refused
 * @param digestLength  how many bytes of the SHA-256 digest name a long key: 32 (all of it) by
 *                      default; a test may choose 1 so that collisions are common
 * @param cacheEntries  the most entries the read cache holds; 0 (the default) turns it off
 * @param cacheBytes    the most bytes (keys plus stored values) the read cache holds
 * @param clock         where times come from; tests inject one they move by hand
 * @param sweepEvery    how often a background thread removes expired entries and writes
 *                      batched access times, or {@code null} (the default) for only on open and
 *                      on demand ({@link PersistentMap#sweep}, {@link PersistentMap#sync})
 * @param sweepOnOpen   whether opening a map with expiry runs one sweep (the default)
 * @param accessBatch   how many access times are held in memory before they are written
 */
public record MapOptions(Expiry expiry, boolean metadata, boolean longKeys, int digestLength,
                         int cacheEntries, long cacheBytes, Clock clock, Duration sweepEvery, boolean sweepOnOpen,
                         int accessBatch) {

    /** What expiry counts from. The codes are stored on disk ({@link MapOptionsFormat}): never reuse one. */
    public enum Basis {
        /** From when the entry's current value was put: a put that replaces a value starts the count again. */
        CREATION(1),
        /** From the entry's last read by key ({@code get} and the methods built on it) or write. */
        LAST_ACCESS(2);

        /** This basis's byte in the options record. */
        final int code;

        Basis(int code) {
            this.code = code;
        }
    }

    /**
     * Entries expire {@code after} this long (to the millisecond), counted from {@code basis}. An
     * expired entry is invisible at once to every read and view; a sweep removes it from the store
     * later.
     */
    public record Expiry(Duration after, Basis basis) {
        public Expiry {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(basis, "basis");
            if (after.toMillis() <= 0) {
                // A sweep relies on it: an entry written after the sweep started is younger than this.
                throw new IllegalArgumentException("expiry must be at least 1 ms, not " + after);
            }
            after = Duration.ofMillis(after.toMillis()); // the store keeps milliseconds; so does this
        }

        /** In words, the span in the largest unit that divides it: {@code "expire 30d after creation"}. */
        @Override
        public String toString() {
            return "expire " + shortText(after) + " after " + (basis == Basis.CREATION ? "creation" : "last access");
        }

        /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or {@code 1500ms}: what {@code kv map --expire-after} takes. */
        public static String shortText(Duration span) {
            long ms = span.toMillis();
            long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
            String[] units = {"d", "h", "m", "s"};
            for (int i = 0; i < sizes.length; i++) {
                if (ms % sizes[i] == 0) {
                    return ms / sizes[i] + units[i];
                }
            }
            return ms + "ms";
        }
    }

    /** SHA-256's length in bytes: the digest length a real map uses. */
    public static final int FULL_DIGEST = 32;

    /** Access times held in memory by default before they are written: a few hundred, one sweep batch. */
    public static final int DEFAULT_ACCESS_BATCH = 256;

    public MapOptions {
        Objects.requireNonNull(clock, "clock");
        if (digestLength < 1 || digestLength > FULL_DIGEST) {
            throw new IllegalArgumentException("digestLength is 1 to " + FULL_DIGEST + " bytes, not " + digestLength);
        }
        if (cacheEntries < 0 || cacheBytes < 0) {
            throw new IllegalArgumentException("cache bounds cannot be negative: " + cacheEntries + " entries, "
                    + cacheBytes + " bytes");
        }
        if (sweepEvery != null && sweepEvery.toMillis() <= 0) {
            throw new IllegalArgumentException("sweepEvery must be at least 1 ms, not " + sweepEvery);
        }
        if (accessBatch < 1) {
            throw new IllegalArgumentException("accessBatch must be at least 1, not " + accessBatch);
        }
    }

    /** Every feature off, system clock, no cache: the bare map, byte for byte as it always was. */
    public static MapOptions defaults() {
        return new MapOptions(null, false, false, FULL_DIGEST, 0, 0, Clock.systemUTC(), null, true,
                DEFAULT_ACCESS_BATCH);
    }

    /** Entries expire {@code after} this long since they were put. */
    public MapOptions withExpireAfterCreation(Duration after) {
        return withExpiry(new Expiry(after, Basis.CREATION));
    }

    /** Entries expire {@code after} this long since they were last read by key or written. */
    public MapOptions withExpireAfterAccess(Duration after) {
        return withExpiry(new Expiry(after, Basis.LAST_ACCESS));
    }

    /** Entries expire as {@code newExpiry} says; {@code null} for never. */
    public MapOptions withExpiry(Expiry newExpiry) {
        return new MapOptions(newExpiry, metadata, longKeys, digestLength, cacheEntries, cacheBytes, clock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /** Keeps creation and last-access times readable through {@link PersistentMap#metadata}. */
    public MapOptions withMetadata(boolean on) {
        return new MapOptions(expiry, on, longKeys, digestLength, cacheEntries, cacheBytes, clock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /** Stores keys over the store's limit under a SHA-256 digest, the key itself in the envelope. */
    public MapOptions withLongKeys(boolean on) {
        return new MapOptions(expiry, metadata, on, digestLength, cacheEntries, cacheBytes, clock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /**
     * Keeps only the first {@code bytes} bytes of each long key's digest. Only for tests: with 1
     * byte, two long keys share a digest one time in 256, so the collision path runs.
     */
    public MapOptions withDigestLength(int bytes) {
        return new MapOptions(expiry, metadata, longKeys, bytes, cacheEntries, cacheBytes, clock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /** A read cache of at most {@code entries} entries and {@code bytes} bytes (0 and 0: none). */
    public MapOptions withReadCache(int entries, long bytes) {
        return new MapOptions(expiry, metadata, longKeys, digestLength, entries, bytes, clock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /** Takes every time from {@code newClock}. */
    public MapOptions withClock(Clock newClock) {
        return new MapOptions(expiry, metadata, longKeys, digestLength, cacheEntries, cacheBytes, newClock,
                sweepEvery, sweepOnOpen, accessBatch);
    }

    /** Sweeps and writes access times in a background thread every {@code period}; {@code null}: never. */
    public MapOptions withSweepEvery(Duration period) {
        return new MapOptions(expiry, metadata, longKeys, digestLength, cacheEntries, cacheBytes, clock,
                period, sweepOnOpen, accessBatch);
    }

    /** Whether opening a map with expiry sweeps it first (O(N) reads). */
    public MapOptions withSweepOnOpen(boolean on) {
        return new MapOptions(expiry, metadata, longKeys, digestLength, cacheEntries, cacheBytes, clock,
                sweepEvery, on, accessBatch);
    }

    /** Holds at most {@code count} access times in memory before writing them. */
    public MapOptions withAccessBatch(int count) {
        return new MapOptions(expiry, metadata, longKeys, digestLength, cacheEntries, cacheBytes, clock,
                sweepEvery, sweepOnOpen, count);
    }

    /** Whether values are stored in an envelope: expiry, metadata or long keys is on. */
    public boolean usesEnvelope() {
        return expiry != null || metadata || longKeys;
    }

    /** Whether reads write last-access times: for metadata, or because expiry counts from them. */
    public boolean tracksAccess() {
        return metadata || expiry != null && expiry.basis() == Basis.LAST_ACCESS;
    }

    /** Whether the read cache is on. */
    public boolean caches() {
        return cacheEntries > 0 && cacheBytes > 0;
    }

    /** The options this map records in its store, to compare with those already there. */
    MapOptionsFormat.Recorded recorded() {
        return new MapOptionsFormat.Recorded(expiry, metadata, longKeys, longKeys ? digestLength : 0);
    }
}
