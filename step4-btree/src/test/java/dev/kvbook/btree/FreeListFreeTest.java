package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Freeing a page ({@link FreeList#free}) in a page file with a tree built by hand: the page
 * becomes an empty free page pushed on the front of the list, and the checker finds every page
 * either in the tree or on the list.
 */
@Tag("lab:step4.freelist-free")
class FreeListFreeTest {

    final HandBuiltTree tree = new HandBuiltTree();
    final FreeList freeList = new FreeList(tree.pager);

    @Test
    void aFreedPageBecomesTheHeadOfTheFreeList() {
        int root = tree.leaf("a");
        int old = tree.leaf("b");
        tree.root(root, 1, 1);
        freeList.free(old);
        Page page = tree.pager.read(old);
        assertThat(PageFormat.type(page)).isEqualTo(PageFormat.TYPE_FREE);
        assertThat(PageFormat.link(page)).as("the list was empty").isZero();
        assertThat(tree.pager.meta().freeListHead()).isEqualTo(old);
        assertThat(tree.pager.meta().freePages()).isEqualTo(1);
        assertThat(tree.problems()).isEmpty();
    }

    @Test
    void eachFreedPageIsPushedInFrontOfTheOnesBefore() {
        int root = tree.leaf("a");
        int first = tree.leaf("b");
        int second = tree.leaf("c");
        int third = tree.leaf("d");
        tree.root(root, 1, 1);
        freeList.free(first);
        freeList.free(second);
        freeList.free(third);
        assertThat(tree.pager.meta().freeListHead()).isEqualTo(third);
        assertThat(tree.pager.meta().freePages()).isEqualTo(3);
        assertThat(PageFormat.link(tree.pager.read(third))).isEqualTo(second);
        assertThat(PageFormat.link(tree.pager.read(second))).isEqualTo(first);
        assertThat(PageFormat.link(tree.pager.read(first))).isZero();
        assertThat(tree.problems()).as("every page in the tree or on the free list, counts right").isEmpty();
    }

    @Test
    void aFreedPageKeepsNoneOfItsOldContent() {
        int root = tree.leaf("a");
        int old = tree.leaf(HandBuiltTree.cells(500, "secret-1", "secret-2"));
        tree.root(root, 1, 1);
        freeList.free(old);
        Page page = tree.pager.read(old);
        assertThat(PageFormat.count(page)).as("no cells").isZero();
        assertThat(page.number()).isEqualTo(old);
        assertThat(tree.problems()).isEmpty();
    }
}
