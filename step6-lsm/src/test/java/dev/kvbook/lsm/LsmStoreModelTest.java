package dev.kvbook.lsm;

import dev.kvbook.api.Keys;
import dev.kvbook.api.inspect.Highlight;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Link;
import dev.kvbook.api.inspect.Picture;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 6's structured inspection: the manifest, the log and memtable, the levels' tables, and a get's path. */
class LsmStoreModelTest {

    private static final Path DB = Path.of("/d/db");
    private static final Window ALL = new Window(0, Window.MAX_LIMIT, null);
    private final LsmStoreProvider provider = new LsmStoreProvider();
    private CrashSimVfs vfs;

    @BeforeEach
    void freshDisk() {
        vfs = new CrashSimVfs();
        vfs.createDirectories(DB.getParent());
    }

    private LsmStore open() {
        return LsmStore.open(DB, LsmStoreContractTest.small(vfs));
    }

    private static byte[] key(int i) {
        return utf8(String.format("k%05d", i));
    }

    /** Puts {@code keys} keys, deletes every tenth, and returns the store's "levels" figure. */
    private String load(int keys) {
        try (LsmStore store = open()) {
            for (int i = 0; i < keys; i++) {
                store.put(key(i), utf8("value " + i));
            }
            for (int i = 0; i < keys; i += 10) {
                store.delete(key(i));
            }
            store.put(utf8("z-last"), utf8("in the memtable"));
            return (String) store.stats().details().get("levels");
        }
    }

    private StoreModel model(Window window) {
        return provider.inspect(DB, vfs, window).model();
    }

    private static List<Region> levels(StoreModel model) {
        return model.regions().stream().filter(r -> r.kind().equals("lsm-level")).toList();
    }

