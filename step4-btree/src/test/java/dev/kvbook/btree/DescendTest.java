package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kvbook.btree.HandBuiltTree.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The descent from the root to a leaf ({@link BTree#descend}) over trees built by hand: one step
 * per level with the child taken, and a page of the wrong type for its level reported as
 * corruption instead of followed. Which child to take is {@code step4.branch-search}'s: this lab
 * needs it.
 */
@Tag("lab:step4.descend")
class DescendTest {

    final HandBuiltTree tree = new HandBuiltTree();
    int a;
    int f;
    int m;
    int s;
    int left;
    int right;
    int root;

    /**
     * <pre>
     *                 root [m]
     *          /                  \
     *     left [f]              right [s]
     *     /      \              /       \
     *  a [a b]  f [f g]     m [m n]   s [s t]
     * </pre>
     */
    void threeLevels() {
        a = tree.leaf("a", "b");
        f = tree.leaf("f", "g");
        m = tree.leaf("m", "n");
        s = tree.leaf("s", "t");
        tree.link(a, f, m, s);
        left = tree.branch(List.of("f"), a, f);
        right = tree.branch(List.of("s"), m, s);
        root = tree.branch(List.of("m"), left, right);
        tree.root(root, 3, 8);
    }

    List<Rebalancer.Step> descend(String key) {
        return new BTree(tree.pager).descend(bytes(key));
    }

    @Test
    void thePathHasOneStepPerLevelWithTheChildTakenAndEndsAtTheLeaf() {
        threeLevels();
        assertThat(descend("g")).containsExactly(new Rebalancer.Step(root, 0), new Rebalancer.Step(left, 1),
                new Rebalancer.Step(f, -1));
        assertThat(descend("p")).containsExactly(new Rebalancer.Step(root, 1), new Rebalancer.Step(right, 0),
                new Rebalancer.Step(m, -1));
    }

    @Test
    void aKeyEqualToASeparatorIsLookedForRightOfIt() {
        threeLevels();
        assertThat(descend("m")).containsExactly(new Rebalancer.Step(root, 1), new Rebalancer.Step(right, 0),
                new Rebalancer.Step(m, -1));
    }

    @Test
    void everyKeyLeadsToTheLeafThatHoldsItAndKeysOutsideLeadToTheEdges() {
        threeLevels();
        for (int leaf : new int[] {a, f, m, s}) {
            for (String key : tree.keysOf(leaf)) {
                List<Rebalancer.Step> path = descend(key);
                assertThat(path.get(path.size() - 1).page()).as("leaf of %s", key).isEqualTo(leaf);
            }
        }
        assertThat(descend("").get(2).page()).isEqualTo(a);
        assertThat(descend("zzz").get(2).page()).isEqualTo(s);
    }

    @Test
    void aTreeOfOneLevelIsItsRootLeaf() {
        int only = tree.leaf("k");
        tree.root(only, 1, 1);
        assertThat(descend("k")).containsExactly(new Rebalancer.Step(only, -1));
        assertThat(descend("other")).containsExactly(new Rebalancer.Step(only, -1));
    }

    @Test
    void aLeafWhereABranchBelongsIsCorruption() {
        int x = tree.leaf("a");
        int y = tree.leaf("m");
        int top = tree.branch(List.of("m"), x, y);
        tree.root(top, 3, 2); // the header says three levels, but top's children are leaves
        assertThatThrownBy(() -> descend("a")).isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.offset()).isEqualTo((long) x * HandBuiltTree.PAGE_SIZE))
                .hasMessageContaining("type of page " + x).hasMessageContaining("expected branch but found leaf");
    }

    @Test
    void aBranchWhereALeafBelongsIsCorruption() {
        threeLevels();
        tree.root(root, 2, 8); // two levels: root's children would have to be leaves
        assertThatThrownBy(() -> descend("a")).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("type of page " + left).hasMessageContaining("expected leaf but found branch");
    }

    @Test
    void aPointerToAFreePageIsCorruptionNotFollowed() {
        threeLevels();
        Page freed = tree.pager.write(f);
        PageFormat.initialize(freed, PageFormat.TYPE_FREE);
        assertThatThrownBy(() -> descend("g")).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("type of page " + f).hasMessageContaining("found free");
    }
}
