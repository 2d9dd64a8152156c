package dev.kvbook.btree;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a store file for a person: the header, then the tree level by level with each page's
 * keys, the free list, and a Mermaid {@code flowchart TD} of the tree; and, in the same walk, for
 * a program: a {@link StoreModel} with the {@code header} region (both header slots, their sequence
 * and CLEAN or DIRTY), the levels, overflow pages and free list ({@link TreeModel} says what those
 * hold), and the pages a {@code get} reads when the window names a key. Reads the file directly
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
    private final TreeModel model;

    private TreeInspector(PageFile file, TreeChecker.PageReader pages, int pageCount, StringBuilder text,
                          StringBuilder mermaid, TreeModel model) {
        this.file = file;
        this.pages = pages;
        this.pageCount = pageCount;
        this.text = text;
        this.mermaid = mermaid;
        this.model = model;
    }

    /**
     * Describes the tree, and its free list, that {@code meta} locates among pages 1 to
     * {@code pageCount - 1} read through {@code pages}: appends the levels to {@code text} and
     * the drawing to {@code mermaid} (which should already hold {@code flowchart TD}). For a
     * caller with its own header: step 5 shows its data file as seen through the log.
     */
    public static void describeTree(TreeMeta meta, int pageCount, TreeChecker.PageReader pages, StringBuilder text,
                                    StringBuilder mermaid) {
        describeTree(meta, pageCount, pages, text, mermaid, new TreeModel(Window.defaults()));
    }

    /**
     * {@link #describeTree(TreeMeta, int, TreeChecker.PageReader, StringBuilder, StringBuilder)}, also
     * collecting the tree as data into {@code model} in the same walk (each page read once).
     */
    public static void describeTree(TreeMeta meta, int pageCount, TreeChecker.PageReader pages, StringBuilder text,
                                    StringBuilder mermaid, TreeModel model) {
        TreeInspector inspector = new TreeInspector(null, pages, pageCount, text, mermaid, model);
        inspector.tree(meta);
    }

    /**
     * Describes the step-4 file {@code path}: its header slots, then the tree, as text, Mermaid and
     * a {@link StoreModel} paged by {@code window}. Damage becomes text and model problems, never
     * an exception. Takes no lock.
     */
    static Inspection inspect(Vfs vfs, Path path, Window window) {
        List<String> problems = new ArrayList<>();
        StoreModel.Builder model = StoreModel.builder(BTreeStoreProvider.NAME, path.toString());
        try (PageFile file = PageFile.open(vfs, path, problems)) {
            if (file == null || file.header == null) {
                String why = String.join("; ", problems);
                if (file != null) {
                    model.region(TreeModel.headerRegion(file.slots, null));
                }
                problems.forEach(model::problem);
                return new Inspection(BTreeStoreProvider.NAME, path, "not readable as a step-4 file: " + why,
                        "flowchart TD\n  bad[\"" + label(why) + "\"]\n", model.build());
            }
            TreeModel tree = new TreeModel(window);
            TreeInspector inspector = new TreeInspector(file, file::read, file.pageCount(), new StringBuilder(),
                    new StringBuilder("flowchart TD\n"), tree);
            inspector.describe();
            HeaderFormat.Header header = file.header;
            model.fact("page size", header.pageSize()).fact("pages", header.pageCount()).fact("bytes", file.size)
                    .fact("height", header.meta().height()).fact("root page", header.meta().rootPage())
                    .fact("keys", header.meta().keyCount()).fact("free pages", header.meta().freePages())
                    .fact("overflow pages", header.meta().overflowPages())
                    .fact("closed cleanly", header.isClean());
            model.region(TreeModel.headerRegion(file.slots, header));
            tree.addTo(model);
            file.problems.forEach(model::problem);
            return new Inspection(BTreeStoreProvider.NAME, path, inspector.text.toString(), inspector.mermaid.toString(),
                    model.build());
        } catch (java.io.UncheckedIOException e) {
            // The file went away or failed mid-read (a live store being inspected): a problem, not a crash.
            model.problem(path + ": " + e.getMessage());
            return new Inspection(BTreeStoreProvider.NAME, path, "not readable: " + e.getMessage(),
                    "flowchart TD\n  bad[\"" + label(String.valueOf(e.getMessage())) + "\"]\n", model.build());
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
        model.start(meta);
        if (meta.rootPage() == 0) {
            text.append("  (empty: no root page yet)\n");
            mermaid.append("  empty[\"empty tree\"]\n");
        } else {
            levels(meta);
        }
        model.overflow(pages, pageCount, meta.overflowPages());
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
            model.startLevel(height, level.size());
            for (int i = 0; i < level.size(); i++) {
                children.add(describePage(i, level.get(i), i < PAGES_LISTED, drawing));
            }
            model.endLevel();
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
                model.problem("level " + (height - 1) + " would hold " + below.size() + " pages, more than the file's "
                        + pageCount + ": the tree is damaged (a cycle?)");
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
    private List<Integer> describePage(int index, int number, boolean listed, boolean drawn) {
        Page page = number > 0 && number < pageCount ? pages.read(number) : null;
        model.page(index, number, page);
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

    /** Walks the whole free list (at most one page more than the header counts, so a cycle ends) and lists its start. */
    private void freeList(TreeMeta meta) {
        List<Integer> all = new ArrayList<>();
        List<Page> read = new ArrayList<>();
        int number = meta.freeListHead();
        while (number != 0 && all.size() <= meta.freePages()) {
            all.add(number);
            Page page = number > 0 && number < pageCount ? pages.read(number) : null;
            read.add(page);
            number = page == null ? 0 : PageFormat.link(page);
        }
        model.freeList(all, read, meta.freePages());
        List<Integer> free = all.subList(0, Math.min(all.size(), PAGES_LISTED));
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
