package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;

import java.util.ArrayList;
import java.util.List;

/**
 * The B+tree itself: search, insert and delete over pages that a {@link Pager} provides.
 *
 * <p>Keys and values live only in leaves; branches hold separator keys that steer a search to
 * the one leaf that may hold a key, so every lookup reads exactly {@code height} pages (plus a
 * value's overflow pages). Leaves are linked left to right, so a range scan is a descent to its
 * first key and then a walk along the leaves.
 *
 * <p>This class has no state of its own beyond the pager: the root, height and counts are read
 * from {@link Pager#meta()} at the start of every call. So it can be created at will over any
 * pager: step 4's {@link FilePager}, or a step-5 pager that sees a snapshot. It is not
 * thread-safe; the store serializes writers and lets readers share (see {@link BTreeStore}).
 */
public final class BTree {

    private final Pager pager;
    private final FreeList freeList;
    private final OverflowChain overflow;
    private final Rebalancer rebalancer;

    /** A tree over the pages of {@code pager}. Reads nothing yet. */
    public BTree(Pager pager) {
        this.pager = pager;
        this.freeList = new FreeList(pager);
        this.overflow = new OverflowChain(pager, freeList);
        this.rebalancer = new Rebalancer(pager, freeList);
    }

    /** Returns a copy of the value under {@code key}, or null. O(height) page reads, plus the overflow chain. */
    public byte[] get(byte[] key) {
        if (pager.meta().rootPage() == 0) {
            return null;
        }
        List<Rebalancer.Step> path = descend(key);
        LeafPage leaf = new LeafPage(pager.read(path.get(path.size() - 1).page()));
        int index = leaf.search(key);
        return index < 0 ? null : value(leaf, index);
    }

    /**
     * Stores {@code value} under {@code key}, replacing any old value (whose overflow pages are
     * freed). Returns whether the key is new. O(height) page reads and writes, plus a split or a
     * redistribution per level at worst, plus the overflow chain.
     */
    public boolean put(byte[] key, byte[] value) {
        if (pager.meta().rootPage() == 0) {
            Page root = freeList.allocate();
            LeafPage.initialize(root);
            pager.setMeta(pager.meta().withRoot(root.number(), 1));
        }
        List<Rebalancer.Step> path = descend(key);
        int leafNumber = path.get(path.size() - 1).page();
        LeafPage leaf = new LeafPage(pager.write(leafNumber));
        int index = leaf.search(key);
        boolean isNew = index < 0;
        if (isNew) {
            index = -index - 1;
        } else {
            freeValue(leaf, index);
            leaf.remove(index);
        }
        byte[] cell = cellFor(key, value);
        if (leaf.insert(index, cell)) {
            rebalancer.settle(path, null);
        } else {
            Node full = Node.of(leaf.page());
            full.items.add(index, cell);
            rebalancer.settle(path, full);
        }
        if (isNew) {
            TreeMeta meta = pager.meta();
            pager.setMeta(meta.withKeyCount(meta.keyCount() + 1));
        }
        return isNew;
    }

    /** Removes {@code key}; returns whether it was there. O(height) page reads and writes, plus a merge per level at worst. */
    public boolean delete(byte[] key) {
        if (pager.meta().rootPage() == 0) {
            return false;
        }
        List<Rebalancer.Step> path = descend(key);
        int leafNumber = path.get(path.size() - 1).page();
        int index = new LeafPage(pager.read(leafNumber)).search(key);
        if (index < 0) {
            return false;
        }
        LeafPage leaf = new LeafPage(pager.write(leafNumber));
        freeValue(leaf, index);
        leaf.remove(index);
        rebalancer.settle(path, null);
        TreeMeta meta = pager.meta();
        pager.setMeta(meta.withKeyCount(meta.keyCount() - 1));
        return true;
    }

    /** Live keys, from the metadata. O(1). */
    public long size() {
        return pager.meta().keyCount();
    }

    /** Entries read by one {@link #readBatch} call, and whether the range is exhausted. */
    public record Batch(List<Entry> entries, boolean finished) {
    }

