package dev.kvbook.cli;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Codecs;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.ManualClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Two handles of one {@link PersistentMap} (both from {@link PersistentMap#open}) dressed as one
 * {@link KeyValueStore}, so that the testkit's concurrency drivers, which call a store, run the
 * map: each calling thread is bound to one of the two handles (by its thread id), {@code get} is
 * the map's {@code get}, {@code put} its {@code put} (a read-modify-write under the map's lock) and
 * {@code delete} its {@code remove}. {@link #sweep} is the maintenance a driver loops beside the
 * workers.
 *
 * <p>Before the workers start, {@link #seedExpired} fills the map with entries, the workers' own
 * keys among them, and moves the clock past their expiry: the workers begin on a map that looks
 * empty (as the linearizability checker assumes) while the store still holds every seeded entry,
 * so the first sweeps race the workers' writes on the very keys they remove.
 */
final class TwoHandleMap implements KeyValueStore {

    /** How long an entry lives after its last access. The clock stands still during a round: no worker's entry expires. */
    static final Duration TTL = Duration.ofHours(1);

    private final List<PersistentMap<byte[], byte[]>> handles = new ArrayList<>();
    private final ManualClock clock;

    /** Opens two handles of the map kept in {@code store} at {@code home/map} on {@code vfs}, with every feature but long keys. */
    TwoHandleMap(String store, Vfs vfs, Path home) {
        this.clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        MapOptions options = MapOptions.defaults().withExpireAfterAccess(TTL).withMetadata(true).withAccessBatch(4)
                .withReadCache(2, 100_000).withClock(clock);
        for (int i = 0; i < 2; i++) {
            handles.add(PersistentMap.open(store, home.resolve("map"), vfs, Codecs.BYTES, Codecs.BYTES, options));
        }
    }

    /** Puts {@code keys} and {@code fillers} more entries, then moves the clock past their expiry. */
    TwoHandleMap seedExpired(List<String> keys, int fillers) {
        for (String key : keys) {
            handles.get(0).set(Keys.utf8(key), Keys.utf8("seeded, then expired"));
        }
        for (int i = 0; i < fillers; i++) {
            handles.get(1).set(Keys.utf8("filler-" + i), Keys.utf8("seeded, then expired"));
        }
        clock.advance(TTL);
        return this;
    }

    /** Removes the expired entries: what the maintenance thread loops. */
    long sweep() {
        return handles.get(0).sweep();
    }

    /** The handle the calling thread uses. */
    private PersistentMap<byte[], byte[]> mine() {
        return handles.get((int) (Thread.currentThread().getId() % 2));
    }

    @Override
    public byte[] get(byte[] key) {
        return mine().get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        mine().put(key, value);
    }

    @Override
    public boolean delete(byte[] key) {
        return mine().remove(key) != null;
    }

    @Override
    public long size() {
        return mine().size();
    }

    @Override
    public void sync() {
        mine().sync();
    }

    @Override
    public CloseableIterator<Entry> iterator() {
        List<Entry> entries = new ArrayList<>();
        mine().forEach((key, value) -> entries.add(new Entry(key, value)));
        return CloseableIterator.of(entries.iterator());
    }

    @Override
    public StoreStats stats() {
        return mine().store().stats();
    }

    @Override
    public void close() {
        handles.forEach(PersistentMap::close);
    }
}
