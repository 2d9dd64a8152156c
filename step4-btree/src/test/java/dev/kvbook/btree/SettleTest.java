package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.btree.HandBuiltTree.cell;
import static dev.kvbook.btree.HandBuiltTree.cells;
import static dev.kvbook.btree.HandBuiltTree.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walking back up after a change ({@link Rebalancer#settle}), over trees built by hand and paths
 * written by hand: nothing happens to a page that is fine, an overflowing page splits into its
 * parent and the split climbs as far as it must (growing the root), and an under-full page merges
 * or borrows, collapsing a root left with one child. Each split or merge is
 * {@code step4.redistribute}'s move: this lab needs it (and so the free list).
 *
 * <p>Leaf cells are 500 bytes, as in {@link RedistributeTest}: eight fit in a page, two are
 * under-full.
 */
// design: pins which of the reference rebalancer's moves settle makes, level by level.
@Tag("design:step4.build-node")
@Tag("lab:step4.settle")
class SettleTest {

    static final int VALUE = RedistributeTest.VALUE;
    static final String LONG = RedistributeTest.LONG;

    final HandBuiltTree tree = new HandBuiltTree();
    final Rebalancer rebalancer = new Rebalancer(tree.pager, new FreeList(tree.pager));

    static List<Rebalancer.Step> path(int... pageThenChild) {
        List<Rebalancer.Step> path = new ArrayList<>();
        for (int i = 0; i < pageThenChild.length; i += 2) {
            path.add(new Rebalancer.Step(pageThenChild[i], pageThenChild[i + 1]));
        }
        return path;
    }

    static Node plus(Node node, byte[] cell) {
        node.items.add(cell);
        return node;
    }

    @Test
    void aChangedPageThatIsNeitherFullNorUnderfullChangesNothingElse() {
        int first = tree.leaf(cells(VALUE, keys("k", 0, 3)));
        int second = tree.leaf(cells(VALUE, keys("k", 3, 3)));
        tree.link(first, second);
        int root = tree.branch(List.of("k03"), first, second);
        tree.root(root, 2, 6);
        TreeMeta before = tree.pager.meta();
        int pages = tree.pager.pageCount();

        rebalancer.settle(path(root, 0, first, -1), null);

        assertThat(tree.pager.meta()).isEqualTo(before);
        assertThat(tree.pager.pageCount()).isEqualTo(pages);
        assertThat(tree.childrenOf(root)).containsExactly(first, second);
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void anOverflowingRootLeafGrowsTheTreeByOneLevel() {
        int leaf = tree.leaf(cells(VALUE, keys("k", 0, 8)));
        tree.root(leaf, 1, 9);

        rebalancer.settle(path(leaf, -1), plus(Node.of(tree.pager.read(leaf)), cell("k08", VALUE)));

        TreeMeta meta = tree.pager.meta();
        assertThat(meta.height()).isEqualTo(2);
        assertThat(PageFormat.type(tree.pager.read(meta.rootPage()))).isEqualTo(PageFormat.TYPE_BRANCH);
        assertThat(tree.childrenOf(meta.rootPage())).hasSize(2).startsWith(leaf);
        assertThat(tree.keysInOrder()).containsExactly(keys("k", 0, 9));
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void anOverflowingLeafSplitsIntoItsParent() {
        int first = tree.leaf(cells(VALUE, keys("k", 0, 5)));
        int second = tree.leaf(cells(VALUE, keys("k", 5, 8)));
        tree.link(first, second);
        int root = tree.branch(List.of("k05"), first, second);
        tree.root(root, 2, 14);

        rebalancer.settle(path(root, 1, second, -1), plus(Node.of(tree.pager.read(second)), cell("k13", VALUE)));

        assertThat(tree.pager.meta().rootPage()).isEqualTo(root);
        assertThat(tree.pager.meta().height()).isEqualTo(2);
        assertThat(tree.childrenOf(root)).hasSize(3).startsWith(first, second);
        assertThat(tree.keysInOrder()).containsExactly(keys("k", 0, 14));
        assertThat(tree.problems()).isEmpty();
    }

    /** Separators of ~1,000 bytes: the leaf's split overflows the root, which splits too, and the tree grows. */
    @Test
    void aSplitThatOverflowsTheParentSplitsItTooAndGrowsTheRoot() {
        int full = tree.leaf(cells(5, LONG + "a0", LONG + "a1", LONG + "a2", LONG + "a3"));
        int[] leaves = {full, 0, 0, 0, 0};
        for (int i = 1; i <= 4; i++) {
            char c = "cegi".charAt(i - 1);
            leaves[i] = tree.leaf(cells(5, LONG + c, LONG + (char) (c + 1)));
        }
        tree.link(leaves);
        int root = tree.branch(List.of(LONG + "c", LONG + "e", LONG + "g", LONG + "i"),
                leaves[0], leaves[1], leaves[2], leaves[3], leaves[4]);
        tree.root(root, 2, 13);
        List<String> before = tree.keysInOrder();

        rebalancer.settle(path(root, 0, full, -1), plus(Node.of(tree.pager.read(full)), cell(LONG + "a4", 5)));

        assertThat(tree.pager.meta().height()).isEqualTo(3);
        assertThat(tree.childrenOf(tree.pager.meta().rootPage())).hasSize(2).startsWith(root);
        List<String> after = tree.keysInOrder();
        assertThat(after).hasSize(13).containsAll(before).contains(LONG + "a4");
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void anUnderfullLeafMergesWithItsNeighbourAndARootLeftWithOneChildCollapses() {
        int first = tree.leaf(cells(VALUE, "k00", "k01"));
        int second = tree.leaf(cells(VALUE, "k02", "k03"));
        tree.link(first, second);
        int root = tree.branch(List.of("k02"), first, second);
        tree.root(root, 2, 4);

        rebalancer.settle(path(root, 0, first, -1), null);

        assertThat(tree.pager.meta().rootPage()).isEqualTo(first);
        assertThat(tree.pager.meta().height()).isEqualTo(1);
        assertThat(tree.pager.meta().freePages()).as("the second leaf and the old root").isEqualTo(2);
        assertThat(tree.keysInOrder()).containsExactly("k00", "k01", "k02", "k03");
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void anUnderfullLastChildBorrowsFromItsLeftNeighbourAndTheTreeKeepsItsHeight() {
        int first = tree.leaf(cells(VALUE, keys("k", 0, 7)));
        int second = tree.leaf(cells(VALUE, "k07", "k08"));
        tree.link(first, second);
        int root = tree.branch(List.of("k07"), first, second);
        tree.root(root, 2, 9);

        rebalancer.settle(path(root, 1, second, -1), null);

        assertThat(tree.pager.meta().rootPage()).isEqualTo(root);
        assertThat(tree.pager.meta().height()).isEqualTo(2);
        assertThat(tree.childrenOf(root)).containsExactly(first, second);
        assertThat(tree.keysOf(second)).hasSizeBetween(4, 5);
        assertThat(tree.keysInOrder()).containsExactly(keys("k", 0, 9));
        assertThat(tree.problems()).isEmpty();
    }
}
