package dev.kvbook.btree;

import static dev.kvbook.btree.PageFormat.BRANCH_CELL_HEADER;
import static dev.kvbook.btree.PageFormat.BRANCH_KEY_LENGTH_OFFSET;
import static dev.kvbook.btree.PageFormat.CONTENT_START_OFFSET;
import static dev.kvbook.btree.PageFormat.HEADER_SIZE;
import static dev.kvbook.btree.PageFormat.LEAF_CELL_HEADER;
import static dev.kvbook.btree.PageFormat.LEAF_KEY_LENGTH_OFFSET;
import static dev.kvbook.btree.PageFormat.LEAF_VALUE_KIND_OFFSET;
import static dev.kvbook.btree.PageFormat.LEAF_VALUE_LENGTH_OFFSET;
import static dev.kvbook.btree.PageFormat.OVERFLOW_POINTER_SIZE;
import static dev.kvbook.btree.PageFormat.POINTER_SIZE;
import static dev.kvbook.btree.PageFormat.TYPE_LEAF;
import static dev.kvbook.btree.PageFormat.VALUE_INLINE;
import static dev.kvbook.btree.PageFormat.contentStart;
import static dev.kvbook.btree.PageFormat.count;
import static dev.kvbook.btree.PageFormat.setCount;
import static dev.kvbook.btree.PageFormat.type;
import static dev.kvbook.btree.PageFormat.usableSize;

/**
 * The operations on a slotted page, the layout {@link PageFormat} specifies: find a cell through
 * the pointer array, insert a cell (shifting pointers, never cells), remove one (leaving a hole),
 * and compact the holes away. Leaf and branch pages ({@link LeafPage}, {@link BranchPage}) are
 * built on these; nothing here knows what a key or a child is.
 *
 * <p>Costs are per call and stated on each method: the pointer array is small (two bytes a cell),
 * so shifting it is cheap; rewriting cells ({@link #compact}) costs a page.
 */
final class SlottedPage {

    private SlottedPage() {
    }

    /** The offset of cell {@code index}, from the pointer array. */
    static int cellOffset(Page page, int index) {
        return page.u16(HEADER_SIZE + POINTER_SIZE * index);
    }

    /** The size in bytes of the leaf cell at {@code offset}. */
    static int leafCellSize(Page page, int offset) {
        int kind = page.u8(offset + LEAF_VALUE_KIND_OFFSET);
        int keyLength = page.u16(offset + LEAF_KEY_LENGTH_OFFSET);
        return LEAF_CELL_HEADER + keyLength + (kind == VALUE_INLINE ? page.i32(offset + LEAF_VALUE_LENGTH_OFFSET) : OVERFLOW_POINTER_SIZE);
    }

    /** The size in bytes of the cell at {@code offset}, of whichever type the page is. */
    static int cellSize(Page page, int offset) {
        return type(page) == TYPE_LEAF ? leafCellSize(page, offset)
                : BRANCH_CELL_HEADER + page.u16(offset + BRANCH_KEY_LENGTH_OFFSET);
    }

    /** The bytes of cell {@code index}, copied. */
    static byte[] cell(Page page, int index) {
        int offset = cellOffset(page, index);
        return page.slice(offset, cellSize(page, offset));
    }

    /** Bytes in use: the pointer array plus every cell. O(cells). */
    static int usedBytes(Page page) {
        int used = 0;
        for (int i = 0; i < count(page); i++) {
            used += POINTER_SIZE + cellSize(page, cellOffset(page, i));
        }
        return used;
    }

    /** Bytes free for new cells, counting holes left by removed cells. O(cells). */
    static int freeBytes(Page page) {
        return usableSize(page.size()) - usedBytes(page);
    }

    /**
     * Inserts {@code cell} so that it becomes cell {@code index}: writes it below the content
     * area and shifts the pointers after {@code index} by one. Compacts the page first when the
     * cell fits only with the holes counted. Returns {@code false}, changing nothing, when the
     * page has no room: the caller then splits. O(1) plus the pointer shift when the gap between
     * the pointers and the content fits the cell; otherwise O(cells) to count the holes, and
     * O(pageSize) at worst (a compaction).
     */
    static boolean insertCell(Page page, int index, byte[] cell) {
        // BUILD:BEGIN step4.build-node — Insert a cell into a slotted page at a pointer index, or return false and change nothing when it does not fit
        int count = count(page);
        assert index >= 0 && index <= count : index + " of " + count;
        int pointerEnd = HEADER_SIZE + POINTER_SIZE * count;
        // The gap alone is the common case and needs no count of the holes, which would cost a
        // walk over every cell on every insert; only a gap too small asks whether holes would do.
        if (contentStart(page) - pointerEnd < POINTER_SIZE + cell.length) {
            if (POINTER_SIZE + cell.length > freeBytes(page)) {
                return false;
            }
            compact(page);
        }
        int offset = contentStart(page) - cell.length;
        page.putBytes(offset, cell);
        page.putU16(CONTENT_START_OFFSET, offset);
        int slot = HEADER_SIZE + POINTER_SIZE * index;
        page.move(slot, slot + POINTER_SIZE, pointerEnd - slot);
        page.putU16(slot, offset);
        setCount(page, count + 1);
        // Invariant 1: the pointer array still ends at or before the content area.
        assert HEADER_SIZE + POINTER_SIZE * (count + 1) <= contentStart(page);
        return true;
        // BUILD:END
    }

    /**
     * Removes cell {@code index}: drops its pointer; its bytes become a hole, reclaimed at once
     * when the cell was the lowest in the content area, otherwise at the next compaction. O(cells).
     */
    static void removeCell(Page page, int index) {
        int count = count(page);
        assert index >= 0 && index < count : index + " of " + count;
        int offset = cellOffset(page, index);
        int size = cellSize(page, offset);
        int slot = HEADER_SIZE + POINTER_SIZE * index;
        int pointerEnd = HEADER_SIZE + POINTER_SIZE * count;
        page.move(slot + POINTER_SIZE, slot, pointerEnd - slot - POINTER_SIZE);
        page.putU16(pointerEnd - POINTER_SIZE, 0);
        setCount(page, count - 1);
        if (offset == contentStart(page)) {
            page.putU16(CONTENT_START_OFFSET, offset + size);
        }
    }

    /** Rewrites the cells packed against the end of the page, in pointer order, closing every hole. O(pageSize). */
    static void compact(Page page) {
        int count = count(page);
        byte[][] cells = new byte[count][];
        for (int i = 0; i < count; i++) {
            cells[i] = cell(page, i);
        }
        setCells(page, cells);
    }

    /** Replaces all cells of a leaf or branch page by {@code cells}, in order. The caller checked they fit. O(pageSize). */
    static void setCells(Page page, byte[][] cells) {
        int end = page.size();
        int pointer = HEADER_SIZE;
        for (byte[] cell : cells) {
            end -= cell.length;
            page.putBytes(end, cell);
            page.putU16(pointer, end);
            pointer += POINTER_SIZE;
        }
        assert pointer <= end : "cells do not fit: pointers end at " + pointer + ", cells start at " + end;
        page.putBytes(pointer, new byte[end - pointer]); // zero the gap: no stale bytes on disk
        setCount(page, cells.length);
        page.putU16(CONTENT_START_OFFSET, end);
    }
}
