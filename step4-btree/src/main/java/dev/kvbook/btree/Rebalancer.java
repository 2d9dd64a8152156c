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
 *   <li><b>Split</b> ({@link #split}): the window is the one overflowing page; it comes out as two
 *       (rarely three).</li>
 *   <li><b>Merge</b> ({@link #mergeOrBorrow}): the window is an under-full page and a neighbour;
 *       if they fit in one page they come out as one, and the other page goes to the free list.</li>
 *   <li><b>Borrow</b> ({@link #mergeOrBorrow}): the same window, when they do not fit in one: two
 *       evenly filled pages, the under-full one having taken entries from its neighbour.</li>
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
        // BUILD:BEGIN step4.build-node — Walk back up after a change: split what overflows, merge or borrow what is under-full, grow or collapse the root
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
            if (overflowing != null) {
                overflowing = split(parent, overflowing);
            } else {
                overflowing = mergeOrBorrow(parent);
            }
            depth--;
        }
        // LAB:END
        // BUILD:END
    }

    private boolean underfull(int page) {
        return SlottedPage.usedBytes(pager.read(page)) < minimumFill();
    }

    /**
     * Split: the window is the one child of {@code parent} whose new contents, {@code overflowing},
     * do not fit its page; it comes out as two pages (rarely three). Returns the parent's new
     * contents if they in turn do not fit, else null.
     */
    private Node split(Step parent, Node overflowing) {
        // BUILD:BEGIN step4.build-node — Split an overflowing child of this parent; return the parent if it no longer fits
        int child = parent.childIndex();
        return redistribute(parent.page(), child, child, child, overflowing);
        // BUILD:END
    }

    /**
     * Merge or borrow: the window is the under-full child of {@code parent} and a neighbour (its
     * right one; the last child takes its left one). If both fit in one page they merge into it
     * and the other page is freed; if not, they come out as two evenly filled pages, the under-full
     * one having borrowed entries. An only child has no neighbour: nothing to do (the root is
     * collapsed later). Returns the parent's new contents if they do not fit, else null.
     */
    private Node mergeOrBorrow(Step parent) {
        // BUILD:BEGIN step4.build-node — Merge an under-full child with a neighbour, or borrow from it; return the parent if it no longer fits
        int child = parent.childIndex();
        int children = PageFormat.count(pager.read(parent.page())) + 1; // a branch has one child more than keys
        if (children == 1) {
            return null;
        }
        int first = child < children - 1 ? child : child - 1;
        return redistribute(parent.page(), first, first + 1, child, null);
        // BUILD:END
    }

    /**
     * The core move behind {@link #split} and {@link #mergeOrBorrow}. Takes the window of
     * children {@code first..last} of {@code parentPage} ({@code changed} among them, whose new
     * contents are {@code overflowing} when it did not fit its page), cuts their entries into as
     * few, evenly filled pages as hold them, writes those (reusing the window's pages, allocating
     * or freeing the difference), and replaces the window's children and separators in the
     * parent. Returns the parent's new contents if they no longer fit in its page, else writes
     * them and returns null. (Package-private for its tests, which call it on hand-built windows.)
     */
    Node redistribute(int parentPage, int first, int last, int changed, Node overflowing) {
        // BUILD:BEGIN step4.build-node — Rewrite a window of siblings as evenly filled pages, freeing or allocating the difference, and fix the parent
        // LAB:BEGIN step4.redistribute — Split and merge in one move: cut a window of siblings into evenly filled pages and fix the parent
        Node parent = Node.of(pager.read(parentPage));
        List<Node> window = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        int type = overflowing != null ? -1 : PageFormat.type(pager.read(parent.children.get(changed)));
        for (int c = first; c <= last; c++) {
            pages.add(parent.children.get(c));
            window.add(c == changed && overflowing != null ? overflowing : Node.of(sibling(parent.children.get(c), type)));
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
        // BUILD:END
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
