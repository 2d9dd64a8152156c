package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Limits;

import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The layout of every page after page 0: the spec of step 4's tree pages, with the checks every
 * page read from disk must pass ({@link #verify}). The operations on a slotted page (insert,
 * remove, compact) are {@link SlottedPage}'s, as SQLite keeps its format in {@code btreeInt.h}
 * and its operations in {@code btree.c}.
 *
 * <h2>A slotted page</h2>
 * <pre>
 *  0        17                                  contentStart                      pageSize
 *  +--------+---------+---------+----------------+----------+--------+----------+
 *  | header | ptr 0   | ptr 1   | ...  free gap  | cell 1   | (hole) | cell 0   |
 *  +--------+---------+---------+----------------+----------+--------+----------+
 *            cell-pointer array grows  --&gt;        &lt;--  cell content area grows
 * </pre>
 * The cell-pointer array holds one 2-byte offset per cell, <em>in key order</em>; the cells
 * themselves lie anywhere in the content area, in whatever order they were written. Inserting a
 * cell writes it just below {@code contentStart} and shifts the (small) pointer array, never the
 * cells. Removing a cell removes its pointer and leaves a hole; when a new cell no longer fits in
 * the gap but the page has room in its holes, the page is compacted: cells are rewritten packed
 * at the end (SQLite's "defragmentation").
 *
 * <h2>Page header (17 bytes; {@code HEADER_SIZE = 4 + 4 + 1 + 2 + 2 + 4})</h2>
 * <table>
 *   <caption>page header</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>4</td><td>checksum: CRC32C of bytes [4, pageSize) - the whole page but itself</td></tr>
 *   <tr><td>4</td><td>4</td><td>page number: this page's own number (catches a page written to the wrong place)</td></tr>
 *   <tr><td>8</td><td>1</td><td>page type: {@link #TYPE_LEAF}, {@link #TYPE_BRANCH}, {@link #TYPE_OVERFLOW}, {@link #TYPE_FREE}</td></tr>
 *   <tr><td>9</td><td>2</td><td>count: cells (leaf, branch); value bytes held (overflow); 0 (free)</td></tr>
 *   <tr><td>11</td><td>2</td><td>content start: offset of the lowest cell byte, pageSize when empty (leaf, branch); 0 (overflow, free)</td></tr>
 *   <tr><td>13</td><td>4</td><td>link: right sibling (leaf), rightmost child (branch), next page of the chain (overflow, free); 0 = none</td></tr>
 * </table>
 * All integers are big-endian and unsigned. Type codes are frozen: never change or reuse them.
 *
 * <h2>Cells</h2>
 * <pre>
 * leaf cell   := keyLength u16 | valueKind u8 | valueLength u32 | key | value          (valueKind 0, inline)
 *                keyLength u16 | valueKind u8 | valueLength u32 | key | firstPage u32  (valueKind 1, overflow)
 * branch cell := child u32 | keyLength u16 | key
 * </pre>
 * A leaf cell is {@code 2 + 1 + 4} bytes plus the key plus the value (or a 4-byte page number).
 * A value goes to an overflow chain when its inline cell would be larger than a quarter of the
 * usable page ({@link #maxInlineCell}), so a leaf always holds at least 3 cells. A branch with
 * cells {@code (child_0, key_0) ... (child_n-1, key_n-1)} and link {@code child_n} sends key k
 * to the first {@code child_i} with {@code k < key_i}, else to {@code child_n}.
 *
 * <p><b>Why pages are at least 4 KiB.</b> Keys are not spilled to overflow pages, so the largest
 * branch cell is {@code 4 + 2 + 1024 = 1030} bytes, and a split must always find two halves that
 * fit. That needs every cell (with its pointer) to be at most a third of the usable page:
 * {@code 3 * (1030 + 2) = 3096 <= 4096 - 17}. Smaller pages would need long keys spilled too
 * (SQLite does this) and a key comparison that reads overflow pages.
 *
 * <h2>Overflow and free pages</h2>
 * An overflow page holds {@code count} bytes of a value at offset 17 and links to the next page
 * of its chain. A chain is written back to front, so every page is complete when written. A free
 * page holds nothing; its link is the next free page (see {@link FreeList}).
 *
 * <h2>Worked example: a leaf with "kiwi"="green" inserted, then "apple"="red"</h2>
 * <pre>
 * 0000: 70 42 c8 c8  00 00 00 01  01  00 02  0f e1  00 00 00 00   crc | page 1 | leaf | 2 cells | content at 4065 | no sibling
 * 0011: 0f e1  0f f0                                               pointers in key order: apple @4065, kiwi @4080
 *   ... zeros ...
 * 0fe1: 00 05  00  00 00 00 03  61 70 70 6c 65  72 65 64           "apple" inline "red"   (7 + 5 + 3 = 15 bytes)
 * 0ff0: 00 04  00  00 00 00 05  6b 69 77 69  67 72 65 65 6e        "kiwi" inline "green"  (7 + 4 + 5 = 16 bytes)
 * </pre>
 * {@code src/test/resources/golden/leaf-page.bin} holds exactly this page, and a test pins it.
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>{@code 17 + 2 * count <= contentStart <= pageSize}; every cell lies in [contentStart, pageSize).</li>
 *   <li>Cells do not overlap; the pointers are sorted by key, keys strictly increasing.</li>
 *   <li>Keys are at most 1024 bytes, values at most 16 MiB; inline cells at most {@link #maxInlineCell}.</li>
 *   <li>The checksum covers everything after itself, the page number included.</li>
 * </ol>
 * Every page read from disk is checked against 1, 4 and the length limits of 3 ({@link #verify})
 * before the tree sees it, so a damaged offset or length is reported as corruption and never
 * followed; the {@link TreeChecker} checks the rest (overlaps, key order, inline cell sizes).
 */
public final class PageFormat {

    /** The smallest page size: three maximal branch cells must fit (see above). */
    public static final int MIN_PAGE_SIZE = 4096;
    /** The largest page size: offsets must fit the 2-byte pointer fields. */
    public static final int MAX_PAGE_SIZE = 32768;

    static final int CHECKSUM_OFFSET = 0;
    static final int PAGE_NUMBER_OFFSET = 4;
    static final int TYPE_OFFSET = 8;
    static final int COUNT_OFFSET = 9;
    static final int CONTENT_START_OFFSET = 11;
    static final int LINK_OFFSET = 13;
    /** Bytes of the page header: checksum, page number, type, count, content start, link. */
    public static final int HEADER_SIZE = 4 + 4 + 1 + 2 + 2 + 4;
    /** Bytes of one entry of the cell-pointer array. */
    static final int POINTER_SIZE = 2;

    /** A leaf: keys with their values. Frozen code: never change or reuse. */
    public static final int TYPE_LEAF = 1;
    /** A branch: separator keys and child pages. Frozen code. */
    public static final int TYPE_BRANCH = 2;
    /** A piece of a large value. Frozen code. */
    public static final int TYPE_OVERFLOW = 3;
    /** A page on the free list. Frozen code. */
    public static final int TYPE_FREE = 4;

    /** Leaf cell header: key length, value kind, value length. */
    static final int LEAF_CELL_HEADER = 2 + 1 + 4;
    /** Branch cell header: child page, key length. */
    static final int BRANCH_CELL_HEADER = 4 + 2;

    // Leaf cell fields, from the cell's first byte (see "Cells" above).
    static final int LEAF_KEY_LENGTH_OFFSET = 0;
    static final int LEAF_VALUE_KIND_OFFSET = 2;
    static final int LEAF_VALUE_LENGTH_OFFSET = 3;
    // Branch cell fields, from the cell's first byte.
    static final int BRANCH_CHILD_OFFSET = 0;
    static final int BRANCH_KEY_LENGTH_OFFSET = 4;
    /** Bytes of an overflow page number stored in a leaf cell instead of the value. */
    static final int OVERFLOW_POINTER_SIZE = 4;
    /** Value kind: the value follows the key in the cell. Frozen code. */
    static final int VALUE_INLINE = 0;
    /** Value kind: the cell holds the first page of an overflow chain. Frozen code. */
    static final int VALUE_OVERFLOW = 1;

    private PageFormat() {
    }

    /** Bytes available for pointers and cells: the page minus its header. */
    public static int usableSize(int pageSize) {
        return pageSize - HEADER_SIZE;
    }

    /** The largest leaf cell kept inline: a quarter of the usable page. */
    static int maxInlineCell(int pageSize) {
        return usableSize(pageSize) / 4;
    }

    /** Whether {@code pageSize} is a supported page size: a power of two from 4 KiB to 32 KiB. */
    public static boolean isValidPageSize(int pageSize) {
        return pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE && Integer.bitCount(pageSize) == 1;
    }

    // ---- header fields --------------------------------------------------------------------

    static int type(Page page) {
        return page.u8(TYPE_OFFSET);
    }

    static int count(Page page) {
        return page.u16(COUNT_OFFSET);
    }

    static int contentStart(Page page) {
        return page.u16(CONTENT_START_OFFSET);
    }

    static int link(Page page) {
        return page.i32(LINK_OFFSET);
    }

    static void setCount(Page page, int count) {
        page.putU16(COUNT_OFFSET, count);
    }

    static void setLink(Page page, int link) {
        page.putI32(LINK_OFFSET, link);
    }

    /** Turns {@code page} into an empty page of {@code type}: zeros, its number, type, no cells. O(pageSize). */
    static void initialize(Page page, int type) {
        page.clear();
        page.putI32(PAGE_NUMBER_OFFSET, page.number());
        page.putU8(TYPE_OFFSET, type);
        boolean slotted = type == TYPE_LEAF || type == TYPE_BRANCH;
        page.putU16(CONTENT_START_OFFSET, slotted ? page.size() : 0);
    }

    /** A readable name for a type code, for messages and inspection. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_LEAF -> "leaf";
            case TYPE_BRANCH -> "branch";
            case TYPE_OVERFLOW -> "overflow";
            case TYPE_FREE -> "free";
            default -> "unknown type " + type;
        };
    }

    // ---- checksum -------------------------------------------------------------------------

    /** Computes the page's CRC32C over bytes [4, pageSize). O(pageSize). */
    public static int checksum(byte[] page) {
        CRC32C crc = new CRC32C();
        crc.update(page, CHECKSUM_OFFSET + 4, page.length - 4);
        return (int) crc.getValue();
    }

    /** Stores the checksum in the page's first 4 bytes, just before it goes to disk. O(pageSize). */
    public static void seal(byte[] page) {
        int crc = checksum(page);
        page[0] = (byte) (crc >>> 24);
        page[1] = (byte) (crc >>> 16);
        page[2] = (byte) (crc >>> 8);
        page[3] = (byte) crc;
    }

    /**
     * Checks a page just read from disk: checksum, page number, a known type, and that every
     * offset and length in it stays inside the page and within the limits (invariants 1, 3, 4).
     * Throws {@link CorruptionException} naming the file, the page's offset, expected and actual.
     * O(pageSize).
     */
    public static void verify(Page page, Path file, long offset) {
        int stored = page.i32(CHECKSUM_OFFSET);
        int computed = checksum(page.bytes());
        if (stored != computed) {
            throw new CorruptionException(file, offset, "page " + page.number() + " checksum (torn write or damaged disk?)",
                    hex(computed), hex(stored));
        }
        if (page.i32(PAGE_NUMBER_OFFSET) != page.number()) {
            throw new CorruptionException(file, offset, "page number stored in the page", page.number(), page.i32(PAGE_NUMBER_OFFSET));
        }
        switch (type(page)) {
            case TYPE_LEAF, TYPE_BRANCH -> verifyCells(page, file, offset);
            case TYPE_OVERFLOW -> expect(count(page) <= usableSize(page.size()), file, offset, page,
                    "overflow bytes at most " + usableSize(page.size()), count(page));
            case TYPE_FREE -> expect(count(page) == 0, file, offset, page, "count 0 on a free page", count(page));
            default -> throw new CorruptionException(file, offset, "page " + page.number() + " type",
                    "1 (leaf), 2 (branch), 3 (overflow) or 4 (free)", type(page));
        }
    }

    private static void verifyCells(Page page, Path file, long offset) {
        int count = count(page);
        int start = contentStart(page);
        expect(HEADER_SIZE + POINTER_SIZE * count <= start && start <= page.size(), file, offset, page,
                "content start between " + (HEADER_SIZE + POINTER_SIZE * count) + " and " + page.size(), start);
        for (int i = 0; i < count; i++) {
            int cell = SlottedPage.cellOffset(page, i);
            int headerSize = type(page) == TYPE_LEAF ? LEAF_CELL_HEADER : BRANCH_CELL_HEADER;
            expect(cell >= start && cell + headerSize <= page.size(), file, offset, page,
                    "cell " + i + " offset in [" + start + ", " + (page.size() - headerSize) + "]", cell);
            String problem = type(page) == TYPE_LEAF ? leafCellProblem(page, cell) : branchCellProblem(page, cell);
            if (problem != null) {
                throw new CorruptionException(file, offset + cell, "page " + page.number() + " cell " + i + ": " + problem, null);
            }
        }
    }

    private static String leafCellProblem(Page page, int cell) {
        int keyLength = page.u16(cell + LEAF_KEY_LENGTH_OFFSET);
        int kind = page.u8(cell + LEAF_VALUE_KIND_OFFSET);
        int valueLength = page.i32(cell + LEAF_VALUE_LENGTH_OFFSET);
        if (keyLength > Limits.MAX_KEY_SIZE) {
            return "key length " + keyLength + " over the limit " + Limits.MAX_KEY_SIZE;
        }
        if (valueLength < 0 || valueLength > Limits.MAX_VALUE_SIZE) {
            return "value length " + valueLength + " outside [0, " + Limits.MAX_VALUE_SIZE + "]";
        }
        if (kind != VALUE_INLINE && kind != VALUE_OVERFLOW) {
            return "value kind expected 0 (inline) or 1 (overflow) but found " + kind;
        }
        long end = (long) cell + SlottedPage.leafCellSize(page, cell);
        return end > page.size() ? "cell ends at " + end + ", past the page end " + page.size() : null;
    }

    private static String branchCellProblem(Page page, int cell) {
        int keyLength = page.u16(cell + BRANCH_KEY_LENGTH_OFFSET);
        if (keyLength > Limits.MAX_KEY_SIZE) {
            return "key length " + keyLength + " over the limit " + Limits.MAX_KEY_SIZE;
        }
        long end = (long) cell + BRANCH_CELL_HEADER + keyLength;
        return end > page.size() ? "cell ends at " + end + ", past the page end " + page.size() : null;
    }

    private static void expect(boolean ok, Path file, long offset, Page page, String expected, Object actual) {
        if (!ok) {
            throw new CorruptionException(file, offset, "page " + page.number() + " (" + typeName(type(page)) + ") header",
                    expected, actual);
        }
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
