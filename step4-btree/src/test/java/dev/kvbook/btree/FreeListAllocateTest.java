package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Allocating a page ({@link FreeList#allocate}) over a page file whose free list is threaded by
 * hand: the head of the list is reused and popped, and only an empty list extends the file. A
 * head that is not a free page is corruption, not a page to hand out.
 */
@Tag("lab:step4.freelist-allocate")
class FreeListAllocateTest {

    final HandBuiltTree tree = new HandBuiltTree();
    final FreeList freeList = new FreeList(tree.pager);

    /** Pages 1 to {@code n} made free by hand, threaded n -> n-1 -> ... -> 1, with n at the head. */
    void freePagesByHand(int n) {
        for (int i = 1; i <= n; i++) {
            Page page = tree.pager.extend();
            PageFormat.initialize(page, PageFormat.TYPE_FREE);
            PageFormat.setLink(page, i - 1);
        }
        tree.pager.setMeta(tree.pager.meta().withFreeList(n, n));
    }

    @Test
    void withAnEmptyFreeListTheFileGrowsByOnePage() {
        int pagesBefore = tree.pager.pageCount();
        Page page = freeList.allocate();
        assertThat(page.number()).isEqualTo(pagesBefore);
        assertThat(tree.pager.pageCount()).isEqualTo(pagesBefore + 1);
        assertThat(page.isWritable()).isTrue();
        assertThat(tree.pager.meta().freeListHead()).isZero();
    }

    @Test
    void theHeadOfTheFreeListIsReusedAndTheListMovesToItsNext() {
        freePagesByHand(3);
        int pagesBefore = tree.pager.pageCount();
        Page page = freeList.allocate();
        assertThat(page.number()).isEqualTo(3);
        assertThat(page.isWritable()).as("ready for new content").isTrue();
        assertThat(tree.pager.meta().freeListHead()).isEqualTo(2);
        assertThat(tree.pager.meta().freePages()).isEqualTo(2);
        assertThat(tree.pager.pageCount()).as("the file did not grow").isEqualTo(pagesBefore);
    }

    @Test
    void theFileGrowsOnlyOnceEveryFreePageIsReused() {
        freePagesByHand(3);
        int pagesBefore = tree.pager.pageCount();
        assertThat(freeList.allocate().number()).isEqualTo(3);
        assertThat(freeList.allocate().number()).isEqualTo(2);
        assertThat(freeList.allocate().number()).isEqualTo(1);
        assertThat(tree.pager.meta().freeListHead()).isZero();
        assertThat(tree.pager.meta().freePages()).isZero();
        assertThat(tree.pager.pageCount()).isEqualTo(pagesBefore);
        assertThat(freeList.allocate().number()).isEqualTo(pagesBefore);
        assertThat(tree.pager.pageCount()).isEqualTo(pagesBefore + 1);
    }

    @Test
    void aHeadThatIsNotAFreePageIsCorruption() {
        int leaf = tree.leaf("a page the tree still uses");
        tree.pager.setMeta(tree.pager.meta().withFreeList(leaf, 1));
        assertThatThrownBy(freeList::allocate).isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.offset()).isEqualTo((long) leaf * HandBuiltTree.PAGE_SIZE))
                .hasMessageContaining("free-list head page " + leaf).hasMessageContaining("found leaf");
        assertThat(tree.pager.meta().freeListHead()).as("the list is left as it was").isEqualTo(leaf);
    }

    @Test
    void aHeadWhileTheCountSaysTheListIsEmptyIsCorruption() {
        freePagesByHand(1);
        tree.pager.setMeta(tree.pager.meta().withFreeList(1, 0));
        assertThatThrownBy(freeList::allocate).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("free-list head page 1");
    }
}
