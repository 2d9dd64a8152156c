package dev.kvbook.btree;

import java.util.ArrayList;
import java.util.List;

/**
 * The contents of one tree page taken out into memory while the tree rebalances: a leaf's cells
 * and right link, or a branch's separators and children. Unlike a page, a node may hold more
 * than fits in a page: that is exactly the overflowing node a split cuts in two.
 */
final class Node {

    final boolean leaf;
    /** Leaf: the cells' bytes, in key order. Branch: the separator keys. */
    final List<byte[]> items;
    /** Branch only: the children, one more than the separators. Empty for a leaf. */
    final List<Integer> children;
    /** Leaf only: the right sibling. */
    int link;

    private Node(boolean leaf, List<byte[]> items, List<Integer> children, int link) {
        this.leaf = leaf;
        this.items = items;
        this.children = children;
        this.link = link;
    }

    static Node leaf(List<byte[]> cells, int link) {
        return new Node(true, new ArrayList<>(cells), new ArrayList<>(), link);
    }

    static Node branch(List<byte[]> keys, List<Integer> children) {
        assert children.size() == keys.size() + 1;
        return new Node(false, new ArrayList<>(keys), new ArrayList<>(children), 0);
    }

    /** Takes a leaf or branch page's contents out into memory. O(pageSize). */
    static Node of(Page page) {
        // BUILD:BEGIN step4.build-node — Take a leaf or branch page out into a node, reading the cells as your writeTo lays them out
        if (PageFormat.type(page) == PageFormat.TYPE_LEAF) {
            LeafPage leaf = new LeafPage(page);
            List<byte[]> cells = new ArrayList<>();
            for (int i = 0; i < leaf.count(); i++) {
                cells.add(leaf.cell(i));
            }
            return leaf(cells, leaf.rightSibling());
        }
        BranchPage branch = new BranchPage(page);
        List<byte[]> keys = new ArrayList<>();
        List<Integer> children = new ArrayList<>();
        for (int i = 0; i < branch.keyCount(); i++) {
            keys.add(branch.key(i));
            children.add(branch.child(i));
        }
        children.add(branch.child(branch.keyCount()));
        return branch(keys, children);
        // BUILD:END
    }

    /** What one item costs in a page: the cell and its pointer. */
    int cost(int index) {
        byte[] item = items.get(index);
        return leaf ? PageFormat.POINTER_SIZE + item.length : BranchPage.cellCost(item);
    }

    /** Bytes this node needs in a page, the header not counted. */
    int byteSize() {
        int size = 0;
        for (int i = 0; i < items.size(); i++) {
            size += cost(i);
        }
        return size;
    }

    boolean fits(int pageSize) {
        return byteSize() <= PageFormat.usableSize(pageSize);
    }

    /** The first key in this node (a leaf's first cell's key). */
    byte[] firstKey() {
        return leaf ? LeafPage.keyOfCell(items.get(0)) : items.get(0);
    }

    byte[] lastKey() {
        return leaf ? LeafPage.keyOfCell(items.get(items.size() - 1)) : items.get(items.size() - 1);
    }

    /** Writes this node into {@code page}, replacing everything there. The node must fit. O(pageSize). */
    void writeTo(Page page) {
        // BUILD:BEGIN step4.build-node — Lay this node out in the page: the slotted format of PageFormat, the cells placed as you choose
        assert fits(page.size()) : "node of " + byteSize() + " bytes written to a " + page.size() + "-byte page";
        if (leaf) {
            PageFormat.initialize(page, PageFormat.TYPE_LEAF);
            SlottedPage.setCells(page, items.toArray(new byte[0][]));
            PageFormat.setLink(page, link);
        } else {
            BranchPage.write(page, items, children);
        }
        // BUILD:END
    }

    /**
     * Cuts items with the given costs into the fewest groups that each fit in {@code capacity}
     * bytes, as even as possible. With {@code separatorsBetween} (branches) the item after each
     * group but the last is not in any group: it moves up to the parent as the separator.
     * Returns the end (exclusive) of each group.
     *
     * <p>The fewest groups first: {@code ceil(total / capacity)}, one more whenever the even cut
     * fails. Each group takes items while it is under its even share of what is left, never
     * taking the items later groups need. This always succeeds in the end, because a single item
     * always fits (no cell is over a third of a page). O(items * groups).
     *
     * <p>Why even, not greedy (fill each page, put the rest in the next): a greedy split of a page
     * that overflows by one cell leaves a full page and a nearly empty one, and random inserts then
     * split the full one again. Measured on a load of a million random 16-byte keys, a greedy cut
     * took several times the pages, a fourth level and about three times the put time; SQLite's
     * {@code balance_nonroot} balances its siblings for the same reason.
     */
    static int[] pack(int[] costs, int capacity, boolean separatorsBetween) {
        // BUILD:BEGIN step4.build-node — Cut items of these costs into groups that each fit a page, with a separator between groups for branches: your policy, the fill bounds kept
        int total = 0;
        for (int cost : costs) {
            total += cost;
        }
        if (costs.length == 0) {
            return new int[] {0};
        }
        int perGroup = separatorsBetween ? 2 : 1;
        for (int groups = Math.max(1, (total + capacity - 1) / capacity); groups * perGroup - (perGroup - 1) <= costs.length; groups++) {
            int[] ends = tryPack(costs, capacity, groups, separatorsBetween);
            if (ends != null) {
                return ends;
            }
        }
        throw new IllegalStateException("no way to cut " + costs.length + " items into pages of " + capacity + " bytes");
        // BUILD:END
    }

    private static int[] tryPack(int[] costs, int capacity, int groups, boolean separatorsBetween) {
        int[] ends = new int[groups];
        int start = 0;
        for (int group = 0; group < groups; group++) {
            int left = groups - group;
            int reserved = (left - 1) * (separatorsBetween ? 2 : 1); // items the later groups need
            int remaining = 0;
            for (int i = start; i < costs.length; i++) {
                remaining += costs[i];
            }
            int separatorsLeft = separatorsBetween ? left - 1 : 0; // they go up, not into a page: estimate them at the average
            int target = (remaining - separatorsLeft * remaining / (costs.length - start)) / left;
            int end = start;
            int used = 0;
            boolean last = group == groups - 1;
            while (end < costs.length - reserved) {
                int cost = costs[end];
                boolean take = end == start || last
                        || used + cost <= capacity && used + cost / 2 <= target;
                if (!take) {
                    break;
                }
                used += cost;
                end++;
            }
            if (used > capacity || end == start) {
                return null;
            }
            ends[group] = end;
            start = end + (separatorsBetween ? 1 : 0);
        }
        return start >= costs.length ? ends : null;
    }
}
