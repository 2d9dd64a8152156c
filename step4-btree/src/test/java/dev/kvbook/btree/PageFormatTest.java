package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The slotted page of {@link PageFormat} by behaviour: an insert that fits only in the holes, a full
 * page that refuses an insert, checksums, bounds, page numbers and types. Where the reference puts
 * each cell, and its golden page, are pinned in {@link ReferencePageLayoutTest}.
 */
@Tag("lab:step4.build-node")
class PageFormatTest {

    private static final Path FILE = Path.of("/golden/tree.db");

    private static Page writablePage(int number) {
        Page page = new Page(number, new byte[4096]);
        page.setWritable(true);
        return page;
    }

    /** The page of the worked example in PageFormat's Javadoc. */
    static Page exampleLeaf() {
        LeafPage leaf = LeafPage.initialize(writablePage(1));
        assertThat(leaf.insert(0, LeafPage.inlineCell(utf8("kiwi"), utf8("green")))).isTrue();
        assertThat(leaf.insert(0, LeafPage.inlineCell(utf8("apple"), utf8("red")))).isTrue();
        PageFormat.seal(leaf.page().bytes());
        return leaf.page();
    }

    @Test
    void anInsertThatFitsOnlyInTheHolesCompactsTheFragmentedPageFirst() {
        LeafPage leaf = LeafPage.initialize(writablePage(2));
        int i = 0;
        while (leaf.insert(i, LeafPage.inlineCell(utf8(String.format("k%03d", i)), new byte[90]))) {
            i++;
        }
        for (int j = 0; j < leaf.count(); j += 2) {
            leaf.remove(j); // every other cell: many small holes, no gap
        }
        byte[] big = LeafPage.inlineCell(utf8("big"), new byte[900]);
        assertThat(PageFormat.contentStart(leaf.page()) - PageFormat.HEADER_SIZE - 2 * leaf.count()).isLessThan(big.length);
        assertThat(leaf.insert(0, big)).isTrue();
        assertThat(leaf.key(0)).isEqualTo(utf8("big"));
        assertThat(leaf.key(1)).isEqualTo(utf8("k001"));
    }

    @Test
    void anInsertIntoAFullPageReturnsFalseAndChangesNothing() {
        LeafPage leaf = LeafPage.initialize(writablePage(3));
        while (leaf.insert(leaf.count(), LeafPage.inlineCell(utf8("k" + leaf.count()), new byte[500]))) {
            assertThat(leaf.count()).isLessThan(100);
        }
        byte[] before = leaf.page().bytes().clone();
        assertThat(leaf.insert(0, LeafPage.inlineCell(utf8("x"), new byte[500]))).isFalse();
        assertThat(leaf.page().bytes()).isEqualTo(before);
    }

    @Test
    void aFlippedByteAnywhereFailsTheChecksumNamingPageAndOffset() {
        byte[] bytes = exampleLeaf().bytes();
        for (int i : new int[] {4, 8, 17, 2000, 4095}) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x80;
            assertThatThrownBy(() -> PageFormat.verify(new Page(1, damaged), FILE, 4096))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("offset 4096").hasMessageContaining("checksum");
        }
        PageFormat.verify(new Page(1, bytes), FILE, 4096);
    }

    @Test
    void aCellOffsetOutsideThePageIsCorruptionEvenWithAGoodChecksum() {
        Page page = exampleLeaf();
        page.setWritable(true);
        page.putU16(PageFormat.HEADER_SIZE, 4094); // cell 0 now starts 2 bytes before the end
        PageFormat.seal(page.bytes());
        assertThatThrownBy(() -> PageFormat.verify(page, FILE, 4096)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("cell 0");
    }

    @Test
    void aPageStoredAtTheWrongPlaceIsCaughtByItsPageNumber() {
        byte[] bytes = exampleLeaf().bytes();
        assertThatThrownBy(() -> PageFormat.verify(new Page(7, bytes), FILE, 7 * 4096))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("expected 7 but found 1");
    }

    @Test
    void anUnknownPageTypeIsCorruption() {
        Page page = exampleLeaf();
        page.setWritable(true);
        page.putU8(PageFormat.TYPE_OFFSET, 9);
        PageFormat.seal(page.bytes());
        assertThatThrownBy(() -> PageFormat.verify(page, FILE, 4096)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("type");
    }

    @Test
    void shortestSeparatorsSitBetweenTheirNeighbours() {
        assertThat(Rebalancer.shortestSeparator(utf8("apple"), utf8("banana"))).isEqualTo(utf8("b"));
        assertThat(Rebalancer.shortestSeparator(utf8("ab"), utf8("abc"))).isEqualTo(utf8("abc"));
        assertThat(Rebalancer.shortestSeparator(utf8("abx"), utf8("aby"))).isEqualTo(utf8("aby"));
        assertThat(Rebalancer.shortestSeparator(new byte[0], new byte[] {0})).isEqualTo(new byte[] {0});
    }

}
