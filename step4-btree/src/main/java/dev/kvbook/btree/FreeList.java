package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;

/**
 * The pages no longer in use, kept for reuse so the file grows only when none is left.
 *
 * <p>A singly linked list threaded through the free pages themselves: each is a page of type
 * {@link PageFormat#TYPE_FREE} whose link names the next, and the head is in {@link TreeMeta}.
 * Freeing pushes a page on the front, allocating pops it: O(1) each, one page write.
 * (bbolt and SQLite keep free page numbers in dedicated list pages instead, which frees a long
 * overflow chain with far fewer page writes; the linked list is simpler to read and to check.)
 *
 * <p>The file never shrinks: freed pages at its end are reused, not truncated.
 */
final class FreeList {

    private final Pager pager;

    FreeList(Pager pager) {
        this.pager = pager;
    }

    /**
     * Returns a page for new content: the head of the free list if there is one, else a new page
     * at the end of the file. The page is writable; its old contents are to be overwritten. O(1).
     */
    Page allocate() {
        // LAB:BEGIN step4.freelist-allocate — Allocate a page: reuse the head of the free list, else extend the file
        TreeMeta meta = pager.meta();
        int head = meta.freeListHead();
        if (head == 0) {
            return pager.extend();
        }
        Page page = pager.read(head);
        if (PageFormat.type(page) != PageFormat.TYPE_FREE || meta.freePages() < 1) {
            throw new CorruptionException(pager.file(), (long) head * pager.pageSize(), "free-list head page " + head,
                    "a free page (with " + meta.freePages() + " pages on the list)", PageFormat.typeName(PageFormat.type(page)));
        }
        pager.setMeta(meta.withFreeList(PageFormat.link(page), meta.freePages() - 1));
        return pager.write(head);
        // LAB:END
    }

    /** Puts page {@code number} on the free list; the tree must no longer point to it. O(1), one page write. */
    void free(int number) {
        // LAB:BEGIN step4.freelist-free — Free a page: push it on the free list
        assert number > 0 : number;
        TreeMeta meta = pager.meta();
        Page page = pager.write(number);
        PageFormat.initialize(page, PageFormat.TYPE_FREE);
        PageFormat.setLink(page, meta.freeListHead());
        pager.setMeta(meta.withFreeList(number, meta.freePages() + 1));
        pager.release(number);
        // LAB:END
    }
}
