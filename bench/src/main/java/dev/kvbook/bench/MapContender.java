package dev.kvbook.bench;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.MapStats;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A kvbook step through {@link PersistentMap}: the layer people use when they want "a dict on
 * disk", measured beside the bare store so that its cost is a figure, not a guess. The map is
 * {@code PersistentMap<byte[], byte[]>} with {@link Codecs#BYTES}, so the workloads' keys and values
 * reach the store unchanged and only the map's own work is added: its lock, its lookups, and with a
 * feature on, the envelope, the access times or the cache.
 *
 * <p>{@code map-stepN} is step N with every feature off. Over step 3 (one store read per get, so the
 * map's share shows) each feature is also measured alone, and all together:
 * {@code map-step3-expiry}, {@code -metadata}, {@code -cache}, {@code -longkeys}, {@code -all}.
 * Durable and relaxed mean what they mean for the step underneath: a {@code set} is one store
 * {@code put}, and a {@code get} with metadata on writes nothing until 256 read keys are waiting.
 */
final class MapContender implements Contender {

    /** What the map has switched on. */
    enum Feature {
        NONE("", "every feature off"),
        EXPIRY("-expiry", "expiry 30d after creation"),
        METADATA("-metadata", "metadata (access times, batches of 256)"),
        CACHE("-cache", "a read cache of 1,000 entries"),
        LONG_KEYS("-longkeys", "long keys (envelope and tag; the bench's keys are short)"),
        ALL("-all", "expiry 30d after access, metadata, a 1,000-entry cache, long keys");

        final String suffix;
        final String words;

        Feature(String suffix, String words) {
            this.suffix = suffix;
            this.words = words;
        }

        /** The map options for this feature. Entries never expire during a run (30 days); the sweep on open still reads all. */
        MapOptions options() {
            MapOptions none = MapOptions.defaults();
            return switch (this) {
                case NONE -> none;
                case EXPIRY -> none.withExpireAfterCreation(Duration.ofDays(30));
                case METADATA -> none.withMetadata(true);
                case CACHE -> none.withReadCache(CACHE_ENTRIES, 64L << 20);
                case LONG_KEYS -> none.withLongKeys(true);
                case ALL -> none.withExpireAfterAccess(Duration.ofDays(30)).withMetadata(true)
                        .withReadCache(CACHE_ENTRIES, 64L << 20).withLongKeys(true);
            };
        }
    }

    /** A tenth of the 10^4 keys the quick plan's reads load: a cache that cannot hold everything. */
    static final int CACHE_ENTRIES = 1_000;

    private final StoreProvider provider;
    private final Feature feature;

    MapContender(StoreProvider provider, Feature feature) {
        this.provider = provider;
        this.feature = feature;
    }

    @Override public String name() { return "map-" + provider.name() + feature.suffix; }
    @Override public Kind kind() { return Kind.MAP; }
    /** The map offers no range scan (a {@code java.util.Map} has none), so the scan workload skips it. */
    @Override public boolean ordered() { return false; }

    @Override
    public String durability(Durability mode) {
        String over = "PersistentMap (" + feature.words + ") over " + provider.name() + ": ";
        return over + (mode == Durability.DURABLE ? "each set is one store put, durable on return"
                : "the store over the harness's NoSyncVfs, fsync skipped");
    }

    @Override
    public Engine open(Path dir, Durability mode) {
        CountingVfs vfs = new CountingVfs(mode == Durability.DURABLE ? Vfs.local() : new NoSyncVfs(Vfs.local()));
        PersistentMap<byte[], byte[]> map = PersistentMap.open(provider.name(), dir.resolve("store"), vfs,
                Codecs.BYTES, Codecs.BYTES, feature.options());
        return new MapEngine(name(), map, vfs);
    }

    /** The map is thread-safe (one read-write lock per map), so calls go straight through. */
    private record MapEngine(String name, PersistentMap<byte[], byte[]> map, CountingVfs vfs) implements Engine {

        /** {@code set}, not {@code put}: the workloads read first when they need the old value, as the counter does. */
        @Override public void put(byte[] key, byte[] value) { map.set(key, value); }
        @Override public byte[] get(byte[] key) { return map.get(key); }
        @Override public void sync() { map.sync(); }
        @Override public long bytesWritten() { return vfs.total().bytesWritten(); }
        @Override public long bytesOnDisk() { return map.store().stats().bytesOnDisk(); }

        @Override
        public int scan(byte[] fromInclusive, int count) {
            throw new UnsupportedOperationException("a PersistentMap has no range scan");
        }

        /** Notes the cache's hits and misses over the trial (load, warm-up and measurement) when it has one. */
        @Override
        public void close() {
            MapStats stats = map.stats();
            if (map.options().caches()) {
                BenchSettings.note("engine", name, "cache", stats.cacheHits() + " hits, " + stats.cacheMisses()
                        + " misses (" + Math.round(100 * stats.cacheHitRate()) + "%)");
            }
            map.close();
        }
    }
}
