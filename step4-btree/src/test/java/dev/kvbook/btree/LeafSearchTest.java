package dev.kvbook.btree;

import dev.kvbook.api.Keys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binary search in one leaf page ({@link LeafPage#search}), on pages filled by hand: the index of
 * a key that is there, {@code -(insertion point) - 1} for one that is not, exactly as
 * {@link Arrays#binarySearch} answers, in unsigned byte order.
 */
@Tag("lab:step4.leaf-search")
class LeafSearchTest {

    /** A leaf page (not in any file) holding {@code keys}, which must be in order, each with a small value. */
    static LeafPage leafOf(byte[]... keys) {
        Page page = new Page(1, new byte[HandBuiltTree.PAGE_SIZE]);
        page.setWritable(true);
        LeafPage leaf = LeafPage.initialize(page);
        for (byte[] key : keys) {
            assertThat(leaf.insert(leaf.count(), LeafPage.inlineCell(key, new byte[] {7}))).isTrue();
        }
        return leaf;
    }

    static byte[] b(String text) {
        return HandBuiltTree.bytes(text);
    }

    @Test
    void aKeyThatIsThereIsFoundAtItsIndex() {
        LeafPage leaf = leafOf(b("b"), b("d"), b("f"));
        assertThat(leaf.search(b("b"))).isEqualTo(0);
        assertThat(leaf.search(b("d"))).isEqualTo(1);
        assertThat(leaf.search(b("f"))).isEqualTo(2);
    }

    @Test
    void aKeyThatIsNotThereGivesMinusItsInsertionPointMinusOne() {
        LeafPage leaf = leafOf(b("b"), b("d"), b("f"));
        assertThat(leaf.search(b("a"))).as("before all").isEqualTo(-1);
        assertThat(leaf.search(b("c"))).isEqualTo(-2);
        assertThat(leaf.search(b("e"))).isEqualTo(-3);
        assertThat(leaf.search(b("g"))).as("after all").isEqualTo(-4);
    }

    @Test
    void anEmptyLeafHasEveryKeyInsertedAtZero() {
        LeafPage leaf = leafOf();
        assertThat(leaf.search(b("anything"))).isEqualTo(-1);
        assertThat(leaf.search(new byte[0])).isEqualTo(-1);
    }

    @Test
    void bytesCompareUnsignedAndAPrefixComesFirst() {
        LeafPage leaf = leafOf(new byte[0], new byte[] {0x01}, new byte[] {0x7F}, new byte[] {(byte) 0x80},
                new byte[] {(byte) 0x80, 0x00}, new byte[] {(byte) 0xFF});
        assertThat(leaf.search(new byte[0])).as("the empty key").isEqualTo(0);
        assertThat(leaf.search(new byte[] {(byte) 0x80})).as("0x80 is above 0x7F, not below 0").isEqualTo(3);
        assertThat(leaf.search(new byte[] {(byte) 0x80, 0x00})).as("a longer key after its prefix").isEqualTo(4);
        assertThat(leaf.search(new byte[] {(byte) 0x90})).isEqualTo(-6);
        assertThat(leaf.search(new byte[] {0x00})).isEqualTo(-2);
    }

    @Test
    void everyKeyAndEveryGapOfAFullLeafAgreesWithArraysBinarySearch() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            keys.add(new byte[] {(byte) (2 * i / 256), (byte) (2 * i)}); // even numbers, big-endian
        }
        LeafPage leaf = leafOf(keys.toArray(byte[][]::new));
        assertThat(leaf.count()).isEqualTo(250);
        byte[][] sorted = keys.toArray(byte[][]::new);
        for (int n = -1; n <= 500; n++) {
            byte[] probe = {(byte) (n / 256), (byte) n};
            if (n < 0) {
                probe = new byte[] {0};
            }
            assertThat(leaf.search(probe)).as("key %s", Arrays.toString(probe))
                    .isEqualTo(Arrays.binarySearch(sorted, probe, Keys.COMPARATOR));
        }
    }
}
