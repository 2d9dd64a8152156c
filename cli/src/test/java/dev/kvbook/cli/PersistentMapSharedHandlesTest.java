package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PersistentMap#open} twice in one JVM, on the real disk: two handles over one open store,
 * one cache, reference-counted; the store itself still refuses a second open. And the opens the
 * map refuses because of what the store holds. (Another process: {@link PersistentMapProcessTest}.)
 */
class PersistentMapSharedHandlesTest {

    private static final MapOptions CACHED = MapOptions.defaults().withReadCache(100, 100_000)
            .withExpireAfterAccess(Duration.ofDays(30)).withMetadata(true);

    @TempDir
    Path dir;

    private PersistentMap<String, Long> open(String store, Path path, MapOptions options) {
        return PersistentMap.open(store, path, Codecs.STRING, Codecs.LONG, options);
    }

    @Test
    void twoHandlesShareOneStoreAndSeeEachOthersWritesAtOnce() {
        Path path = dir.resolve("counters");
        try (PersistentMap<String, Long> first = open("step3", path, CACHED);
             PersistentMap<String, Long> second = open("step3", path, CACHED)) {
            first.put("launches", 1L);
            assertThat(second.get("launches")).isEqualTo(1L); // now in the shared cache
            second.merge("launches", 1L, Long::sum);
            assertThat(first.get("launches")).as("the cached value was replaced, not kept").isEqualTo(2L);
            assertThat(first.store()).isSameAs(second.store());
            assertThat(first.stats().handles()).isEqualTo(2);
            first.remove("launches");
            assertThat(second.containsKey("launches")).isFalse();
        }
    }

    @Test
    void theStoreItselfStillRefusesASecondOpenAndClosesWithTheLastHandle() {
        Path path = dir.resolve("map");
        PersistentMap<String, Long> first = open("step1", path, CACHED);
        PersistentMap<String, Long> second = open("step1", path, CACHED);
        first.set("k", 7L);
        assertThatThrownBy(() -> Stores.open("step1", path)).isInstanceOf(StoreLockedException.class);
        first.close();
        assertThatThrownBy(() -> first.get("k")).isInstanceOf(StoreClosedException.class);
        assertThat(second.get("k")).as("the other handle is still open").isEqualTo(7L);
        assertThatThrownBy(() -> Stores.open("step1", path)).isInstanceOf(StoreLockedException.class);
        second.close();
        try (KeyValueStore store = Stores.open("step1", path)) {
            assertThat(store.size()).as("the entry and the options record").isEqualTo(2);
        }
    }

    @Test
    void aSecondHandleMustAskForTheSameMap() {
        Path path = dir.resolve("map");
        try (PersistentMap<String, Long> first = open("step3", path, CACHED)) {
            assertThatThrownBy(() -> open("step3", path, CACHED.withReadCache(5, 5000)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same options");
            assertThatThrownBy(() -> open("step1", path, CACHED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step3 store, not step1");
            first.set("still", 1L);
            assertThat(first.get("still")).as("a refused open leaves the open map alone").isEqualTo(1L);
        }
    }

    @Test
    void twoSpellingsOfOnePathFindOneMap() {
        Path path = dir.resolve("map");
        try (PersistentMap<String, Long> first = open("step2", path, CACHED);
             PersistentMap<String, Long> second = open("step2", dir.resolve("sub/../map"), CACHED)) {
            first.set("k", 1L);
            assertThat(second.get("k")).isEqualTo(1L);
            assertThat(second.stats().handles()).isEqualTo(2);
        }
    }

    @Test
    void reopeningWithOtherRecordedOptionsIsRefusedNamingBoth() {
        Path path = dir.resolve("map");
        open("step5", path, CACHED).close();
        assertThatThrownBy(() -> open("step5", path, MapOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("created with expire 30d after last access, metadata")
                .hasMessageContaining("every feature off");
        try (PersistentMap<String, Long> again = open("step5", path, CACHED)) {
            assertThat(again).isEmpty(); // the refused open closed the store it had opened
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"step3", "step5"})
    void aMapWithFeaturesRefusesAStoreOfBareEntriesAndWritesNothing(String store) {
        Path path = dir.resolve("bare");
        try (PersistentMap<String, Long> bare = open(store, path, MapOptions.defaults())) {
            bare.put("launches", 3L);
        }
        assertThatThrownBy(() -> open(store, path, CACHED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the store holds 1 entry and no map options record")
                .hasMessageContaining("written without an envelope")
                .hasMessageContaining("open it with MapOptions.defaults()");
        try (KeyValueStore kv = Stores.open(store, path)) { // it opens: the refused map closed its store
            assertThat(kv.size()).as("no options record was written").isEqualTo(1);
            assertThat(kv.get(Codecs.STRING.encode("launches"))).as("the entry is as it was")
                    .isEqualTo(Codecs.LONG.encode(3L));
        }
        try (PersistentMap<String, Long> bare = open(store, path, MapOptions.defaults())) {
            assertThat(bare).containsExactly(Map.entry("launches", 3L));
        }
    }
}
