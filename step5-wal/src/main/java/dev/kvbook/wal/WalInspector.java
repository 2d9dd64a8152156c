package dev.kvbook.wal;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.Plural;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.TreeInspector;
import dev.kvbook.btree.TreeModel;
import dev.kvbook.api.Keys;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kv inspect} for step 5: the data file's header, the log (generation, salt, each commit
 * with its frames and pages, the tail recovery would cut), and the tree as seen through the log,
 * drawn by step 4's {@link TreeInspector}. The Mermaid diagram shows the log's commits feeding
 * the data file, then the tree. Changes nothing; takes no lock.
 *
 * <p>The structured model holds, top to bottom: the {@code header} region (the data file's two
 * header slots, {@code header:0} and {@code header:1}, and the log's header {@code log@0}); the
 * tree as a reader sees it after the last commit, one {@code tree-level} region per level with
 * its overflow pages and free list ({@link TreeModel}; each page says in its field {@code image}
 * whether its current version comes from a log frame or the data file); the {@code log} region,
 * every frame with its state ({@code live} newest committed image of its page, {@code dead}
 * superseded or stale, {@code uncommitted} past the last commit) and a {@code frame-of} link to its
 * page; and the {@code log-index} region, the WAL index, each entry {@code points-to} the frame a
 * read of that page gets ({@link LogModel}). A lookup lists what a {@code get} reads: for each page
 * from the root to the leaf, its index entry and frame when the log holds the page, else the page.
 */
final class WalInspector {

    /** Commits listed one per line; more are summarized. */
    private static final int COMMITS_LISTED = 20;

    private WalInspector() {
    }

    /**
     * Describes the store at {@code path} as text, Mermaid and a {@link StoreModel} paged by
     * {@code window}; damage becomes problems, never an exception. Takes no lock.
     */
    static Inspection inspect(Vfs vfs, Path path, Window window) {
        StoreModel.Builder model = StoreModel.builder(WalStoreProvider.NAME, path.toString());
        try (StoreView view = StoreView.open(vfs, path)) {
            StringBuilder text = new StringBuilder("step 5 WAL store " + path + '\n');
            StringBuilder mermaid = new StringBuilder("flowchart TD\n");
            if (view.snapshot == null) {
                text.append("  not readable as a step-5 store: ").append(String.join("; ", view.problems)).append('\n');
                mermaid.append("  bad[\"not readable\"]\n");
                if (view.slots.length > 0) {
                    model.region(TreeModel.headerRegion(view.slots, null));
                }
                view.problems.forEach(model::problem);
                return new Inspection(WalStoreProvider.NAME, path, text.toString(), mermaid.toString(), model.build());
            }
            describeData(view, text);
            describeLog(view, text, mermaid);
            text.append(String.format("  tree after the last commit: %s, height %d, root %d, %s%n",
                    Plural.of(view.snapshot.pageCount(), "page"), view.snapshot.meta().height(), view.snapshot.meta().rootPage(),
                    Plural.of(view.snapshot.meta().keyCount(), "key")));
            TreeModel tree = new TreeModel(window, number -> {
                int frame = view.frameOf(number);
                return frame > 0 ? "log frame " + frame : "data file";
            });
            TreeInspector.describeTree(view.snapshot.meta(), view.snapshot.pageCount(), view.pages(), text, mermaid, tree);
            buildModel(view, window, tree, model);
            view.problems.forEach(p -> text.append("  DAMAGE: ").append(p).append('\n'));
            view.problems.forEach(model::problem);
            return new Inspection(WalStoreProvider.NAME, path, text.toString(), mermaid.toString(), model.build());
        } catch (UncheckedIOException e) {
            // A file vanished or failed mid-read (a live store checkpointing under kv web): a problem, not a crash.
            model.problem(path + ": " + e.getMessage());
            return new Inspection(WalStoreProvider.NAME, path, "not readable: " + e.getMessage(),
                    "flowchart TD\n  bad[\"not readable\"]\n", model.build());
        }
    }

    /**
     * The model: the data file's header slots and the log header, the tree as seen through the
     * log ({@link TreeModel}), the log's frames and the WAL index ({@link LogModel}), and a get's
     * path as it really reads: for each page on the way, its index entry and frame when the page's
     * newest committed image is in the log, else the page in the data file.
     */
    private static void buildModel(StoreView view, Window window, TreeModel tree, StoreModel.Builder model) {
        LogModel log = new LogModel(view, window);
        List<String> touched = new ArrayList<>();
        Set<Integer> lookupFrames = new HashSet<>();
        Set<Integer> lookupPages = new HashSet<>();
        for (int page : tree.lookupPages()) {
            int frame = view.frameOf(page);
            if (frame > 0) {
                touched.add(LogModel.indexId(page));
                touched.add(log.frameId(frame));
                lookupFrames.add(frame);
                lookupPages.add(page);
            } else {
                touched.add(TreeModel.id(page));
            }
        }
        model.fact("page size", view.header.pageSize()).fact("data file bytes", view.dataBytes)
                .fact("log bytes", view.logBytes).fact("committed frames", view.scan == null ? 0 : view.scan.committedEnd())
                .fact("pages", view.snapshot.pageCount()).fact("height", view.snapshot.meta().height())
                .fact("root page", view.snapshot.meta().rootPage()).fact("keys", view.snapshot.meta().keyCount())
                .fact("free pages", view.snapshot.meta().freePages())
                .fact("overflow pages", view.snapshot.meta().overflowPages());
        Region slots = TreeModel.headerRegion(view.slots, view.header);
        List<Item> headers = new ArrayList<>(slots.items());
        Item logHeader = log.logHeaderItem();
        if (logHeader != null) {
            headers.add(logHeader);
        }
        model.region(new Region("header", "header", "data file header slots and log header", slots.facts(), headers.size(), headers));
        tree.addTo(model);
        log.addLog(model, lookupFrames);
        log.addIndex(model, lookupPages);
        byte[] key = window.lookupKey();
        if (key != null) {
            long fromLog = lookupFrames.size();
            model.lookup(new Lookup(Keys.toDisplay(key), tree.found(), touched, tree.note() + "; "
                    + Plural.of(fromLog, "page") + " of the path read from the log (index entry, then frame)"));
        }
    }

    private static void describeData(StoreView view, StringBuilder text) {
        text.append(String.format("  data file %s: %d bytes, page size %d%n", view.path.getFileName(), view.dataBytes,
                view.header.pageSize()));
        for (HeaderFormat.Slot slot : view.slots) {
            text.append("    header slot ").append(slot.index()).append(": ").append(slot.header() == null
                    ? "invalid (" + slot.problem() + ")"
                    : "sequence " + slot.header().sequence() + ", " + Plural.of(slot.header().pageCount(), "page") + ", "
                      + Plural.of(slot.header().meta().keyCount(), "key") + " as of that checkpoint").append('\n');
        }
    }

    private static void describeLog(StoreView view, StringBuilder text, StringBuilder mermaid) {
        Recovery.Scan scan = view.scan;
        mermaid.append("  data[(\"").append(view.path.getFileName()).append(": checkpointed pages\")]\n");
        if (scan == null || scan.state() != Recovery.LogState.LIVE) {
            text.append("  log: ").append(scan == null ? "none (clean close: the store is one file)" : scan.why()).append('\n');
            mermaid.append("  data --> p").append(view.snapshot.meta().rootPage()).append('\n');
            return;
        }
        // After a checkpoint the log keeps its old frames behind the new header (they are
        // overwritten, not truncated), so the bytes after the committed frames are usually those,
        // not a torn write: either way they are never replayed.
        text.append(String.format("  log %s: generation %d, salt 0x%08x, %d committed frames in %d commits, then %d bytes "
                        + "never replayed (old frames or a torn write)%n",
                view.walPath.getFileName(), scan.header().generation(), scan.header().salt(), scan.committedEnd(),
                scan.commits(), scan.tail().bytes()));
        List<String> commits = commits(scan);
        for (int i = 0; i < commits.size(); i++) {
            if (i < COMMITS_LISTED) {
                text.append("    commit ").append(i + 1).append(": ").append(commits.get(i)).append('\n');
            }
        }
        if (commits.size() > COMMITS_LISTED) {
            text.append("    ... and ").append(commits.size() - COMMITS_LISTED).append(" more commits\n");
        }
        mermaid.append("  log[\"").append(view.walPath.getFileName()).append(": ").append(scan.commits())
                .append(" commits, ").append(scan.committedEnd()).append(" frames\"]\n")
                .append("  log -- checkpoint copies --> data\n")
                .append("  log -- newest versions --> p").append(view.snapshot.meta().rootPage()).append('\n');
    }

    /** Each commit as "frames a-b: pages [...]". */
    private static List<String> commits(Recovery.Scan scan) {
        List<String> result = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        int first = 1;
        for (Recovery.LoggedPage frame : scan.committed().frames()) {
            pages.add(frame.page());
            if (scan.committed().commitFrames().contains(frame.frame())) {
                result.add("frames " + first + "-" + frame.frame() + ", pages " + pages);
                pages = new ArrayList<>();
                first = frame.frame() + 1;
            }
        }
        return result;
    }
}