    @Test
    void theLevelsMatchTheStoresFiguresAndTheLogMakesTheMemtable() {
        String figures = load(3000);
        StoreModel model = model(ALL);
        assertThat(model.problems()).isEmpty();

        Map<String, String> expected = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(L\\d+): (\\d+) tables (\\d+) B").matcher(figures);
        while (m.find()) {
            expected.put(m.group(1), m.group(2) + " tables " + m.group(3) + " B");
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (Region level : levels(model)) {
            if (level.total() > 0) {
                actual.put(level.id(), level.total() + " tables " + level.facts().get("bytes") + " B");
            }
        }
        assertThat(expected).hasSizeGreaterThan(1);
        assertThat(actual).isEqualTo(expected);

        for (Region level : levels(model)) {
            List<Item> tables = level.items();
            assertThat(tables).allMatch(t -> t.kind().equals("table") && t.keys().size() == 2 && t.keys().get(0).compareTo(t.keys().get(1)) <= 0);
            if (level.id().equals("L0")) {
                List<String> numbers = tables.stream().map(Item::id).toList();
                assertThat(numbers).isSortedAccordingTo((a, b) -> b.compareTo(a)); // newest first
            } else {
                for (int i = 0; i + 1 < tables.size(); i++) { // disjoint, in key order
                    assertThat(tables.get(i).keys().get(1)).isLessThan(tables.get(i + 1).keys().get(0));
                }
            }
        }

        Region memtable = model.region("memtable");
        assertThat(memtable.items()).extracting(i -> i.keys().get(0)).isSorted();
        assertThat(memtable.items()).anyMatch(i -> i.keys().contains(Keys.toDisplay(utf8("z-last"))));
        Region log = model.region("log");
        assertThat(log.items().stream().filter(i -> i.state().equals("live"))).hasSize((int) memtable.total());
        for (Item entry : memtable.items()) {
            Link link = model.links().stream().filter(l -> l.from().equals(entry.id())).findFirst().orElseThrow();
            assertThat(model.item(link.to()).keys()).isEqualTo(entry.keys());
            assertThat(model.item(link.to()).state()).isEqualTo("live");
        }
        assertThat(model.region("header").items()).extracting(Item::id).first().isEqualTo("CURRENT");
    }

    @Test
    void aLargeStoreIsPagedAndTheLookupsTablesAreAlwaysIn() {
        load(4000);
        StoreModel whole = model(ALL);
        Region deepest = levels(whole).get(levels(whole).size() - 1);
        assertThat(deepest.total()).isGreaterThan(6);
        Item last = deepest.items().get(deepest.items().size() - 1); // far outside a window at the start
        String largest = last.keys().get(1);
        byte[] wanted = utf8(largest.substring(1, largest.length() - 1)); // the display quotes a printable key
        assertThat(Keys.toDisplay(wanted)).isEqualTo(largest);

        StoreModel paged = model(new Window(1, 3, wanted));
        for (Region region : paged.regions()) {
            Region full = whole.region(region.id());
            assertThat(region.total()).as(region.id()).isEqualTo(full.total());
            Window window = new Window(1, 3, null);
            assertThat(region.items().stream().filter(i -> window.shows(i.index(), region.total())))
                    .as(region.id()).hasSize((int) Math.min(3, region.total()));
            for (Item outside : region.items().stream().filter(i -> !window.shows(i.index(), region.total())).toList()) {
                // only the tables a get of the key considers are kept outside the window
                assertThat(outside.kind()).isEqualTo("table");
                assertThat(outside.keys().get(0)).isLessThanOrEqualTo(Keys.toDisplay(wanted));
                assertThat(outside.keys().get(1)).isGreaterThanOrEqualTo(Keys.toDisplay(wanted));
            }
            for (Item item : region.items()) {
                assertThat(full.items().get((int) item.index()).id()).as(region.id()).isEqualTo(item.id());
            }
        }
        assertThat(paged.region("log").items()).extracting(Item::index).containsExactly(1L, 2L, 3L);
        assertThat(paged.item(last.id())).isNotNull();
        assertThat(paged.lookup().found()).isTrue();
        assertThat(paged.lookup().touched()).isNotEmpty();
        paged.lookup().touched().forEach(id -> assertThat(paged.item(id)).as(id).isNotNull());
        Item holder = paged.item(paged.lookup().touched().get(paged.lookup().touched().size() - 1));
        assertThat(holder.keys().get(0)).isLessThanOrEqualTo(Keys.toDisplay(wanted));
        assertThat(holder.keys().get(1)).isGreaterThanOrEqualTo(Keys.toDisplay(wanted));
    }

    @Test
    void aGetLooksInTheMemtableFirstThenTheTablesTheFiltersLetThrough() {
        load(2000);
        StoreModel inMemory = model(Window.defaults().withLookup(utf8("z-last")));
        assertThat(inMemory.lookup().found()).isTrue();
        assertThat(inMemory.lookup().touched()).singleElement().satisfies(id -> assertThat(id).startsWith("mem:"));
        assertThat(inMemory.item(inMemory.lookup().touched().get(0))).isNotNull();

        assertThat(Picture.svg(inMemory, Highlight.pathOf(inMemory))).contains("on-path"); // the renderer takes the model as is

        StoreModel deleted = model(Window.defaults().withLookup(key(10)));
        assertThat(deleted.lookup().found()).isFalse();

        // Missing keys inside the tables' ranges: each covering table is either read or ruled out by its filter.
        int filtered = 0;
        for (int i = 0; i < 50; i++) {
            byte[] missing = utf8(String.format("k%05d.5", 100 + i * 30));
            StoreModel model = model(Window.defaults().withLookup(missing));
            assertThat(model.lookup().found()).isFalse();
            long covering = levels(model).stream().flatMap(r -> r.items().stream())
                    .filter(t -> t.keys().get(0).compareTo(Keys.toDisplay(missing)) <= 0
                            && t.keys().get(1).compareTo(Keys.toDisplay(missing)) >= 0).count();
            Matcher ruledOut = Pattern.compile("ruled out (\\d+)").matcher(model.lookup().note());
            assertThat(ruledOut.find()).as(model.lookup().note()).isTrue();
            int skipped = Integer.parseInt(ruledOut.group(1));
            assertThat(model.lookup().touched().size() + skipped).isEqualTo(covering);
            assertThat(covering).isPositive();
            filtered += skipped;
        }
        assertThat(filtered).as("10 bits per key rule most missing keys out").isGreaterThan(25);
    }

    @Test
    void aStoreOpenBesideTheInspectionIsDescribedAsItIs() {
        try (LsmStore store = open()) {
            for (int i = 0; i < 500; i++) {
                store.put(key(i), utf8("v" + i));
            }
            StoreModel model = model(ALL.withLookup(key(250)));
            assertThat(model.problems()).isEmpty();
            assertThat(model.lookup().found()).isTrue();
            long inTables = levels(model).stream().flatMap(r -> r.items().stream())
                    .mapToLong(t -> Long.parseLong(t.fields().get("entries"))).sum();
            assertThat(inTables + model.region("memtable").total()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void damageAndVanishedFilesBecomeProblems() {
        load(1000);
        StoreModel healthy = model(ALL);
        Item table = levels(healthy).get(levels(healthy).size() - 1).items().get(0);
        Path file = DB.resolve(table.fields().get("file"));
        byte[] bytes = vfs.files().get(file);
        bytes[20] ^= 1;
        vfs.putDurableFile(file, bytes);
        StoreModel damaged = model(ALL.withLookup(utf8("k00001")));
        assertThat(damaged.problems()).isNotEmpty();
        assertThat(damaged.item(table.id()).kind()).isEqualTo("damaged");

        vfs.delete(file);
        StoreModel vanished = model(ALL);
        assertThat(vanished.problems()).anyMatch(p -> p.contains("missing"));
        assertThat(vanished.item(table.id()).state()).isEqualTo("damaged");

        vfs.delete(DB.resolve(StoreFiles.CURRENT));
        assertThat(model(ALL).problems()).anyMatch(p -> p.contains("CURRENT"));
    }
}