    /**
     * Reads up to {@code maxEntries} entries (and about {@code maxBytes} of values, at least one
     * entry) in key order, starting at {@code start} (inclusive or not; null = the first key) and
     * stopping before {@code toExclusive} (null = no end). One descent, then along the leaf links.
     * Checks that keys strictly increase, so a damaged sibling link cannot loop forever.
     * O(height + entries read) page reads, plus overflow chains.
     */
    public Batch readBatch(byte[] start, boolean inclusive, byte[] toExclusive, int maxEntries, long maxBytes) {
        List<Entry> entries = new ArrayList<>();
        if (pager.meta().rootPage() == 0) {
            return new Batch(entries, true);
        }
        byte[] from = start == null ? new byte[0] : start;
        List<Rebalancer.Step> path = descend(from);
        LeafPage leaf = new LeafPage(pager.read(path.get(path.size() - 1).page()));
        int index = leaf.search(from);
        index = index >= 0 ? (inclusive || start == null ? index : index + 1) : -index - 1;
        byte[] previous = start == null || inclusive ? null : start;
        long bytes = 0;
        for (int hops = 0; hops <= pager.pageCount(); hops++) {
            for (; index < leaf.count(); index++) {
                byte[] key = leaf.key(index);
                if (toExclusive != null && Keys.COMPARATOR.compare(key, toExclusive) >= 0) {
                    return new Batch(entries, true);
                }
                checkIncreasing(previous, key, leaf.page());
                previous = key;
                byte[] value = value(leaf, index);
                entries.add(new Entry(key, value));
                bytes += value.length + key.length;
                if (entries.size() >= maxEntries || bytes >= maxBytes) {
                    return new Batch(entries, index + 1 == leaf.count() && leaf.rightSibling() == 0);
                }
            }
            if (leaf.rightSibling() == 0) {
                return new Batch(entries, true);
            }
            leaf = new LeafPage(expectType(pager.read(leaf.rightSibling()), PageFormat.TYPE_LEAF, "right sibling"));
            index = 0;
        }
        throw corrupt(leaf.page(), "leaf chain length", "at most " + pager.pageCount() + " leaves", "more (a cycle)");
    }

    // ---- inside ---------------------------------------------------------------------------

    /**
     * The path from the root to the leaf that may hold {@code key}: one {@link Rebalancer.Step}
     * per level. Checks each page's type against its level, so a pointer into the wrong kind of
     * page, or a cycle, is reported instead of followed: the path is exactly {@code height} long.
     * O(height) page reads. (Package-private for its tests, which walk hand-built trees.)
     */
    List<Rebalancer.Step> descend(byte[] key) {
        // LAB:BEGIN step4.descend — Descend from the root to the leaf that may hold a key, checking each page's type on the way
        TreeMeta meta = pager.meta();
        List<Rebalancer.Step> path = new ArrayList<>(meta.height());
        int number = meta.rootPage();
        for (int level = meta.height(); level > 1; level--) {
            BranchPage branch = new BranchPage(expectType(pager.read(number), PageFormat.TYPE_BRANCH, level));
            int child = branch.childIndexFor(key);
            path.add(new Rebalancer.Step(number, child));
            number = branch.child(child);
        }
        expectType(pager.read(number), PageFormat.TYPE_LEAF, 1);
        path.add(new Rebalancer.Step(number, -1));
        // Invariant: every leaf is exactly `height` levels down (the tree is balanced).
        assert path.size() == meta.height();
        return path;
        // LAB:END
    }

    private byte[] value(LeafPage leaf, int index) {
        return leaf.isOverflow(index)
                ? overflow.read(leaf.overflowPage(index), leaf.valueLength(index))
                : leaf.inlineValue(index);
    }

    private void freeValue(LeafPage leaf, int index) {
        if (leaf.isOverflow(index)) {
            overflow.free(leaf.overflowPage(index), leaf.valueLength(index));
        }
    }

    /** The leaf cell for an entry: inline when it fits in a quarter page, else pointing to a new overflow chain. */
    private byte[] cellFor(byte[] key, byte[] value) {
        if (LeafPage.fitsInline(key, value.length, pager.pageSize())) {
            return LeafPage.inlineCell(key, value);
        }
        return LeafPage.overflowCell(key, value.length, overflow.write(value));
    }

    /** Checks the type of the page at tree {@code level}; runs per level of every get, so the message is built only on failure. */
    private Page expectType(Page page, int type, int level) {
        return PageFormat.type(page) == type ? page : expectType(page, type, "level " + level);
    }

    private Page expectType(Page page, int type, String where) {
        if (PageFormat.type(page) != type) {
            throw corrupt(page, "type of page " + page.number() + " at tree " + where,
                    PageFormat.typeName(type), PageFormat.typeName(PageFormat.type(page)));
        }
        return page;
    }

    private void checkIncreasing(byte[] previous, byte[] key, Page page) {
        if (previous != null && Keys.COMPARATOR.compare(previous, key) >= 0) {
            throw corrupt(page, "key order in leaf " + page.number(), "a key after " + Keys.toDisplay(previous),
                    Keys.toDisplay(key));
        }
    }

    private CorruptionException corrupt(Page page, String what, Object expected, Object actual) {
        return new CorruptionException(pager.file(), (long) page.number() * pager.pageSize(), what, expected, actual);
    }
}
