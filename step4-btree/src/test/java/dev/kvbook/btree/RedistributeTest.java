package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.kvbook.btree.HandBuiltTree.cell;
import static dev.kvbook.btree.HandBuiltTree.cells;
import static dev.kvbook.btree.HandBuiltTree.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one move behind splits, merges and borrows ({@link Rebalancer#redistribute}), called on a
 * window of siblings built by hand: the entries come out in as few, evenly filled pages as hold
 * them, the parent gets the new children and separators, and a parent that no longer fits comes
 * back instead of being written. A split takes a page from the free list and a merge gives one
 * back: this lab needs {@code step4.freelist-allocate} and {@code step4.freelist-free}.
 *
 * <p>Leaf cells here are 500 bytes: eight fit in a 4 KiB page, nine do not, and two are under a
 * quarter full.
 */
// design: calls the reference redistribute on hand-built windows and pins the pages and separators it makes.
@Tag("design:step4.build-node")
@Tag("lab:step4.redistribute")
class RedistributeTest {

    static final int VALUE = 490; // + 7 bytes of cell header + a 3-byte key = 500
    /** A 990-byte prefix: keys and separators that start with it fill a page four at a time. */
    static final String LONG = "x".repeat(990);

    final HandBuiltTree tree = new HandBuiltTree();
    final Rebalancer rebalancer = new Rebalancer(tree.pager, new FreeList(tree.pager));

    @Test
    void anOverflowingLeafIsCutInTwoEvenHalvesOnANewPage() {
        int leaf = tree.leaf(cells(VALUE, keys("k", 0, 8)));
        int root = tree.branch(List.of(), leaf);
        tree.root(root, 2, 9);
        int newPage = tree.pager.pageCount();
        Node overflowing = Node.of(tree.pager.read(leaf));
        overflowing.items.add(cell("k08", VALUE));

        assertThat(rebalancer.redistribute(root, 0, 0, 0, overflowing)).as("the parent fits: written, not returned").isNull();

        assertThat(tree.childrenOf(root)).containsExactly(leaf, newPage);
        List<String> left = tree.keysOf(leaf);
        List<String> right = tree.keysOf(newPage);
        assertThat(Math.abs(left.size() - right.size())).as("even: %s | %s", left, right).isLessThanOrEqualTo(1);
        assertThat(tree.separatorsOf(root)).as("the shortest key between the halves").containsExactly(right.get(0));
        assertThat(tree.keysInOrder()).containsExactly(keys("k", 0, 9));
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void twoUnderfullLeavesThatFitInOnePageMergeIntoTheFirstAndTheOtherIsFreed() {
        int first = tree.leaf(cells(VALUE, "k00", "k01"));
        int second = tree.leaf(cells(VALUE, "k02", "k03"));
        tree.link(first, second);
        int root = tree.branch(List.of("k02"), first, second);
        tree.root(root, 2, 4);

        assertThat(rebalancer.redistribute(root, 0, 1, 0, null)).isNull();

        assertThat(tree.childrenOf(root)).containsExactly(first);
        assertThat(tree.separatorsOf(root)).isEmpty();
        assertThat(tree.keysOf(first)).containsExactly("k00", "k01", "k02", "k03");
        assertThat(PageFormat.link(tree.pager.read(first))).as("the merged leaf takes the right link of the last").isZero();
        assertThat(PageFormat.type(tree.pager.read(second))).isEqualTo(PageFormat.TYPE_FREE);
        assertThat(tree.pager.meta().freeListHead()).isEqualTo(second);
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void anUnderfullLeafBorrowsFromANeighbourTooFullToMergeWith() {
        int first = tree.leaf(cells(VALUE, "k00", "k01"));
        int second = tree.leaf(cells(VALUE, keys("k", 2, 7)));
        tree.link(first, second);
        int root = tree.branch(List.of("k02"), first, second);
        tree.root(root, 2, 9);
        int pages = tree.pager.pageCount();

        assertThat(rebalancer.redistribute(root, 0, 1, 0, null)).isNull();

        assertThat(tree.childrenOf(root)).as("the same two pages").containsExactly(first, second);
        assertThat(tree.keysOf(first)).hasSizeBetween(4, 5);
        assertThat(tree.separatorsOf(root)).containsExactly(tree.keysOf(second).get(0));
        assertThat(tree.pager.pageCount()).as("nothing allocated").isEqualTo(pages);
        assertThat(tree.pager.meta().freePages()).as("nothing freed").isZero();
        assertThat(tree.keysInOrder()).containsExactly(keys("k", 0, 9));
        assertThat(tree.problems()).isEmpty();
    }

    /** Branches: the parent's separator between the two comes down into the merged branch. */
    @Test
    void twoBranchesMergeWithTheirParentsSeparatorBetweenThem() {
        int[] leaves = new int[4];
        String[] prefixes = {"a", "b", "c", "d"};
        for (int i = 0; i < 4; i++) {
            leaves[i] = tree.leaf(cells(VALUE, keys(prefixes[i], 0, 3)));
        }
        tree.link(leaves);
        int left = tree.branch(List.of("b00"), leaves[0], leaves[1]);
        int right = tree.branch(List.of("d00"), leaves[2], leaves[3]);
        int root = tree.branch(List.of("c00"), left, right);
        tree.root(root, 3, 12);

        assertThat(rebalancer.redistribute(root, 0, 1, 0, null)).isNull();

        assertThat(tree.childrenOf(root)).containsExactly(left);
        assertThat(tree.separatorsOf(left)).containsExactly("b00", "c00", "d00");
        assertThat(tree.childrenOf(left)).containsExactly(leaves[0], leaves[1], leaves[2], leaves[3]);
        assertThat(PageFormat.type(tree.pager.read(right))).isEqualTo(PageFormat.TYPE_FREE);
        assertThat(tree.problems()).isEmpty();
    }

    /** Keys that share 990 bytes make separators of 991 bytes or more: a branch holds only four. */
    @Test
    void aParentThatNoLongerFitsIsReturnedAndLeftUnwritten() {
        int full = tree.leaf(cells(5, LONG + "a0", LONG + "a1", LONG + "a2", LONG + "a3"));
        int[] others = new int[4];
        for (int i = 0; i < 4; i++) {
            others[i] = tree.leaf(cells(5, LONG + "cegi".charAt(i)));
        }
        int root = tree.branch(List.of(LONG + "c", LONG + "e", LONG + "g", LONG + "i"),
                full, others[0], others[1], others[2], others[3]);
        tree.root(root, 2, 9);
        int newPage = tree.pager.pageCount();
        Node overflowing = Node.of(tree.pager.read(full));
        overflowing.items.add(cell(LONG + "a4", 5));

        Node parent = rebalancer.redistribute(root, 0, 0, 0, overflowing);

        assertThat(parent).as("five separators of ~1,000 bytes do not fit a 4 KiB page").isNotNull();
        assertThat(parent.leaf).isFalse();
        assertThat(parent.items).hasSize(5);
        assertThat(parent.children).containsExactly(full, newPage, others[0], others[1], others[2], others[3]);
        assertThat(Arrays.copyOf(parent.items.get(0), 990)).as("the new separator").isEqualTo(HandBuiltTree.bytes(LONG));
        assertThat(tree.separatorsOf(root)).as("the parent's page is left as it was").hasSize(4);
        assertThat(tree.keysOf(newPage)).isNotEmpty();
        assertThat(tree.keysOf(full).size() + tree.keysOf(newPage).size()).isEqualTo(5);
    }
}
