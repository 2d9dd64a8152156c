package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the tree balanced after an insert or delete: splits pages that overflow, merges or
 * redistributes pages that fall under a quarter full, grows the tree at the root and shrinks it
 * there. Every one of these is the same move, done by {@link #redistribute}:
 *
 * <blockquote>take a few adjacent children of one parent (the <em>window</em>), pour all their
 * entries into one sequence, cut it into as few pages as hold it, as evenly as possible, and put
 * the new separators into the parent.</blockquote>
 *
 * <ul>
 *   <li><b>Split</b>: the window is the one overflowing page; it comes out as two (rarely three).</li>
 *   <li><b>Merge</b>: the window is an under-full page and a neighbour; if they fit in one page
 *       they come out as one, and the other page goes to the free list.</li>
 *   <li><b>Redistribute</b>: the same window, when they do not fit in one: two evenly filled pages.</li>
 * </ul>
 * The parent has then changed, and may itself overflow or fall under-full: the move repeats one
 * level up, at most up to the root. Because keys vary in length, a new separator can be longer
 * than the one it replaces, so even a delete can split a parent. This is SQLite's
 * {@code balance_nonroot} idea in miniature.
 */
final class Rebalancer {

    /** One step of a root-to-leaf path: a page, and which of its children the path went to. */
    record Step(int page, int childIndex) {
    }

    private final Pager pager;
    private final FreeList freeList;

    Rebalancer(Pager pager, FreeList freeList) {
        this.pager = pager;
        this.freeList = freeList;
    }

    /** Under this many bytes in use, a page other than the root is rebalanced with a neighbour. */
    private int minimumFill() {
        return PageFormat.usableSize(pager.pageSize()) / 4;
    }

    /**
     * Restores balance after the last page of {@code path} changed. {@code overflowing} holds
     * that page's new contents when they did not fit into it (an insert), else null (the page
     * was changed in place). O(height) redistributions at worst, usually none or one.
     */
    void settle(List<Step> path, Node overflowing) {
        // LAB:BEGIN step4.settle — Walk back up after a change: split what overflows, merge what is under-full, grow or collapse the root
        List<Step> steps = new ArrayList<>(path);
        int depth = steps.size() - 1;
        while (true) {
            if (depth == 0) {
                if (overflowing == null) {
                    collapseRoot();
                    return;
                }
                steps.add(0, new Step(growRoot(steps.get(0).page()), 0));
                depth = 1;
            }
            if (overflowing == null && !underfull(steps.get(depth).page())) {
                return; // this page is fine, so nothing above it changed
            }
            Step parent = steps.get(depth - 1);
            overflowing = redistribute(parent.page(), parent.childIndex(), overflowing);
            depth--;
        }
        // LAB:END
    }

    private boolean underfull(int page) {
        return PageFormat.usedBytes(pager.read(page)) < minimumFill();
    }

    /**
     * The core move. Takes the window of children around {@code childIndex} of {@code parentPage}
     * (just that child when it overflows; it and a neighbour when it is under-full), cuts their
     * entries into as few, evenly filled pages as hold them, writes those (reusing the window's
     * pages, allocating or freeing the difference), and replaces the window's children and
     * separators in the parent. Returns the parent's new contents if they no longer fit in its
     * page, else writes them and returns null.
     */
    private Node redistribute(int parentPage, int childIndex, Node overflowing) {
        // LAB:BEGIN step4.redistribute — Split and merge in one move: cut a window of siblings into evenly filled pages and fix the parent
        Node parent = Node.of(pager.read(parentPage));
        int childCount = parent.children.size();
        int first = overflowing != null ? childIndex : childIndex < childCount - 1 ? childIndex : childIndex - 1;
        int last = overflowing != null ? childIndex : first + 1;
        if (first < 0) {
            return null; // an only child has no neighbour to merge with (the root is collapsed later)
        }
        List<Node> window = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        int type = overflowing != null ? -1 : PageFormat.type(pager.read(parent.children.get(childIndex)));
        for (int c = first; c <= last; c++) {
            pages.add(parent.children.get(c));
            window.add(c == childIndex && overflowing != null ? overflowing : Node.of(sibling(parent.children.get(c), type)));
        }
        Node combined = combine(window, parent.items.subList(first, last));
        int[] ends = Node.pack(costs(combined), PageFormat.usableSize(pager.pageSize()), !combined.leaf);
        List<Node> groups = new ArrayList<>();
        List<byte[]> separators = new ArrayList<>();
        cut(combined, ends, groups, separators);
        // Invariant: every group fits in a page, and there is one separator between each two groups.
        assert groups.stream().allMatch(g -> g.fits(pager.pageSize())) && separators.size() == groups.size() - 1;
        List<Integer> numbers = placePages(groups, pages);
        // Invariant: the window's first page keeps its number, so the leaf to its left still links to it.
        assert numbers.get(0).equals(pages.get(0));
        List<Integer> parentChildren = parent.children;
        List<byte[]> parentKeys = parent.items;
        parentChildren.subList(first, last + 1).clear();
        parentChildren.addAll(first, numbers);
        parentKeys.subList(first, last).clear();
        parentKeys.addAll(first, separators);
        Node newParent = Node.branch(parentKeys, parentChildren);
        if (!newParent.fits(pager.pageSize())) {
            return newParent;
        }
        newParent.writeTo(pager.write(parentPage));
        return null;
        // LAB:END
    }

    /** Reads a page of the window, which must be of the same type as the page that changed. */
    private Page sibling(int number, int type) {
        Page page = pager.read(number);
        if (PageFormat.type(page) != type) {
            throw new CorruptionException(pager.file(), (long) number * pager.pageSize(), "type of page " + number
                    + ", a sibling of a " + PageFormat.typeName(type), PageFormat.typeName(type),
                    PageFormat.typeName(PageFormat.type(page)));
        }
        return page;
    }

    /** Pours the window into one node. For branches the parent's separators between them come down. */
    private static Node combine(List<Node> window, List<byte[]> separatorsBetween) {
        Node last = window.get(window.size() - 1);
        if (last.leaf) {
            List<byte[]> cells = new ArrayList<>();
            window.forEach(node -> cells.addAll(node.items));
            return Node.leaf(cells, last.link);
        }
        List<byte[]> keys = new ArrayList<>();
        List<Integer> children = new ArrayList<>();
        for (int i = 0; i < window.size(); i++) {
            keys.addAll(window.get(i).items);
            children.addAll(window.get(i).children);
            if (i < separatorsBetween.size()) {
                keys.add(separatorsBetween.get(i));
            }
        }
        return Node.branch(keys, children);
    }

    private static int[] costs(Node node) {
        int[] costs = new int[node.items.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = node.cost(i);
        }
        return costs;
    }

    /** Cuts {@code combined} at {@code ends} into page-sized groups and the separators between them. */
    private static void cut(Node combined, int[] ends, List<Node> groups, List<byte[]> separators) {
        int start = 0;
        for (int g = 0; g < ends.length; g++) {
            int end = ends[g];
            if (combined.leaf) {
                groups.add(Node.leaf(combined.items.subList(start, end), 0));
                if (g > 0) {
                    Node previous = groups.get(g - 1);
                    separators.add(shortestSeparator(previous.lastKey(), groups.get(g).firstKey()));
                }
                start = end;
            } else {
                groups.add(Node.branch(combined.items.subList(start, end), combined.children.subList(start, end + 1)));
                if (g < ends.length - 1) {
                    separators.add(combined.items.get(end));
                }
                start = end + 1;
            }
        }
        if (combined.leaf) {
            groups.get(groups.size() - 1).link = combined.link;
        }
    }

    /**
     * Gives each group a page (the window's own pages first, then new ones), links leaves in
     * order, writes every group, and frees the window's pages left over. Returns the page numbers.
     */
    private List<Integer> placePages(List<Node> groups, List<Integer> windowPages) {
        List<Page> targets = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            targets.add(g < windowPages.size() ? pager.write(windowPages.get(g)) : freeList.allocate());
        }
        List<Integer> numbers = new ArrayList<>();
        targets.forEach(page -> numbers.add(page.number()));
        for (int g = 0; g < groups.size(); g++) {
            Node group = groups.get(g);
            if (group.leaf && g < groups.size() - 1) {
                group.link = numbers.get(g + 1);
            }
            group.writeTo(targets.get(g));
        }
        for (int extra = groups.size(); extra < windowPages.size(); extra++) {
            freeList.free(windowPages.get(extra));
        }
        return numbers;
    }

    /**
     * The shortest key {@code s} with {@code left < s <= right}: enough to steer searches between
     * two neighbouring leaves (suffix truncation). Short separators keep branches wide and the
     * tree low. {@code left < right} is required. O(key length).
     */
    static byte[] shortestSeparator(byte[] left, byte[] right) {
        assert java.util.Arrays.compareUnsigned(left, right) < 0;
        int mismatch = java.util.Arrays.mismatch(left, right);
        // right is longer than the common prefix, as left < right; one more byte of it is enough.
        return java.util.Arrays.copyOf(right, mismatch + 1);
    }

    /** Adds a level: a new root branch whose only child is the old root. Returns the new root. */
    private int growRoot(int oldRoot) {
        Page page = freeList.allocate();
        BranchPage.write(page, List.of(), List.of(oldRoot));
        TreeMeta meta = pager.meta();
        pager.setMeta(meta.withRoot(page.number(), meta.height() + 1));
        return page.number();
    }

    /** Removes levels while the root is a branch with one child: the child becomes the root. */
    private void collapseRoot() {
        TreeMeta meta = pager.meta();
        while (meta.height() > 1) {
            Page root = pager.read(meta.rootPage());
            if (PageFormat.count(root) > 0) {
                return;
            }
            int onlyChild = PageFormat.link(root);
            freeList.free(root.number());
            meta = pager.meta().withRoot(onlyChild, meta.height() - 1);
            pager.setMeta(meta);
        }
    }
}
