package dev.kvbook.btree;

/**
 * The few numbers that locate the whole tree: where its root is, how tall it is, where the free
 * list starts, and counts kept so that {@code size()} and {@code stats()} cost nothing.
 *
 * <p>The tree reads it from its {@link Pager} at the start of each operation and hands a new one
 * back with {@link Pager#setMeta} when something changed. How it is made durable is the pager's
 * business: {@link FilePager} keeps it in the file header, written with the clean flag; step 5's
 * pager logs it with each commit. Immutable.
 *
 * @param rootPage      the root page, or 0 while the tree has never held a key
 * @param height        levels: 0 with no root, 1 when the root is a leaf, 2 with one branch level, ...
 * @param freeListHead  the first free page, or 0 when the free list is empty
 * @param freePages     pages on the free list
 * @param overflowPages pages in overflow chains
 * @param keyCount      live keys
 */
public record TreeMeta(int rootPage, int height, int freeListHead, int freePages, int overflowPages, long keyCount) {

    /** A tree that has never held a key: no root, no free pages. */
    public static final TreeMeta EMPTY = new TreeMeta(0, 0, 0, 0, 0, 0);

    public TreeMeta withRoot(int root, int newHeight) {
        return new TreeMeta(root, newHeight, freeListHead, freePages, overflowPages, keyCount);
    }

    public TreeMeta withFreeList(int head, int pages) {
        return new TreeMeta(rootPage, height, head, pages, overflowPages, keyCount);
    }

    public TreeMeta withOverflowPages(int pages) {
        return new TreeMeta(rootPage, height, freeListHead, freePages, pages, keyCount);
    }

    public TreeMeta withKeyCount(long keys) {
        return new TreeMeta(rootPage, height, freeListHead, freePages, overflowPages, keys);
    }
}
