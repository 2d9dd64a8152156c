package dev.kvbook.btree;

import dev.kvbook.testkit.GoldenFiles;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference's own page layout, byte for byte: where its slotted insert puts a cell, its golden
 * leaf page and small store, and the exact cut of its {@link Node#pack}. Another design of the
 * build lab {@code step4.build-node} places cells and cuts nodes its own way and is still right
 * (the tree checker, the model-based and the crash tests judge it), so the build tier leaves this
 * class out.
 */
@Tag("design:step4.build-node")
class ReferencePageLayoutTest {

    private static final Path HOME = Path.of("/store");
    private static final Path STORE = HOME.resolve(Trees.FILE);
    private final CrashSimVfs vfs = new CrashSimVfs();

    ReferencePageLayoutTest() {
        vfs.createDirectories(HOME);
    }

    private static Page exampleLeaf() {
        return PageFormatTest.exampleLeaf();
    }

    @Test
    void theWorkedExampleLeafMatchesTheGoldenFileByteForByte() {
        GoldenFiles.assertMatches("leaf-page.bin", exampleLeaf().bytes());
    }

    @Test
    void pointersAreInKeyOrderWhileCellsLieWhereTheyWereWritten() {
        LeafPage leaf = new LeafPage(exampleLeaf());
        assertThat(leaf.key(0)).isEqualTo(utf8("apple"));
        assertThat(leaf.key(1)).isEqualTo(utf8("kiwi"));
        assertThat(SlottedPage.cellOffset(leaf.page(), 0)).isEqualTo(4096 - 16 - 15);
        assertThat(SlottedPage.cellOffset(leaf.page(), 1)).isEqualTo(4096 - 16);
        assertThat(leaf.search(utf8("banana"))).isEqualTo(-2);
        assertThat(leaf.inlineValue(1)).isEqualTo(utf8("green"));
    }

    @Test
    void removingACellLeavesAHoleThatCompactionCloses() {
        Page page = exampleLeaf();
        page.setWritable(true);
        LeafPage leaf = new LeafPage(page);
        leaf.insert(2, LeafPage.inlineCell(utf8("plum"), utf8("purple")));
        int freeBefore = SlottedPage.freeBytes(page);
        leaf.remove(1); // kiwi: not the lowest cell, so its 16 bytes become a hole
        assertThat(SlottedPage.freeBytes(page)).isEqualTo(freeBefore + 16 + 2);
        int gap = PageFormat.contentStart(page) - PageFormat.HEADER_SIZE - 2 * leaf.count();
        assertThat(gap).isEqualTo(SlottedPage.freeBytes(page) - 16);
        SlottedPage.compact(page);
        assertThat(PageFormat.contentStart(page) - PageFormat.HEADER_SIZE - 2 * leaf.count()).isEqualTo(SlottedPage.freeBytes(page));
        assertThat(leaf.key(0)).isEqualTo(utf8("apple"));
        assertThat(leaf.key(1)).isEqualTo(utf8("plum"));
    }

    @Test
    void packingCutsIntoTheFewestEvenGroupsThatFit() {
        int[] costs = new int[10];
        Arrays.fill(costs, 1000);
        assertThat(Node.pack(costs, 4079, false)).containsExactly(3, 7, 10); // 3 + 4 + 3: even, each under 4079
        assertThat(Node.pack(new int[] {1000, 1000, 1000, 1000, 1000}, 4079, true)).containsExactly(2, 5);
        assertThat(Node.pack(new int[] {10, 10}, 4079, false)).containsExactly(2);
    }

    @Test
    void aSmallStoreIsWrittenExactlyAsTheGoldenFileAndTheGoldenFileReadsBack() {
        try (BTreeStore store = BTreeStore.open(STORE, BTreeStore.Options.defaults().withVfs(vfs))) {
            for (int i = 0; i < 12; i++) {
                store.put(BTreeCrashTest.longKey("key" + i), utf8("value " + i));
            }
            store.put(utf8("big"), BTreeStoreTest.filled(5000, 'b'));
            store.delete(BTreeCrashTest.longKey("key3"));
        }
        GoldenFiles.assertMatches("small-store.db", vfs.files().get(STORE));
        CrashSimVfs other = new CrashSimVfs();
        other.putDurableFile(STORE, GoldenFiles.read("small-store.db"));
        try (BTreeStore store = BTreeStore.open(STORE, BTreeStore.Options.defaults().withVfs(other))) {
            assertThat(store.size()).isEqualTo(12);
            assertThat(store.get(BTreeCrashTest.longKey("key7"))).isEqualTo(utf8("value 7"));
            assertThat(store.get(utf8("big"))).isEqualTo(BTreeStoreTest.filled(5000, 'b'));
            assertThat(store.stats().detail("height")).isEqualTo(2);
        }
        Trees.assertHealthy(other, STORE);
    }
}
