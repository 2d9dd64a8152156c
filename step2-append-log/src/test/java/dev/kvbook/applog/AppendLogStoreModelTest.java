package dev.kvbook.applog;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.inspect.Item;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 2's structured inspection: every record with its live or dead state, paging, the get's scan, damage. */
class AppendLogStoreModelTest {

    @TempDir
    Path dir;

    final StoreProvider provider = new AppendLogStoreProvider();

    Path path() {
        return dir.resolve("store.log");
    }

    AppendLogStore open() {
        return AppendLogStore.open(path(), AppendLogStore.Options.defaults().withSyncEveryWrite(false));
    }

    StoreModel model(Window window) {
        return provider.inspect(path(), Vfs.local(), window).model();
    }

    static List<Item> records(StoreModel model) {
        return model.region("file").items().stream()
                .filter(i -> i.kind().equals("record") || i.kind().equals("tombstone")).toList();
    }

    @Test
    void theWorkedExampleIsThreeRecordsOfWhichNoneButDogIsLive() {
        try (AppendLogStore store = open()) {
            store.put(b("cat"), b("meow"));
            store.put(b("dog"), b("woof"));
            store.delete(b("cat"));
        }
        StoreModel model = model(Window.defaults());
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).isEmpty();
        Region file = model.region("file");
        assertThat(file.total()).isEqualTo(4);
        assertThat(file.items()).extracting(Item::id).containsExactly("file@0", "file@8", "file@26", "file@44");
        assertThat(file.items()).extracting(Item::kind).containsExactly("header", "record", "record", "tombstone");
        assertThat(file.items()).extracting(Item::state).containsExactly("live", "dead", "live", "dead");
        assertThat(file.items()).extracting(Item::length).containsExactly(8L, 18L, 18L, 14L);
        assertThat(model.item("file@8").fields()).containsEntry("why dead", "its key is deleted");
        assertThat(model.locations()).containsExactly(Map.entry("\"dog\"", "file@26"));
        assertThat(model.facts()).containsEntry("garbage bytes", "32").containsEntry("live keys", "1");
    }

    @Test
    void liveRecordsAreExactlyTheStoresContentsAfterOverwritesAndDeletes() {
        Map<String, String> contents;
        try (AppendLogStore store = open()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 40; i++) {
                    store.put(b("k" + i), b("v" + round + "." + i));
                }
            }
            for (int i = 0; i < 40; i += 5) {
                store.delete(b("k" + i));
            }
            contents = TestLogs.contents(store);
        }
        StoreModel model = model(new Window(0, Window.MAX_LIMIT, null));
        ModelChecks.assertWellFormed(model);
        List<Item> records = records(model);
        assertThat(records).hasSize(120 + 8);
        List<Item> live = records.stream().filter(i -> i.state().equals("live")).toList();
        assertThat(live).hasSize(contents.size()).allMatch(i -> i.kind().equals("record"));
        assertThat(live.stream().map(i -> i.keys().get(0)).collect(Collectors.toSet()))
                .isEqualTo(contents.keySet().stream().map(k -> "\"" + k + "\"").collect(Collectors.toSet()));
        assertThat(records.stream().filter(i -> i.kind().equals("tombstone"))).hasSize(8)
                .allMatch(i -> i.state().equals("dead"));
        // Each live record is the last of its key: it holds the value of the third round.
        assertThat(live).allMatch(i -> i.fields().get("value size").equals(String.valueOf(("v2." + i.keys().get(0)
                .replace("\"", "").substring(1)).length())));

        try (AppendLogStore store = open()) {
            store.compact();
        }
        StoreModel compacted = model(new Window(0, Window.MAX_LIMIT, null));
        assertThat(records(compacted)).hasSize(contents.size()).allMatch(i -> i.state().equals("live"));
        assertThat(compacted.facts()).containsEntry("garbage bytes", "0");
    }

    @Test
    void aLongLogIsPagedAndTheGetsPathHoldsTheKeysRecordsOutsideTheWindow() {
        try (AppendLogStore store = open()) {
            for (int i = 0; i < 3000; i++) {
                store.put(b(String.format("key%05d", i)), b("value" + i));
            }
            store.put(b("key02500"), b("newer"));
        }
        Window window = new Window(10, 100, b("key02500"));
        StoreModel model = model(window);
        ModelChecks.assertWellFormed(model);
        ModelChecks.assertPagedBy(model, window);
        Region file = model.region("file");
        assertThat(file.total()).isEqualTo(3002);
        assertThat(file.items()).hasSize(102);
        assertThat(file.items().get(0).index()).isEqualTo(10);
        assertThat(file.items().get(0).keys()).containsExactly("\"key00009\"");
        assertThat(model.lookup().found()).isTrue();
        List<String> touched = model.lookup().touched();
        assertThat(touched).hasSize(102);
        assertThat(touched.subList(100, 102)).allMatch(id -> model.item(id).keys().equals(List.of("\"key02500\"")));
        assertThat(model.item(touched.get(100)).state()).isEqualTo("dead");
        assertThat(model.item(touched.get(101)).state()).isEqualTo("live");
        assertThat(model.item(touched.get(101)).index()).isEqualTo(3001);
        assertThat(model.lookup().note()).contains("3001 records");
    }

    @Test
    void aMissingOrDeletedKeyIsNotFound() {
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));
            store.delete(b("a"));
        }
        StoreModel deleted = model(Window.defaults().withLookup(b("a")));
        assertThat(deleted.lookup().found()).isFalse();
        assertThat(deleted.lookup().touched()).containsExactly("file@8", "file@21");
        StoreModel missing = model(Window.defaults().withLookup(b("zz")));
        assertThat(missing.lookup().found()).isFalse();
        assertThat(missing.lookup().note()).contains("absent");
    }

    @Test
    void aTornTailAndABadHeaderAreProblemsNotExceptions() {
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
        }
        long size = TestLogs.read(path()).length;
        try (VfsFile file = Vfs.local().open(path(), false)) {
            file.truncate(size - 3); // the last record cut short: a torn tail
        }
        StoreModel torn = model(Window.defaults().withLookup(b("a")));
        ModelChecks.assertWellFormed(torn);
        assertThat(torn.problems()).singleElement().asString().contains("torn tail");
        assertThat(torn.region("file").items()).extracting(Item::kind)
                .containsExactly("header", "record", "damaged");
        assertThat(torn.lookup().found()).isTrue();

        try (VfsFile file = Vfs.local().open(path(), false)) {
            file.write(0, ByteBuffer.wrap(new byte[] {'X'}));
        }
        StoreModel bad = model(Window.defaults().withLookup(b("a")));
        ModelChecks.assertWellFormed(bad);
        assertThat(bad.problems()).hasSize(1);
        assertThat(bad.region("file").items()).singleElement().satisfies(i -> assertThat(i.state()).isEqualTo("damaged"));
        assertThat(bad.lookup().found()).isFalse();
    }

    @Test
    void aCompactionsLeftoverFileIsASecondRegionOfDeadRecords() throws java.io.IOException {
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
        }
        // What a crash between writing <file>.compact and renaming it leaves: a whole copy beside the log.
        java.nio.file.Files.copy(path(), Compactor.tempPathOf(path()));
        StoreModel model = model(Window.defaults());
        ModelChecks.assertWellFormed(model);
        assertThat(model.problems()).isEmpty();
        assertThat(model.regions()).extracting(Region::id).containsExactly("file", "compact");
        Region leftover = model.region("compact");
        assertThat(leftover.kind()).isEqualTo("file");
        assertThat(leftover.items()).extracting(Item::id).containsExactly("compact@8", "compact@21");
        assertThat(leftover.items()).allMatch(i -> i.state().equals("dead"));
        assertThat(records(model)).allMatch(i -> i.state().equals("live"));
    }

    @Test
    void anOpenStoreIsInspectedWithoutTakingAnyLock() {
        Vfs noLocks = new ForwardingVfs(Vfs.local()) {
            @Override
            public Closeable lockShared(Path lockFile) {
                throw new AssertionError("inspect took the readers' lock");
            }
        };
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));
            StoreModel model = provider.inspect(path(), noLocks, Window.defaults().withLookup(b("a"))).model();
            assertThat(records(model)).hasSize(1);
            assertThat(model.lookup().found()).isTrue();
        }
    }
}
