package dev.kvbook.btree;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A branch page seen as what it is to the tree: {@code n} separator keys and {@code n + 1}
 * children. Child {@code i} holds the keys {@code k} with {@code key(i-1) <= k < key(i)}; the
 * last child, kept in the page's link field, holds the keys from {@code key(n-1)} on. A view over
 * its {@link Page}; see {@link PageFormat} for the bytes.
 */
final class BranchPage {

    private final Page page;

    /** A view of {@code page}, which must be a branch (the caller checked its type). */
    BranchPage(Page page) {
        assert PageFormat.type(page) == PageFormat.TYPE_BRANCH : "page " + page.number() + " is not a branch";
        this.page = page;
    }

    Page page() {
        return page;
    }

    /** Separator keys: one fewer than children. */
    int keyCount() {
        return PageFormat.count(page);
    }

    /** The separator {@code index}, copied. */
    byte[] key(int index) {
        int cell = SlottedPage.cellOffset(page, index);
        return page.slice(cell + PageFormat.BRANCH_CELL_HEADER, page.u16(cell + PageFormat.BRANCH_KEY_LENGTH_OFFSET));
    }

    /** Child {@code index}, from 0 to {@link #keyCount()} inclusive. */
    int child(int index) {
        return index == keyCount() ? PageFormat.link(page) : page.i32(SlottedPage.cellOffset(page, index));
    }

    /**
     * Which child may hold {@code key}: the first {@code i} with {@code key < key(i)}, else the
     * last child. Binary search, O(log keys) comparisons.
     */
    int childIndexFor(byte[] key) {
        // LAB:BEGIN step4.branch-search — Pick the child of a branch page that may hold a key
        int low = 0;
        int high = keyCount();
        while (low < high) {
            int middle = (low + high) >>> 1;
            int cell = SlottedPage.cellOffset(page, middle);
            int from = cell + PageFormat.BRANCH_CELL_HEADER;
            if (Arrays.compareUnsigned(key, 0, key.length, page.bytes(), from, from + page.u16(cell + PageFormat.BRANCH_KEY_LENGTH_OFFSET)) < 0) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
        // LAB:END
    }

    /**
     * Rewrites {@code page} as a branch with these separators and children (one more child than
     * keys). The caller checked that they fit ({@link #byteSize}). O(pageSize).
     */
    static void write(Page page, List<byte[]> keys, List<Integer> children) {
        assert children.size() == keys.size() + 1 : keys.size() + " keys, " + children.size() + " children";
        PageFormat.initialize(page, PageFormat.TYPE_BRANCH);
        byte[][] cells = new byte[keys.size()][];
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            cells[i] = ByteBuffer.allocate(PageFormat.BRANCH_CELL_HEADER + key.length)
                    .putInt(children.get(i)).putShort((short) key.length).put(key).array();
        }
        SlottedPage.setCells(page, cells);
        PageFormat.setLink(page, children.get(children.size() - 1));
    }

    /** Bytes a branch cell for {@code key} takes in a page, its pointer included. */
    static int cellCost(byte[] key) {
        return PageFormat.POINTER_SIZE + PageFormat.BRANCH_CELL_HEADER + key.length;
    }
}
