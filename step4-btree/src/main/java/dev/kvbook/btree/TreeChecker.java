package dev.kvbook.btree;

import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a whole store file and reports every problem it finds, in the manner of bbolt's
 * {@code tx.Check} and SQLite's {@code PRAGMA integrity_check}. Tests run it after every
 * scenario; {@code kv verify} runs it through {@link BTreeStoreProvider#verify}.
 *
 * <p>What it checks:
 * <ol>
 *   <li>the header: both slots, the newest one CLEAN, bytes outside the slots zero, the file
 *       exactly {@code pageCount * pageSize} bytes;</li>
 *   <li>every tree page, from the root down: checksum, page number, type for its level, cell
 *       bounds, cells not overlapping, keys strictly increasing, every key inside the range its
 *       parent's separators allow, leaves (other than the root) at least a quarter full and
 *       branches holding at least one separator, inline cells at most a quarter page;</li>
 *   <li>the leaf links: the leaves, left to right, each linking to the next;</li>
 *   <li>every overflow chain: page types, byte counts, length;</li>
 *   <li>the free list: page types, length, no cycle;</li>
 *   <li>that every page is in exactly one of tree, overflow chains and free list;</li>
 *   <li>that the header's height, key count, free and overflow page counts are right.</li>
 * </ol>
 * It reads the file itself ({@link PageFile}), never through the store, and never throws for a
 * damaged file. O(file size) reads; memory O(pages) for the page ownership map.
 */
public final class TreeChecker {

    private static final int MAX_PROBLEMS = 100;
    private static final byte NONE = 0;
    private static final byte TREE = 1;
    private static final byte OVERFLOW = 2;
    private static final byte FREE = 3;

    /**
     * Where the checker gets its pages: straight from a step-4 file, or (step 5) from a data file
     * seen through its write-ahead log. Returns page {@code number} checked with
     * {@link PageFormat#verify}, or null after adding what was wrong to the problem list the
     * caller passed to {@link #checkTree}. Never throws for damage.
     */
    @FunctionalInterface
    public interface PageReader {
        Page read(int number);
    }

    private final PageReader pages;
    private final int pageSize;
    private final List<String> checked = new ArrayList<>();
    private final List<String> problems;
    private byte[] owner;
    private final List<int[]> leaves = new ArrayList<>(); // {page, link}
    private long keys;
    private int overflowPages;
    private int chains;

    private TreeChecker(PageReader pages, int pageSize, List<String> problems) {
        this.pages = pages;
        this.pageSize = pageSize;
        this.problems = problems;
    }

    /** Checks the store file {@code path} on {@code vfs} and reports what it checked and every problem. */
    public static VerifyReport check(Vfs vfs, Path path) {
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        checked.add("header slots: magic, version, CRC32C; the newer valid slot is used");
        try (PageFile file = PageFile.open(vfs, path, problems)) {
            if (file != null && file.header != null) {
                checkHeader(file, checked);
                checked.addAll(checkTree(file.header.meta(), file.pageCount(), file.pageSize(), file::read, file.problems));
                problems.addAll(file.problems);
            }
        }
        if (problems.size() > MAX_PROBLEMS) {
            int more = problems.size() - MAX_PROBLEMS;
            problems.subList(MAX_PROBLEMS, problems.size()).clear();
            problems.add("... and " + more + " more problems");
        }
        return new VerifyReport(BTreeStoreProvider.NAME, path, checked, problems);
    }

    /**
     * Checks the tree, overflow chains and free list that {@code meta} describes, over pages
     * 1 to {@code pageCount - 1} read through {@code pages}: items 2 to 7 of the list above, for a
     * caller that has its own header (step 5 checks its data file as seen through the log).
     * Adds every problem to {@code problems} and returns what it checked, one line each.
     */
    public static List<String> checkTree(TreeMeta meta, int pageCount, int pageSize, PageReader pages,
                                         List<String> problems) {
        TreeChecker checker = new TreeChecker(pages, pageSize, problems);
        checker.checkAll(meta, pageCount);
        return checker.checked;
    }

    private void checkAll(TreeMeta meta, int pageCount) {
        owner = new byte[pageCount];
        if (meta.rootPage() != 0) {
            checkSubtree(meta.rootPage(), meta.height(), null, null, true);
            checkLeafLinks();
        }
        checked.add("tree of height " + meta.height() + ": page checksums and types, cell bounds and overlaps,"
                + " key order, separator ranges, fill");
        checked.add(chains + " overflow chains of " + overflowPages + " pages");
        checkFreeList(meta);
        checkEveryPageOwned();
        expectCount("key count", meta.keyCount(), keys);
        expectCount("overflow page count", meta.overflowPages(), overflowPages);
        checked.add("header counts: " + Plural.of(meta.keyCount(), "key") + ", " + Plural.of(meta.overflowPages(), "overflow page") + ", "
                + meta.freePages() + " free pages");
    }

    private static void checkHeader(PageFile file, List<String> checked) {
        List<String> problems = file.problems;
        HeaderFormat.Header header = file.header;
        for (HeaderFormat.Slot slot : file.slots) {
            checked.add("header slot " + slot.index() + ": " + (slot.header() == null ? "not valid (" + slot.problem()
                    + "); harmless while the other slot is newer and valid"
                    : "sequence " + slot.header().sequence() + ", " + (slot.header().isClean() ? "clean" : "dirty")));
        }
        if (!header.isClean()) {
            problems.add("the file was not closed cleanly (the newest header, sequence " + header.sequence()
                    + ", says DIRTY): pages may be half-updated; step 4 cannot repair this");
        }
        byte[] page0 = file.headerPage();
        for (int i = 0; i < page0.length; i++) {
            boolean inSlot = i % HeaderFormat.SLOT_STRIDE < HeaderFormat.SLOT_SIZE && i < HeaderFormat.HEADER_AREA;
            if (!inSlot && page0[i] != 0) {
                problems.add("page 0: byte " + i + " outside the header slots is 0x"
                        + Integer.toHexString(page0[i] & 0xff) + ", expected 0");
                break;
            }
        }
        long expected = (long) header.pageCount() * header.pageSize();
        if (file.size != expected) {
            problems.add("file length: expected " + expected + " bytes (" + header.pageCount() + " pages of "
                    + header.pageSize() + ") but found " + file.size);
        }
        checked.add("file length " + file.size + " against " + header.pageCount() + " pages of " + header.pageSize() + " bytes");
    }

    /** Visits the subtree at {@code number}, whose keys must lie in [low, high) (null = unbounded). */
    private void checkSubtree(int number, int level, byte[] low, byte[] high, boolean isRoot) {
        if (!claim(number, TREE, "the tree")) {
            return;
        }
        Page page = pages.read(number);
        if (page == null) {
            return;
        }
        int expectedType = level == 1 ? PageFormat.TYPE_LEAF : PageFormat.TYPE_BRANCH;
        if (PageFormat.type(page) != expectedType) {
            problems.add("page " + number + " at level " + level + ": expected a " + PageFormat.typeName(expectedType)
                    + " but found a " + PageFormat.typeName(PageFormat.type(page)));
            return;
        }
        checkCellsDoNotOverlap(page);
        List<byte[]> pageKeys = keysOf(page);
        checkKeyOrder(page, pageKeys, low, high);
        if (level == 1) {
            checkLeaf(page, isRoot);
            return;
        }
        BranchPage branch = new BranchPage(page);
        if (!isRoot && branch.keyCount() == 0) {
            problems.add("branch page " + number + " has no separator (a non-root branch needs two children)");
        }
        for (int i = 0; i <= branch.keyCount(); i++) {
            byte[] childLow = i == 0 ? low : pageKeys.get(i - 1);
            byte[] childHigh = i == branch.keyCount() ? high : pageKeys.get(i);
            checkSubtree(branch.child(i), level - 1, childLow, childHigh, false);
        }
    }

    private void checkLeaf(Page page, boolean isRoot) {
        LeafPage leaf = new LeafPage(page);
        leaves.add(new int[] {page.number(), leaf.rightSibling()});
        int minimum = PageFormat.usableSize(page.size()) / 4;
        if (!isRoot && SlottedPage.usedBytes(page) < minimum) {
            problems.add("leaf page " + page.number() + " is under-full: " + SlottedPage.usedBytes(page)
                    + " bytes used, expected at least " + minimum);
        }
        for (int i = 0; i < leaf.count(); i++) {
            keys++;
            if (leaf.isOverflow(i)) {
                checkChain(leaf.overflowPage(i), leaf.valueLength(i), page.number());
            } else if (leaf.cell(i).length > PageFormat.maxInlineCell(page.size())) {
                problems.add("leaf page " + page.number() + " cell " + i + ": inline cell of " + leaf.cell(i).length
                        + " bytes, expected at most " + PageFormat.maxInlineCell(page.size()));
            }
        }
    }

    private void checkChain(int first, int length, int leaf) {
        chains++;
        int payload = PageFormat.usableSize(pageSize);
        int chainPages = (length + payload - 1) / payload;
        int number = first;
        int remaining = length;
        for (int i = 0; i < chainPages; i++) {
            if (number == 0 || !claim(number, OVERFLOW, "the overflow chain of a value in leaf " + leaf)) {
                problems.add("overflow chain at page " + first + " (leaf " + leaf + "): broken after " + i + " of " + chainPages + " pages");
                return;
            }
            overflowPages++;
            Page page = pages.read(number);
            if (page == null) {
                return;
            }
            int expected = Math.min(payload, remaining);
            if (PageFormat.type(page) != PageFormat.TYPE_OVERFLOW || PageFormat.count(page) != expected) {
                problems.add("overflow page " + number + " (chain at " + first + "): expected an overflow page holding "
                        + expected + " bytes but found a " + PageFormat.typeName(PageFormat.type(page)) + " with count "
                        + PageFormat.count(page));
                return;
            }
            remaining -= expected;
            number = PageFormat.link(page);
        }
        if (number != 0) {
            problems.add("overflow chain at page " + first + ": expected to end after " + chainPages + " pages but links on to " + number);
        }
    }

    private void checkLeafLinks() {
        for (int i = 0; i < leaves.size(); i++) {
            int expected = i + 1 < leaves.size() ? leaves.get(i + 1)[0] : 0;
            if (leaves.get(i)[1] != expected) {
                problems.add("leaf page " + leaves.get(i)[0] + " links to " + leaves.get(i)[1]
                        + " but the next leaf in key order is " + expected);
            }
        }
        checked.add(Plural.of(leaves.size(), "leaf", "leaves") + " linked left to right");
    }

    private void checkFreeList(TreeMeta meta) {
        int number = meta.freeListHead();
        int counted = 0;
        while (number != 0 && counted <= meta.freePages()) {
            if (!claim(number, FREE, "the free list")) {
                break;
            }
            counted++;
            Page page = pages.read(number);
            if (page == null) {
                break;
            }
            if (PageFormat.type(page) != PageFormat.TYPE_FREE) {
                problems.add("page " + number + " on the free list is a " + PageFormat.typeName(PageFormat.type(page)));
                break;
            }
            number = PageFormat.link(page);
        }
        expectCount("free page count", meta.freePages(), counted);
        checked.add("free list of " + counted + " pages");
    }

    private void checkEveryPageOwned() {
        int leaked = 0;
        int firstLeaked = 0;
        for (int number = 1; number < owner.length; number++) {
            if (owner[number] == NONE) {
                if (leaked++ == 0) {
                    firstLeaked = number;
                }
            }
        }
        if (leaked > 0) {
            problems.add(Plural.of(leaked, "page") + ", the first " + firstLeaked + ", are in neither the tree, an overflow chain,"
                    + " nor the free list (leaked)");
        }
        checked.add((owner.length - 1 == 1 ? "the 1 page is" : "every one of " + (owner.length - 1) + " pages is")
                + " in exactly one of tree, overflow chains, free list");
    }

    /** Marks {@code number} as owned; false (with a problem) when out of range or already owned. */
    private boolean claim(int number, byte what, String by) {
        if (number < 1 || number >= owner.length) {
            problems.add("page " + number + ", reached from " + by + ", is outside 1.." + (owner.length - 1));
            return false;
        }
        if (owner[number] != NONE) {
            problems.add("page " + number + " is reached twice: from " + by + " and already from "
                    + new String[] {"", "the tree", "an overflow chain", "the free list"}[owner[number]]);
            return false;
        }
        owner[number] = what;
        return true;
    }

    private static List<byte[]> keysOf(Page page) {
        List<byte[]> keys = new ArrayList<>();
        boolean leaf = PageFormat.type(page) == PageFormat.TYPE_LEAF;
        for (int i = 0; i < PageFormat.count(page); i++) {
            keys.add(leaf ? new LeafPage(page).key(i) : new BranchPage(page).key(i));
        }
        return keys;
    }

    private void checkKeyOrder(Page page, List<byte[]> keys, byte[] low, byte[] high) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (i > 0 && Keys.COMPARATOR.compare(keys.get(i - 1), key) >= 0) {
                problems.add("page " + page.number() + ": key " + i + " " + Keys.toDisplay(key)
                        + " does not come after " + Keys.toDisplay(keys.get(i - 1)));
            }
            if (low != null && Keys.COMPARATOR.compare(key, low) < 0 || high != null && Keys.COMPARATOR.compare(key, high) >= 0) {
                problems.add("page " + page.number() + ": key " + Keys.toDisplay(key) + " lies outside the range ["
                        + (low == null ? "start" : Keys.toDisplay(low)) + ", " + (high == null ? "end" : Keys.toDisplay(high))
                        + ") its parent's separators allow");
            }
        }
    }

    private void checkCellsDoNotOverlap(Page page) {
        int count = PageFormat.count(page);
        int[][] spans = new int[count][];
        for (int i = 0; i < count; i++) {
            int offset = SlottedPage.cellOffset(page, i);
            spans[i] = new int[] {offset, offset + SlottedPage.cellSize(page, offset)};
        }
        Arrays.sort(spans, (a, b) -> Integer.compare(a[0], b[0]));
        for (int i = 1; i < count; i++) {
            if (spans[i][0] < spans[i - 1][1]) {
                problems.add("page " + page.number() + ": the cells at " + spans[i - 1][0] + " and " + spans[i][0] + " overlap");
            }
        }
    }

    private void expectCount(String what, long expected, long actual) {
        if (expected != actual) {
            problems.add("header " + what + ": the header says " + expected + " but the file holds " + actual);
        }
    }
}
