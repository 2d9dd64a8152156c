package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;

/**
 * Values too large for a leaf cell, kept in a chain of overflow pages.
 *
 * <p>A value of {@code n} bytes takes {@code ceil(n / (pageSize - 17))} pages, each holding its
 * share after the page header and linking to the next; the leaf cell keeps the value's length
 * and the first page. A 16 MiB value on 4 KiB pages is a chain of 4,114 pages (4,079 bytes each).
 *
 * <p>The chain is written back to front, so that each page is complete (content and link) when
 * it is written and can leave the buffer pool at once: a 16 MiB value never needs 16 MiB of cache.
 * Reading checks every page's type and byte count against the length the cell promised, and
 * stops at the number of pages that length needs, so a damaged or cyclic chain is reported, not
 * followed forever.
 */
final class OverflowChain {

    private final Pager pager;
    private final FreeList freeList;

    OverflowChain(Pager pager, FreeList freeList) {
        this.pager = pager;
        this.freeList = freeList;
    }

    private int payloadPerPage() {
        return PageFormat.usableSize(pager.pageSize());
    }

    private int pagesFor(int length) {
        return (length + payloadPerPage() - 1) / payloadPerPage();
    }

    /** Writes {@code value} to a new chain and returns its first page. O(value / pageSize) page writes. */
    int write(byte[] value) {
        int pages = pagesFor(value.length);
        int next = 0;
        for (int i = pages - 1; i >= 0; i--) {
            int from = i * payloadPerPage();
            int to = Math.min(value.length, from + payloadPerPage());
            Page page = freeList.allocate();
            PageFormat.initialize(page, PageFormat.TYPE_OVERFLOW);
            PageFormat.setCount(page, to - from);
            PageFormat.setLink(page, next);
            page.putBytes(PageFormat.HEADER_SIZE, java.util.Arrays.copyOfRange(value, from, to));
            next = page.number();
            pager.release(next);
        }
        TreeMeta meta = pager.meta();
        pager.setMeta(meta.withOverflowPages(meta.overflowPages() + pages));
        return next;
    }

    /** Reads the {@code length}-byte value whose chain starts at {@code first}. O(length / pageSize) page reads. */
    byte[] read(int first, int length) {
        byte[] value = new byte[length];
        int number = first;
        int position = 0;
        for (int i = 0; i < pagesFor(length); i++) {
            Page page = chainPage(number, first, i);
            int expected = Math.min(payloadPerPage(), length - position);
            if (PageFormat.count(page) != expected) {
                throw corrupt(number, "bytes in overflow page " + (i + 1) + " of the chain at page " + first,
                        expected, PageFormat.count(page));
            }
            System.arraycopy(page.bytes(), PageFormat.HEADER_SIZE, value, position, expected);
            position += expected;
            number = PageFormat.link(page);
        }
        if (number != 0) {
            throw corrupt(number, "end of the chain at page " + first + " after " + pagesFor(length) + " pages",
                    "link 0", "link " + number);
        }
        return value;
    }

    /** Puts every page of the chain on the free list. O(length / pageSize) page reads and writes. */
    void free(int first, int length) {
        int number = first;
        int pages = pagesFor(length);
        for (int i = 0; i < pages; i++) {
            Page page = chainPage(number, first, i);
            int next = PageFormat.link(page);
            freeList.free(number);
            number = next;
        }
        TreeMeta meta = pager.meta();
        pager.setMeta(meta.withOverflowPages(meta.overflowPages() - pages));
    }

    private Page chainPage(int number, int first, int index) {
        if (number == 0) {
            throw corrupt(first, "length of the overflow chain at page " + first, "at least " + (index + 1) + " pages",
                    "only " + index);
        }
        Page page = pager.read(number);
        if (PageFormat.type(page) != PageFormat.TYPE_OVERFLOW) {
            throw corrupt(number, "page " + number + " in the overflow chain at page " + first, "an overflow page",
                    PageFormat.typeName(PageFormat.type(page)));
        }
        return page;
    }

    private CorruptionException corrupt(int page, String what, Object expected, Object actual) {
        return new CorruptionException(pager.file(), (long) page * pager.pageSize(), what, expected, actual);
    }
}
