package dev.kvbook.btree;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A leaf page seen as what it is to the tree: keys in order, each with its value inline or in an
 * overflow chain, and a link to the next leaf to the right. A view: it holds no data of its own,
 * only the {@link Page}, whose layout {@link PageFormat} specifies.
 */
final class LeafPage {

    private final Page page;

    /** A view of {@code page}, which must be a leaf (the caller checked its type). */
    LeafPage(Page page) {
        assert PageFormat.type(page) == PageFormat.TYPE_LEAF : "page " + page.number() + " is not a leaf";
        this.page = page;
    }

    /** Turns {@code page} into an empty leaf with no right sibling. */
    static LeafPage initialize(Page page) {
        PageFormat.initialize(page, PageFormat.TYPE_LEAF);
        return new LeafPage(page);
    }

    Page page() {
        return page;
    }

    int count() {
        return PageFormat.count(page);
    }

    int rightSibling() {
        return PageFormat.link(page);
    }

    /** The key of entry {@code index}, copied. */
    byte[] key(int index) {
        int cell = SlottedPage.cellOffset(page, index);
        return page.slice(cell + PageFormat.LEAF_CELL_HEADER, page.u16(cell));
    }

    /** Compares the key of entry {@code index} with {@code key}, unsigned, without copying. */
    int compare(int index, byte[] key) {
        int cell = SlottedPage.cellOffset(page, index);
        int from = cell + PageFormat.LEAF_CELL_HEADER;
        return Arrays.compareUnsigned(page.bytes(), from, from + page.u16(cell), key, 0, key.length);
    }

    /**
     * Binary search: the index of {@code key} if present, else {@code -(insertion point) - 1},
     * as {@link java.util.Arrays#binarySearch} answers. O(log cells) comparisons.
     */
    int search(byte[] key) {
        // LAB:BEGIN step4.leaf-search — Binary-search a leaf page for a key: its index, or -(insertion point) - 1
        int low = 0;
        int high = count() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = compare(middle, key);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
        // LAB:END
    }

    boolean isOverflow(int index) {
        return page.u8(SlottedPage.cellOffset(page, index) + PageFormat.LEAF_VALUE_KIND_OFFSET) == PageFormat.VALUE_OVERFLOW;
    }

    int valueLength(int index) {
        return page.i32(SlottedPage.cellOffset(page, index) + PageFormat.LEAF_VALUE_LENGTH_OFFSET);
    }

    /** The value of an inline entry, copied. */
    byte[] inlineValue(int index) {
        assert !isOverflow(index);
        int cell = SlottedPage.cellOffset(page, index);
        return page.slice(cell + PageFormat.LEAF_CELL_HEADER + page.u16(cell + PageFormat.LEAF_KEY_LENGTH_OFFSET),
                page.i32(cell + PageFormat.LEAF_VALUE_LENGTH_OFFSET));
    }

    /** The first overflow page of an entry whose value lives in a chain. */
    int overflowPage(int index) {
        assert isOverflow(index);
        int cell = SlottedPage.cellOffset(page, index);
        return page.i32(cell + PageFormat.LEAF_CELL_HEADER + page.u16(cell));
    }

    byte[] cell(int index) {
        return SlottedPage.cell(page, index);
    }

    /** Inserts a cell at {@code index}; false (and no change) when the page is full. */
    boolean insert(int index, byte[] cell) {
        return SlottedPage.insertCell(page, index, cell);
    }

    void remove(int index) {
        SlottedPage.removeCell(page, index);
    }

    // ---- cells as byte arrays -------------------------------------------------------------

    /** Whether {@code key} with {@code value} inline makes a cell of at most a quarter page. */
    static boolean fitsInline(byte[] key, int valueLength, int pageSize) {
        return (long) PageFormat.LEAF_CELL_HEADER + key.length + valueLength <= PageFormat.maxInlineCell(pageSize);
    }

    /** The cell {@code keyLength | 0 | valueLength | key | value}. */
    static byte[] inlineCell(byte[] key, byte[] value) {
        return ByteBuffer.allocate(PageFormat.LEAF_CELL_HEADER + key.length + value.length)
                .putShort((short) key.length).put((byte) PageFormat.VALUE_INLINE).putInt(value.length)
                .put(key).put(value).array();
    }

    /** The cell {@code keyLength | 1 | valueLength | key | firstPage}. */
    static byte[] overflowCell(byte[] key, int valueLength, int firstPage) {
        return ByteBuffer.allocate(PageFormat.LEAF_CELL_HEADER + key.length + PageFormat.OVERFLOW_POINTER_SIZE)
                .putShort((short) key.length).put((byte) PageFormat.VALUE_OVERFLOW).putInt(valueLength)
                .put(key).putInt(firstPage).array();
    }

    /** The key inside a cell's bytes. */
    static byte[] keyOfCell(byte[] cell) {
        int length = (cell[0] & 0xff) << 8 | cell[1] & 0xff;
        return Arrays.copyOfRange(cell, PageFormat.LEAF_CELL_HEADER, PageFormat.LEAF_CELL_HEADER + length);
    }
}
