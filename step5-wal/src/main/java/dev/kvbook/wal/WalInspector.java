package dev.kvbook.wal;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.Plural;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.TreeInspector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kv inspect} for step 5: the data file's header, the log (generation, salt, each commit
 * with its frames and pages, the tail recovery would cut), and the tree as seen through the log,
 * drawn by step 4's {@link TreeInspector}. The Mermaid diagram shows the log's commits feeding
 * the data file, then the tree. Changes nothing; takes no lock.
 */
final class WalInspector {

    /** Commits listed one per line; more are summarized. */
    private static final int COMMITS_LISTED = 20;

    private WalInspector() {
    }

    static Inspection inspect(Vfs vfs, Path path) {
        try (StoreView view = StoreView.open(vfs, path)) {
            StringBuilder text = new StringBuilder("step 5 WAL store " + path + '\n');
            StringBuilder mermaid = new StringBuilder("flowchart TD\n");
            if (view.snapshot == null) {
                text.append("  not readable as a step-5 store: ").append(String.join("; ", view.problems)).append('\n');
                mermaid.append("  bad[\"not readable\"]\n");
                return new Inspection(WalStoreProvider.NAME, path, text.toString(), mermaid.toString());
            }
            describeData(view, text);
            describeLog(view, text, mermaid);
            text.append(String.format("  tree after the last commit: %s, height %d, root %d, %s%n",
                    Plural.of(view.snapshot.pageCount(), "page"), view.snapshot.meta().height(), view.snapshot.meta().rootPage(),
                    Plural.of(view.snapshot.meta().keyCount(), "key")));
            TreeInspector.describeTree(view.snapshot.meta(), view.snapshot.pageCount(), view.pages(), text, mermaid);
            view.problems.forEach(p -> text.append("  DAMAGE: ").append(p).append('\n'));
            return new Inspection(WalStoreProvider.NAME, path, text.toString(), mermaid.toString());
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
