package dev.kvbook.btree;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a store file for a person: the header, then the tree level by level with each page's
 * keys, the free list, and a Mermaid {@code flowchart TD} of the tree. Reads the file directly
 * ({@link PageFile}), so it also shows a file that was not closed cleanly, and marks damaged
 * pages instead of failing. Small trees are drawn in full; from the first level with more than
 * {@value #DRAWN_PER_LEVEL} pages down, each page's children are summarized in one box.
 */
public final class TreeInspector {

    /** Levels with more pages than this are summarized. */
    static final int DRAWN_PER_LEVEL = 16;
    /** Keys shown per page. */
    private static final int KEYS_SHOWN = 6;
    /** Pages listed per level in the text. */
    private static final int PAGES_LISTED = 40;

    private final PageFile file;
    private final TreeChecker.PageReader pages;
    private final int pageCount;
    private final StringBuilder text;
    private final StringBuilder mermaid;

    private TreeInspector(PageFile file, TreeChecker.PageReader pages, int pageCount, StringBuilder text,
                          StringBuilder mermaid) {
        this.file = file;
        this.pages = pages;
        this.pageCount = pageCount;
        this.text = text;
        this.mermaid = mermaid;
    }

    /**
     * Describes the tree, and its free list, that {@code meta} locates among pages 1 to
     * {@code pageCount - 1} read through {@code pages}: appends the levels to {@code text} and
     * the drawing to {@code mermaid} (which should already hold {@code flowchart TD}). For a
     * caller with its own header: step 5 shows its data file as seen through the log.
     */
    public static void describeTree(TreeMeta meta, int pageCount, TreeChecker.PageReader pages, StringBuilder text,
                                    StringBuilder mermaid) {
        TreeInspector inspector = new TreeInspector(null, pages, pageCount, text, mermaid);
        inspector.tree(meta);
    }

    /** Describes the step-4 file {@code path}: its header slots, then the tree. */
    static Inspection inspect(Vfs vfs, Path path) {
        List<String> problems = new ArrayList<>();
        try (PageFile file = PageFile.open(vfs, path, problems)) {
            if (file == null || file.header == null) {
                String why = String.join("; ", problems);
                return new Inspection(BTreeStoreProvider.NAME, path, "not readable as a step-4 file: " + why,
                        "flowchart TD\n  bad[\"" + label(why) + "\"]\n");
            }
            TreeInspector inspector = new TreeInspector(file, file::read, file.pageCount(), new StringBuilder(),
                    new StringBuilder("flowchart TD\n"));
            inspector.describe();
            return new Inspection(BTreeStoreProvider.NAME, path, inspector.text.toString(), inspector.mermaid.toString());
        }
    }

    private void describe() {
        HeaderFormat.Header header = file.header;
        TreeMeta meta = header.meta();
        text.append("step 4 B+tree ").append(file.path).append('\n');
        for (HeaderFormat.Slot slot : file.slots) {
            text.append("  header slot ").append(slot.index()).append(" @").append(slot.index() * HeaderFormat.SLOT_STRIDE)
                    .append(": ").append(slot.header() == null ? "invalid (" + slot.problem() + ")"
                            : "sequence " + slot.header().sequence() + ", " + (slot.header().isClean() ? "CLEAN" : "DIRTY"))
                    .append('\n');
        }
        text.append(String.format("  page size %d, %s (%d bytes on disk), height %d, root page %d, %s, %s, %s (head %d)%n",
                header.pageSize(), Plural.of(header.pageCount(), "page"), file.size, meta.height(), meta.rootPage(),
                Plural.of(meta.keyCount(), "key"), Plural.of(meta.overflowPages(), "overflow page"),
                Plural.of(meta.freePages(), "free page"), meta.freeListHead()));
        if (!header.isClean()) {
            text.append("  NOT CLOSED CLEANLY: the store refuses to open this file; pages below may be half-updated\n");
        }
        tree(meta);
        file.problems.forEach(p -> text.append("  DAMAGE: ").append(p).append('\n'));
    }

    private void tree(TreeMeta meta) {
        if (meta.rootPage() == 0) {
            text.append("  (empty: no root page yet)\n");
            mermaid.append("  empty[\"empty tree\"]\n");
        } else {
            levels(meta);
        }
        freeList(meta);
    }

    /** Walks the tree breadth first, one level per line group, and draws it. */
    private void levels(TreeMeta meta) {
        List<Integer> level = List.of(meta.rootPage());
        boolean drawing = true;
        for (int height = meta.height(); height >= 1 && !level.isEmpty(); height--) {
            text.append(String.format("  level %d%s: %s%n", height,
                    height == meta.height() ? " (root)" : height == 1 ? " (leaves)" : "", Plural.of(level.size(), "page")));
            List<List<Integer>> children = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                children.add(describePage(level.get(i), i < PAGES_LISTED, drawing));
            }
            if (level.size() > PAGES_LISTED) {
                text.append("    ... and ").append(level.size() - PAGES_LISTED).append(" more pages\n");
            }
            List<Integer> below = new ArrayList<>();
            children.forEach(below::addAll);
            if (drawing) {
                drawing = below.size() <= DRAWN_PER_LEVEL;
                drawEdges(level, children, drawing, height - 1);
            }
            if (below.size() > pageCount) {
                text.append("    (more children than pages: the tree is damaged)\n");
                break;
            }
            level = below;
        }
    }

    /** Edges to each child when the next level is drawn, else one summary box per parent. */
    private void drawEdges(List<Integer> parents, List<List<Integer>> children, boolean childrenDrawn, int childLevel) {
        for (int i = 0; i < parents.size(); i++) {
            List<Integer> mine = children.get(i);
            if (mine.isEmpty()) {
                continue;
            }
            int parent = parents.get(i);
            if (childrenDrawn) {
                mine.forEach(child -> mermaid.append("  p").append(parent).append(" --> p").append(child).append('\n'));
            } else {
                mermaid.append("  p").append(parent).append(" --> s").append(parent).append("[\"").append(mine.size())
                        .append(" pages at level ").append(childLevel).append(": ").append(mine.get(0)).append(" ... ")
                        .append(mine.get(mine.size() - 1)).append("\"]\n");
            }
        }
    }

    /** Lists and draws one page; returns its children (none for a leaf or a damaged page). */
    private List<Integer> describePage(int number, boolean listed, boolean drawn) {
        Page page = number > 0 && number < pageCount ? pages.read(number) : null;
        if (page == null || PageFormat.type(page) != PageFormat.TYPE_LEAF && PageFormat.type(page) != PageFormat.TYPE_BRANCH) {
            if (listed) {
                text.append("    page ").append(number).append(": DAMAGED or not a tree page\n");
            }
            if (drawn) {
                mermaid.append("  p").append(number).append("[\"page ").append(number).append(": damaged\"]\n");
            }
            return List.of();
        }
        boolean leaf = PageFormat.type(page) == PageFormat.TYPE_LEAF;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < PageFormat.count(page); i++) {
            keys.add(Keys.toDisplay(leaf ? new LeafPage(page).key(i) : new BranchPage(page).key(i)));
        }
        List<Integer> children = new ArrayList<>();
        if (!leaf) {
            BranchPage branch = new BranchPage(page);
            for (int i = 0; i <= branch.keyCount(); i++) {
                children.add(branch.child(i));
            }
        }
        String shown = shorten(keys);
        if (listed) {
            text.append(String.format("    page %d %s, %s, %d/%d bytes used: %s%s%n", number, leaf ? "leaf" : "branch",
                    Plural.of(keys.size(), leaf ? "key" : "separator"), SlottedPage.usedBytes(page), PageFormat.usableSize(page.size()),
                    shown, leaf ? " -> next leaf " + PageFormat.link(page) : " | children " + children));
        }
        if (drawn) {
            mermaid.append("  p").append(number).append("[\"page ").append(number).append(leaf ? " leaf" : " branch")
                    .append("<br/>").append(label(shown)).append("\"]\n");
            if (leaf && PageFormat.link(page) != 0) {
                mermaid.append("  p").append(number).append(" -.-> p").append(PageFormat.link(page)).append('\n');
            }
        }
        return children;
    }

    private void freeList(TreeMeta meta) {
        List<Integer> free = new ArrayList<>();
        int number = meta.freeListHead();
        while (number != 0 && free.size() <= meta.freePages() && free.size() < PAGES_LISTED) {
            free.add(number);
            Page page = number < pageCount ? pages.read(number) : null;
            number = page == null ? 0 : PageFormat.link(page);
        }
        text.append("  free list: ").append(free.isEmpty() ? "empty" : free + (meta.freePages() > free.size() ? " ..." : ""))
                .append('\n');
    }

    private static String shorten(List<String> keys) {
        if (keys.size() <= KEYS_SHOWN) {
            return String.join(" ", keys);
        }
        return String.join(" ", keys.subList(0, KEYS_SHOWN / 2)) + " ... " + String.join(" ", keys.subList(keys.size() - KEYS_SHOWN / 2, keys.size()));
    }

    /** Text safe inside a quoted Mermaid label. */
    private static String label(String text) {
        return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
