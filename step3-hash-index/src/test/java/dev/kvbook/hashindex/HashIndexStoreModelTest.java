package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Link;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.inspect.ModelChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 3's structured inspection: the keydir pointing into the segments, live and dead records, paging, the get's path. */
class HashIndexStoreModelTest {

    @TempDir
    Path dir;

    final StoreProvider provider = new HashIndexStoreProvider();

    HashIndexStore open(long segmentSize) {
        return HashIndexStore.open(dir, HashIndexStore.Options.defaults().withSyncEveryWrite(false)
                .withSegmentSize(segmentSize));
    }

    StoreModel model(Window window) {
        return provider.inspect(dir, Vfs.local(), window).model();
    }

    static List<Item> records(StoreModel model) {
        return model.regions().stream().filter(r -> r.kind().equals("segment")).flatMap(r -> r.items().stream())
                .filter(i -> i.kind().equals("record") || i.kind().equals("tombstone")).toList();
    }

    @Test
    void theKeydirPointsAtExactlyTheLiveRecordsAcrossSegments() {
        Map<String, String> contents = new HashMap<>();
        try (HashIndexStore store = open(256)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 30; i++) {
                    store.put(utf8("k" + i), utf8("v" + round + "." + i));
                    contents.put("k" + i, "v" + round + "." + i);
                }
            }
            for (int i = 0; i < 30; i += 4) {
                store.delete(utf8("k" + i));
                contents.remove("k" + i);
            }
        }
        StoreModel model = model(new Window(0, Window.MAX_LIMIT, null));
        ModelChecks.assertWellFormed(model);
        ModelChecks.assertLinksResolve(model);
        assertThat(model.problems()).isEmpty();

        Region keydir = model.region("keydir");
        assertThat(keydir.total()).isEqualTo(contents.size());
        assertThat(keydir.items()).hasSize(contents.size()).allMatch(i -> i.kind().equals("keydir-entry"));
        assertThat(keydir.items()).extracting(i -> i.keys().get(0)).isSortedAccordingTo(String::compareTo);
        assertThat(keydir.items()).extracting(Item::id)
                .containsExactlyInAnyOrderElementsOf(contents.keySet().stream().map(k -> Item.keyId(utf8(k))).toList());

        List<Region> segments = model.regions().stream().filter(r -> r.kind().equals("segment")).toList();
        assertThat(segments).hasSizeGreaterThan(3);
        assertThat(segments.get(segments.size() - 1).label()).contains("active");
        assertThat(segments.subList(0, segments.size() - 1)).allMatch(r -> r.label().contains("sealed"));
        assertThat(records(model)).hasSize(90 + 8);

        // Every points-to link leads from a keydir entry to a live record of the same key; the live
        // records are exactly the ones pointed at.
        List<Item> live = records(model).stream().filter(i -> i.state().equals("live")).toList();
        assertThat(model.links()).hasSize(contents.size()).allSatisfy((Link link) -> {
            assertThat(link.kind()).isEqualTo("points-to");
            Item entry = model.item(link.from());
            Item record = model.item(link.to());
            assertThat(record.state()).isEqualTo("live");
            assertThat(record.keys()).isEqualTo(entry.keys());
            assertThat(record.fields().get("value size"))
                    .isEqualTo(String.valueOf(contents.get(entry.keys().get(0).replace("\"", "")).length()));
        });
        assertThat(live).extracting(Item::id).containsExactlyInAnyOrderElementsOf(
                model.links().stream().map(Link::to).toList());
        assertThat(records(model).stream().filter(i -> i.kind().equals("tombstone")))
                .hasSize(8).allMatch(i -> i.state().equals("dead"));
        for (Region segment : segments) {
            long liveHere = segment.items().stream().filter(i -> i.state().equals("live")).count();
            assertThat(segment.facts()).containsEntry("live", String.valueOf(liveHere))
                    .containsEntry("records", String.valueOf(segment.total()));
        }
    }

    @Test
    void aMergeLeavesOnlyLiveRecordsAndHintFiles() {
        try (HashIndexStore store = open(256)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 30; i++) {
                    store.put(utf8("k" + i), utf8("v" + round));
                }
            }
            store.delete(utf8("k1"));
            store.merge();
        }
        StoreModel model = model(new Window(0, Window.MAX_LIMIT, null));
        ModelChecks.assertWellFormed(model);
        ModelChecks.assertLinksResolve(model);
        List<Region> segments = model.regions().stream().filter(r -> r.kind().equals("segment")).toList();
        List<Region> sealed = segments.subList(0, segments.size() - 1);
        assertThat(sealed).isNotEmpty().allMatch(r -> r.facts().get("hint file").equals("true"))
                .allMatch(r -> r.items().stream().allMatch(i -> i.state().equals("live")));
        assertThat(model.region("keydir").total()).isEqualTo(29);
    }

    @Test
    void aLargeStoreIsPagedAndTheGetTouchesTheSlotThenTheRecord() {
        try (HashIndexStore store = open(HashIndexStore.Options.MAX_SEGMENT_SIZE)) {
            for (int i = 0; i < 3000; i++) {
                store.put(utf8(String.format("key%05d", i)), utf8("value" + i));
            }
            store.put(utf8("key02500"), utf8("newer"));
        }
        Window window = new Window(200, 40, utf8("key02500"));
        StoreModel model = model(window);
        ModelChecks.assertWellFormed(model);
        ModelChecks.assertPagedBy(model, window);
        Region keydir = model.region("keydir");
        assertThat(keydir.total()).isEqualTo(3000);
        assertThat(keydir.items()).hasSize(41);
        assertThat(keydir.items().get(0).index()).isEqualTo(200);
        assertThat(keydir.items().get(0).keys()).containsExactly("\"key00200\"");
        Region segment = model.regions().get(1);
        assertThat(segment.total()).isEqualTo(3001);
        assertThat(segment.items()).hasSize(41);
        assertThat(segment.items().get(40).index()).isEqualTo(3000);

        assertThat(model.lookup().found()).isTrue();
        List<String> touched = model.lookup().touched();
        assertThat(touched).hasSize(2);
        assertThat(touched.get(0)).isEqualTo(Item.keyId(utf8("key02500")));
        assertThat(model.item(touched.get(0)).index()).isEqualTo(2500);
        Item record = model.item(touched.get(1));
        assertThat(record.state()).isEqualTo("live");
        assertThat(record.fields()).containsEntry("value size", "5");
        assertThat(model.links()).contains(new Link(touched.get(0), touched.get(1), "points-to"));

        // The last page moves back to stay full.
        StoreModel end = model(new Window(9999, 10, null));
        assertThat(end.region("keydir").items()).extracting(Item::index).startsWith(2990L).hasSize(10);
    }

    @Test
    void aMissingOrDeletedKeyTouchesNothing() {
        try (HashIndexStore store = open(4096)) {
            store.put(utf8("a"), utf8("1"));
            store.delete(utf8("a"));
        }
        StoreModel model = model(Window.defaults().withLookup(utf8("a")));
        assertThat(model.lookup().found()).isFalse();
        assertThat(model.lookup().touched()).isEmpty();
        assertThat(model.lookup().note()).contains("not in the keydir");
        assertThat(records(model)).extracting(Item::state).containsExactly("dead", "dead");
    }

    @Test
    void damageIsAProblemAndADamagedItemNotAnException() {
        try (HashIndexStore store = open(128)) {
            for (int i = 0; i < 20; i++) {
                store.put(utf8("k" + i), utf8("value" + i));
            }
        }
        Path first = SegmentFormat.dataPath(dir, SegmentFormat.FIRST_ID);
        try (VfsFile file = Vfs.local().open(first, false)) {
            file.write(20, ByteBuffer.wrap(new byte[] {0x55, 0x55})); // inside the first record of a sealed segment
        }
        StoreModel model = model(Window.defaults().withLookup(utf8("k0")));
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).isNotEmpty();
        Region damaged = model.region("seg:" + SegmentFormat.FIRST_ID);
        assertThat(damaged.items()).anyMatch(i -> i.kind().equals("damaged") && i.state().equals("damaged"));
        assertThat(model.lookup().note()).contains("problems");

        try (VfsFile file = Vfs.local().open(first, false)) {
            file.write(0, ByteBuffer.wrap(new byte[] {'X'})); // not even a segment header
        }
        StoreModel unreadable = model(Window.defaults());
        assertThat(unreadable.region("seg:" + SegmentFormat.FIRST_ID).items()).singleElement()
                .satisfies(i -> assertThat(i.kind()).isEqualTo("damaged"));
    }

    @Test
    void anOpenStoreIsInspectedWithoutTakingAnyLock() {
        Vfs noLocks = new ForwardingVfs(Vfs.local()) {
            @Override
            public Closeable lockShared(Path lockFile) {
                throw new AssertionError("inspect took the readers' lock");
            }
        };
        try (KeyValueStore store = open(4096)) {
            store.put(utf8("a"), utf8("1"));
            StoreModel model = provider.inspect(dir, noLocks, Window.defaults().withLookup(utf8("a"))).model();
            assertThat(model.lookup().found()).isTrue();
            assertThat(model.region("keydir").total()).isEqualTo(1);
        }
    }
}
