package dev.kvbook.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PersistentMap}'s features one claim at a time, over a {@link MemoryStore} with a
 * {@link ManualClock}. The model-based properties ({@link PersistentMapPropertiesTest}) check the
 * same features in random combinations; the tests over real stores, with two handles, threads
 * and crashes, are in the cli module, which sees every store.
 */
class PersistentMapTest {

    private static final Duration TTL = Duration.ofMinutes(10);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final MemoryStore store = new MemoryStore();

    private PersistentMap<String, String> open(MapOptions options) {
        return PersistentMap.over(store, Codecs.STRING, Codecs.STRING, options.withClock(clock));
    }

    // ---- features off ---------------------------------------------------------------------------

    @Test
    void withEveryFeatureOffTheStoreHoldsExactlyTheCodecsBytes() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withReadCache(10, 10_000))) {
            map.put("cat", "meow");
        }
        assertThat(store.disk().entries).hasSize(1);
        assertThat(store.get(Keys.utf8("cat"))).isEqualTo(Keys.utf8("meow"));
        assertThat(store.get(MapKeyFormat.OPTIONS_KEY)).isNull();
    }

    @Test
    void theBareConstructorStillWorksOverAStoreItDoesNotClose() {
        Map<String, String> map = new PersistentMap<>(store, Codecs.STRING, Codecs.STRING);
        map.put("cat", "meow");
        assertThat(map).containsExactly(Map.entry("cat", "meow"));
        assertThat(store.get(Keys.utf8("cat"))).isEqualTo(Keys.utf8("meow"));
    }

    // ---- recorded options -----------------------------------------------------------------------

    @Test
    void anEnvelopeMapRecordsItsOptionsAndRefusesOthersNamingBoth() {
        open(MapOptions.defaults().withExpireAfterCreation(TTL)).close();
        assertThat(MapOptionsFormat.decode(store.get(MapKeyFormat.OPTIONS_KEY)).expiry().after()).isEqualTo(TTL);
        assertThatThrownBy(() -> open(MapOptions.defaults().withExpireAfterCreation(Duration.ofMinutes(5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("created with expire 10m after creation")
                .hasMessageContaining("cannot be opened with expire 5m after creation");
        assertThatThrownBy(() -> open(MapOptions.defaults()))
                .as("opened with every feature off, expired entries would come back")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every feature off");
        assertThatThrownBy(() -> new PersistentMap<>(store, Codecs.STRING, Codecs.STRING))
                .isInstanceOf(IllegalArgumentException.class);
        open(MapOptions.defaults().withExpireAfterCreation(TTL).withReadCache(5, 5000)).close(); // process-only options may differ
    }

    @Test
    void anEnvelopeMapRefusesAStoreOfBareEntries() {
        store.put(Keys.utf8("cat"), Keys.utf8("meow"));
        assertThatThrownBy(() -> open(MapOptions.defaults().withMetadata(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 entry and no map options record");
        assertThat(store.disk().entries).as("nothing written by the refused open").hasSize(1);
    }

    @Test
    void aSecondMapOverTheSameStoreObjectIsRefusedUntilTheFirstCloses() {
        PersistentMap<String, String> first = open(MapOptions.defaults().withReadCache(10, 10_000));
        assertThatThrownBy(() -> open(MapOptions.defaults())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open over this store");
        first.close();
        open(MapOptions.defaults()).close();
    }

    // ---- damage ---------------------------------------------------------------------------------

    @Test
    void aDamagedEnvelopeIsCorruptionNamingTheKeyNeverAWrongValue() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withMetadata(true))) {
            map.put("cat", "meow");
            byte[] storedKey = new MapKeyFormat(map.options()).storedKey(Keys.utf8("cat"));
            byte[] envelope = store.get(storedKey);
            envelope[envelope.length - 6] ^= 1; // inside "meow"
            store.put(storedKey, envelope);
            assertThatThrownBy(() -> map.get("cat")).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("key \"cat\"").hasMessageContaining("checksum");
            assertThatThrownBy(() -> map.forEach((k, v) -> { })).isInstanceOf(CorruptionException.class);
        }
    }

    // ---- expiry ---------------------------------------------------------------------------------

    @Test
    void anExpiredEntryIsInvisibleAtOnceToEveryReadAndView() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterCreation(TTL)
                .withMetadata(true).withReadCache(10, 10_000))) {
            map.put("old", "a");
            clock.advance(TTL.minusMillis(1));
            map.put("new", "b");
            assertThat(map.get("old")).as("one ms before its time").isEqualTo("a");
            clock.advance(Duration.ofMillis(1));
            assertThat(map.get("old")).isNull();
            assertThat(map.containsKey("old")).isFalse();
            assertThat(map.metadata("old")).isNull();
            assertThat(map).containsExactly(Map.entry("new", "b"));
            assertThat(map.size()).isEqualTo(1);
            assertThat(map.keySet()).containsExactly("new");
            assertThat(map.values()).containsExactly("b");
            Map<String, String> visited = new HashMap<>();
            map.forEach(visited::put);
            assertThat(visited).containsExactly(Map.entry("new", "b"));
            assertThat(map.put("old", "c")).as("put over an expired entry replaces nothing").isNull();
            clock.advance(TTL);
            assertThat(map.remove("old")).as("remove of an expired entry removes nothing").isNull();
            assertThat(store.get(new MapKeyFormat(map.options()).storedKey(Keys.utf8("old"))))
                    .as("but it is gone from the store").isNull();
        }
    }

    @Test
    void expiryAfterAccessCountsFromTheLastRead() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterAccess(TTL))) {
            map.put("read", "a");
            map.put("unread", "b");
            clock.advance(TTL.minusMillis(1));
            assertThat(map.get("read")).isEqualTo("a");
            assertThat(map.containsKey("unread")).as("containsKey is not a read of the value").isTrue();
            clock.advance(Duration.ofMillis(1));
            assertThat(map.get("unread")).isNull();
            assertThat(map.get("read")).isEqualTo("a");
            clock.advance(TTL);
            assertThat(map.get("read")).isNull();
        }
    }

    @Test
    void aSweepRemovesExpiredEntriesFromTheStoreAndKeepsLiveOnes() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterCreation(TTL))) {
            for (int i = 0; i < 600; i++) {
                map.put("old" + i, "v");
            }
            clock.advance(TTL);
            map.put("live", "v");
            assertThat(map.sweep()).isEqualTo(600);
            assertThat(store.disk().entries).as("the live entry and the options record").hasSize(2);
            assertThat(map.stats().sweptEntries()).isEqualTo(600);
            assertThat(map.sweep()).isZero();
        }
    }

    @Test
    void openingAMapWithExpirySweepsIt() {
        open(MapOptions.defaults().withExpireAfterCreation(TTL)).close();
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterCreation(TTL))) {
            map.put("old", "v");
        }
        clock.advance(TTL);
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterCreation(TTL))) {
            assertThat(map.stats().sweptEntries()).isEqualTo(1);
            assertThat(store.disk().entries).hasSize(1);
        }
    }

    @Test
    void aSweepNeverRemovesAnEntryWrittenAfterItStarted() {
        byte[][] bucket = MapEnvelopeFormatTest.collidingLongKeys(
                new MapKeyFormat(MapOptions.defaults().withLongKeys(true).withDigestLength(1)), 2);
        MapOptions options = MapOptions.defaults().withExpireAfterCreation(TTL).withLongKeys(true).withDigestLength(1);
        try (PersistentMap<byte[], String> map = PersistentMap.over(store, Codecs.BYTES, Codecs.STRING,
                options.withClock(clock))) {
            map.put(Keys.utf8("rewritten"), "old");
            map.put(Keys.utf8("left"), "old");
            map.put(bucket[0], "old");
            map.put(bucket[1], "old");
            clock.advance(TTL);
            long removed = map.sweep(() -> {
                // The sweep has its candidates (all four); these writes come after it started.
                map.put(Keys.utf8("rewritten"), "new");
                map.put(bucket[1], "new");
            });
            assertThat(removed).isEqualTo(2);
            assertThat(map.get(Keys.utf8("rewritten"))).isEqualTo("new");
            assertThat(map.get(bucket[1])).isEqualTo("new");
            assertThat(map.get(Keys.utf8("left"))).isNull();
            assertThat(map.get(bucket[0])).isNull();
        }
    }

    @Test
    void aSweepLetsAWaitingReaderInBetweenBatches() throws Exception {
        int entries = 3 * MapCore.BATCH;
        BlockingStore blocking = new BlockingStore(store);
        try (PersistentMap<String, String> map = PersistentMap.over(blocking, Codecs.STRING, Codecs.STRING,
                MapOptions.defaults().withExpireAfterCreation(TTL).withClock(clock).withSweepOnOpen(false))) {
            map.put("live", "v");
            for (int i = 0; i < entries; i++) {
                map.put("old" + i, "v");
            }
            clock.advance(TTL.minusMillis(1));
            map.put("live", "v"); // still live when the others expire
            clock.advance(Duration.ofMillis(1));
            String[] seen = {null};
            Thread reader = new Thread(() -> seen[0] = map.get("live"));
            blocking.watch(reader);
            blocking.onFirstDelete(() -> {
                reader.start();
                awaitWaiting(reader); // the reader is queued for the lock the sweep's first batch holds
            });
            assertThat(map.sweep()).isEqualTo(entries);
            reader.join(60_000);
            assertThat(seen[0]).isEqualTo("v");
            assertThat(blocking.deletesAtWatchedGet()).as("deletes made before the reader's get reached the store")
                    .isEqualTo(MapCore.BATCH);
        }
    }

    // ---- metadata and access times --------------------------------------------------------------

    @Test
    void metadataTellsCreationAndLastAccessAndAPutCreatesAnew() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withMetadata(true))) {
            Instant t0 = clock.instant();
            map.put("cat", "meow");
            clock.advance(Duration.ofSeconds(5));
            map.get("cat");
            assertThat(map.metadata("cat")).isEqualTo(new EntryMetadata(t0, t0.plusSeconds(5)));
            clock.advance(Duration.ofSeconds(5));
            map.put("cat", "purr");
            assertThat(map.metadata("cat")).isEqualTo(new EntryMetadata(t0.plusSeconds(10), t0.plusSeconds(10)));
            assertThat(map.metadata("dog")).isNull();
        }
    }

    @Test
    void metadataIsRefusedWhenItIsOff() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterCreation(TTL))) {
            map.put("cat", "meow");
            assertThatThrownBy(() -> map.metadata("cat")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("withMetadata(true)");
        }
    }

    @Test
    void accessTimesAreWrittenInBatchesAndOnClose() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withMetadata(true).withAccessBatch(3))) {
            for (String key : List.of("a", "b", "c", "d")) {
                map.put(key, "v");
            }
            clock.advance(Duration.ofSeconds(1));
            map.get("a");
            map.get("b");
            assertThat(map.stats().accessTimesWritten()).isZero();
            assertThat(map.stats().accessTimesWaiting()).isEqualTo(2);
            map.get("c");
            assertThat(map.stats().accessTimesWritten()).as("the third read fills the batch").isEqualTo(3);
            map.get("d");
        }
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withMetadata(true))) {
            assertThat(map.metadata("d").lastAccess()).as("written on close").isEqualTo(clock.instant());
        }
    }

    @Test
    void aCrashLosesAccessTimesNotYetWrittenAndExpiryCountsFromTheLastWrittenOne() {
        MapOptions options = MapOptions.defaults().withExpireAfterAccess(TTL).withMetadata(true);
        PersistentMap<String, String> crashed = open(options);
        crashed.put("cat", "meow");
        Instant written = clock.instant();
        clock.advance(TTL.minusMillis(1));
        assertThat(crashed.get("cat")).isEqualTo("meow"); // noted, not written
        // The process dies: the map is never closed, the store's files are opened again.
        MemoryStore reopened = store.reopen();
        try (PersistentMap<String, String> map = PersistentMap.over(reopened, Codecs.STRING, Codecs.STRING,
                options.withClock(clock).withSweepOnOpen(false))) {
            assertThat(map.metadata("cat")).isEqualTo(new EntryMetadata(written, written));
            clock.advance(Duration.ofMillis(1));
            assertThat(map.get("cat")).as("expired, counted from the last written access").isNull();
        }
    }

    // ---- read cache -----------------------------------------------------------------------------

    @Test
    void theCacheAnswersRepeatedReadsAndIsNeverStale() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withReadCache(2, 10_000)
                .withExpireAfterCreation(TTL))) {
            map.put("a", "1");
            assertThat(map.get("a")).isEqualTo("1");
            assertThat(map.get("a")).isEqualTo("1");
            assertThat(map.stats().cacheHits()).isEqualTo(2); // the put filled it
            map.put("a", "2");
            assertThat(map.get("a")).isEqualTo("2");
            map.remove("a");
            assertThat(map.get("a")).isNull();
            map.put("b", "1");
            map.clear();
            assertThat(map.get("b")).isNull();
            map.put("c", "1");
            clock.advance(TTL);
            assertThat(map.get("c")).as("a cached entry expires too").isNull();
            map.put("d", "1");
            map.put("e", "1");
            map.put("f", "1");
            assertThat(map.stats().cachedEntries()).as("bounded").isEqualTo(2);
        }
    }

    @Test
    void theCacheIsBoundedInBytes() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withReadCache(1000, 1000))) {
            for (int i = 0; i < 20; i++) {
                map.put("k" + i, "x".repeat(100));
            }
            assertThat(map.stats().cachedEntries()).isLessThanOrEqualTo(1000 / (100 + ReadCache.ENTRY_OVERHEAD));
        }
    }

    // ---- long keys ------------------------------------------------------------------------------

    @Test
    void longKeysThatShareADigestStayDistinct() {
        MapOptions options = MapOptions.defaults().withLongKeys(true).withDigestLength(1);
        byte[][] colliding = MapEnvelopeFormatTest.collidingLongKeys(new MapKeyFormat(options), 3);
        try (PersistentMap<byte[], String> map = PersistentMap.over(store, Codecs.BYTES, Codecs.STRING,
                options.withClock(clock))) {
            map.put(colliding[0], "zero");
            map.put(colliding[1], "one");
            map.put(colliding[2], "two");
            map.put(Keys.utf8("short"), "three");
            assertThat(store.disk().entries).as("one bucket, one short key, the options record").hasSize(3);
            assertThat(map.size()).isEqualTo(4);
            assertThat(map.get(colliding[1])).isEqualTo("one");
            assertThat(map.put(colliding[1], "ONE")).isEqualTo("one");
            assertThat(map.remove(colliding[0])).isEqualTo("zero");
            assertThat(map.get(colliding[0])).isNull();
            assertThat(map.get(colliding[1])).isEqualTo("ONE");
            assertThat(map.get(colliding[2])).isEqualTo("two");
            map.remove(colliding[1]);
            map.remove(colliding[2]);
            assertThat(store.disk().entries).as("an empty bucket is deleted").hasSize(2);
        }
    }

    @Test
    void aKeyOverTheLimitIsRefusedWithoutLongKeysSayingHowToStoreIt() {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withMetadata(true))) {
            assertThatThrownBy(() -> map.put("k".repeat(1024), "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1023").hasMessageContaining("withLongKeys");
        }
    }

    // ---- handles --------------------------------------------------------------------------------

    @Test
    void aClosedHandleRefusesUseAndClosingTwiceIsHarmless() {
        PersistentMap<String, String> map = open(MapOptions.defaults());
        map.close();
        map.close();
        assertThatThrownBy(() -> map.get("a")).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void aFailingBackgroundSweepSaysSoStopsAndLeavesTheDataAsItWas() throws Exception {
        FailingIteratorStore failing = new FailingIteratorStore(store);
        try (PersistentMap<String, String> map = PersistentMap.over(failing, Codecs.STRING, Codecs.STRING,
                MapOptions.defaults().withExpireAfterCreation(TTL).withClock(clock).withSweepOnOpen(false)
                        .withSweepEvery(Duration.ofMillis(1)))) {
            map.put("cat", "meow");
            failing.failIterators = true;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a watchdog, not a timing claim
            while (map.stats().backgroundFailure() == null && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(map.stats().backgroundFailure()).contains("disk on fire");
            assertThat(map.get("cat")).isEqualTo("meow");
        }
    }

    @Test
    void theBackgroundSweepRemovesExpiredEntriesAndWritesAccessTimes() throws Exception {
        try (PersistentMap<String, String> map = open(MapOptions.defaults().withExpireAfterAccess(TTL)
                .withMetadata(true).withSweepOnOpen(false).withSweepEvery(Duration.ofMillis(1)))) {
            map.put("old", "v");
            map.put("read", "v");
            clock.advance(TTL.minusMillis(1));
            map.get("read");
            clock.advance(Duration.ofMillis(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a watchdog, not a timing claim
            while (map.stats().sweptEntries() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(map.stats().sweptEntries()).isEqualTo(1);
            assertThat(map.stats().accessTimesWritten()).as("written before the sweep that followed").isEqualTo(1);
            assertThat(store.disk().entries).as("the read entry and the options record").hasSize(2);
            assertThat(map.get("read")).isEqualTo("v");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Waits (bounded, as a watchdog) until {@code thread} is parked: queued for a lock. */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }
}
