package dev.kvbook.pickled;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.inspect.ModelChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 1's structured inspection: the file region, its entries at their offsets, paging and the lookup. */
class PickledStoreModelTest {

    @TempDir
    Path dir;

    final StoreProvider provider = new PickledStoreProvider();

    Path path() {
        return dir.resolve("store.pickle");
    }

    StoreModel model(Window window) {
        return provider.inspect(path(), Vfs.local(), window).model();
    }

    @Test
    void theGoldenStorePlacesEachEntryWherePickledFormatsWorkedExampleSaysItIs() {
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            store.put(utf8("a"), utf8("1"));
            store.put(utf8("b"), new byte[0]);
        }
        StoreModel model = model(Window.defaults());
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).isEmpty();
        Region file = model.region("file");
        assertThat(file.total()).isEqualTo(3);
        assertThat(file.items()).extracting(Item::id).containsExactly("file@0", "file@123", "file@147");
        assertThat(file.items()).extracting(Item::kind).containsExactly("header", "record", "record");
        // The worked example: keys[0] is the 24 bytes at 123..146, keys[1] the 11 at 147..157;
        // values[0] starts at 168, values[1] at 179, each 11 and 10 bytes.
        Item a = model.item("file@123");
        assertThat(a.length()).isEqualTo(24);
        assertThat(a.keys()).containsExactly("\"a\"");
        assertThat(a.fields()).containsEntry("value at", "168").containsEntry("value length", "11")
                .containsEntry("value size", "1");
        Item b = model.item("file@147");
        assertThat(b.length()).isEqualTo(11);
        assertThat(b.fields()).containsEntry("value at", "179").containsEntry("value length", "10")
                .containsEntry("value size", "0");
        assertThat(model.item("file@0").fields()).containsEntry("payload length", "165");
        assertThat(model.lookup()).isNull();
    }

    @Test
    void theModelMatchesTheStoreAfterOverwritesAndDeletes() {
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            for (int i = 0; i < 50; i++) {
                store.put(utf8(String.format("k%03d", i)), utf8("v" + i));
            }
            store.put(utf8("k007"), utf8("a longer value than before"));
            store.delete(utf8("k010"));
            store.delete(utf8("k011"));
        }
        StoreModel model = model(new Window(0, Window.MAX_LIMIT, null));
        ModelChecks.assertWellFormed(model);
        Region file = model.region("file");
        List<Item> records = file.items().stream().filter(i -> i.kind().equals("record")).toList();
        assertThat(records).hasSize(48).allMatch(r -> r.state().equals("live"));
        assertThat(file.total()).isEqualTo(49);
        assertThat(records).extracting(r -> r.keys().get(0)).doesNotContain("\"k010\"", "\"k011\"")
                .isSortedAccordingTo(String::compareTo);
        assertThat(records.stream().filter(r -> r.keys().get(0).equals("\"k007\"")).findFirst().orElseThrow()
                .fields()).containsEntry("value size", "26");
        assertThat(model.facts()).containsEntry("entries", "48");
        // Every value lies after every key: the pickle writes the keys array, then the values array.
        long lastKeyEnd = records.get(records.size() - 1).offset() + records.get(records.size() - 1).length();
        assertThat(records).allMatch(r -> Long.parseLong(r.fields().get("value at")) >= lastKeyEnd);
    }

    @Test
    void aLargeStoreIsPagedAndTheLookupIsIncludedOutsideTheWindow() {
        // Encoded directly: 3000 puts would rewrite the whole file 3000 times.
        java.util.NavigableMap<byte[], byte[]> map = new java.util.TreeMap<>(dev.kvbook.api.Keys.COMPARATOR);
        for (int i = 0; i < 3000; i++) {
            map.put(utf8(String.format("key%05d", i)), utf8("value" + i));
        }
        try (VfsFile file = Vfs.local().open(path(), true)) {
            file.write(0, ByteBuffer.wrap(PickledFormat.encode(map)));
        }
        Window window = new Window(100, 50, utf8("key02500"));
        StoreModel model = model(window);
        ModelChecks.assertWellFormed(model);
        ModelChecks.assertPagedBy(model, window);
        Region file = model.region("file");
        assertThat(file.total()).isEqualTo(3001);
        assertThat(file.items()).hasSize(51);
        assertThat(file.items().get(0).index()).isEqualTo(100);
        assertThat(file.items().get(0).keys()).containsExactly("\"key00099\""); // index 0 is the header
        assertThat(file.elided()).isEqualTo(2950);
        assertThat(model.lookup().found()).isTrue();
        Item found = model.item(model.lookup().touched().get(0));
        assertThat(found.keys()).containsExactly("\"key02500\"");
        assertThat(found.index()).isEqualTo(2501);

        // The last window is moved back to stay full.
        StoreModel end = model(new Window(5000, 10, null));
        assertThat(end.region("file").items()).extracting(Item::index).containsExactly(
                2991L, 2992L, 2993L, 2994L, 2995L, 2996L, 2997L, 2998L, 2999L, 3000L);
    }

    @Test
    void aMissingKeyIsNotFoundAndTouchesNothing() {
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            store.put(utf8("a"), utf8("1"));
        }
        StoreModel model = model(Window.defaults().withLookup(utf8("zz")));
        assertThat(model.lookup().found()).isFalse();
        assertThat(model.lookup().touched()).isEmpty();
        assertThat(model.lookup().key()).isEqualTo("\"zz\"");
        assertThat(model.lookup().note()).isNotBlank();
    }

    @Test
    void anEmptyStoreHasAnEmptyFileRegion() {
        StoreModel model = model(Window.defaults().withLookup(utf8("a")));
        ModelChecks.assertWellFormed(model);
        assertThat(model.region("file").total()).isZero();
        assertThat(model.lookup().found()).isFalse();
    }

    @Test
    void aDamagedFileGivesProblemsAndDamagedItemsNotAnException() {
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            store.put(utf8("a"), utf8("1"));
            store.put(utf8("b"), utf8("2"));
        }
        flip(PickledFormat.PAYLOAD_OFFSET + 2); // inside the stream header: the payload cannot be decoded
        StoreModel model = model(Window.defaults().withLookup(utf8("a")));
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).isNotEmpty().anyMatch(p -> p.contains("payload checksum"));
        assertThat(model.region("file").items()).extracting(Item::kind).containsExactly("header", "damaged");
        assertThat(model.item("file@24").state()).isEqualTo("damaged");
        assertThat(model.lookup().found()).isFalse();

        flip(PickledFormat.PAYLOAD_OFFSET + 2); // restore, then break the header's magic
        flip(0);
        StoreModel header = model(Window.defaults());
        assertThat(header.item("file@0").state()).isEqualTo("damaged");
        assertThat(header.problems()).anyMatch(p -> p.contains("magic"));
    }

    @Test
    void aFileTooShortForAHeaderIsOneDamagedItem() {
        try (VfsFile file = Vfs.local().open(path(), true)) {
            file.write(0, ByteBuffer.wrap(new byte[] {'K', 'V'}));
        }
        StoreModel model = model(Window.defaults());
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).hasSize(1);
        assertThat(model.region("file").items()).singleElement()
                .satisfies(i -> assertThat(i.kind()).isEqualTo("damaged"));
    }

    @Test
    void aValueArraySharedByTwoEntriesIsFoundThroughItsBackReference() {
        byte[] shared = utf8("same");
        byte[] payload = new Snapshot(new byte[][] {utf8("a"), utf8("b"), utf8("c")},
                new byte[][] {shared, utf8("other"), shared}).serialize();
        byte[] file = PickledFormat.frame(payload);
        PickleLayout.Layout layout = PickleLayout.locate(file, PickledFormat.PAYLOAD_OFFSET);
        assertThat(layout).isNotNull();
        PickleLayout.Span first = layout.values().get(0);
        PickleLayout.Span third = layout.values().get(2);
        assertThat(first.shared()).isFalse();
        assertThat(third.shared()).isTrue();
        assertThat(third.length()).isEqualTo(5); // TC_REFERENCE and a 4-byte handle
        assertThat(third.data()).isEqualTo(first.data());
        assertThat(new String(file, (int) first.data(), 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("same");
        assertThat(new String(file, (int) layout.values().get(1).data(), 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("other");
        // A stream cut short is no layout, not an exception.
        assertThat(PickleLayout.locate(java.util.Arrays.copyOf(file, file.length - 3), PickledFormat.PAYLOAD_OFFSET))
                .isNull();
    }

    @Test
    void anOpenStoreIsInspectedWithoutTakingAnyLock() {
        Vfs noLocks = new dev.kvbook.api.vfs.ForwardingVfs(Vfs.local()) {
            @Override
            public java.io.Closeable lockShared(Path lockFile) {
                throw new AssertionError("inspect took the readers' lock");
            }
        };
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            store.put(utf8("a"), utf8("1"));
            StoreModel model = provider.inspect(path(), noLocks, Window.defaults().withLookup(utf8("a"))).model();
            assertThat(model.lookup().found()).isTrue();
            assertThat(model.region("file").total()).isEqualTo(2);
        }
    }

    void flip(long offset) {
        try (VfsFile file = Vfs.local().open(path(), false)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.readFully(offset, one);
            file.write(offset, ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x40)}));
        }
    }
}
