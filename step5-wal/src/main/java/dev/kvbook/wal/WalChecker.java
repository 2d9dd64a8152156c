package dev.kvbook.wal;

import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.TreeChecker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kv verify} for step 5: checks the log as recovery would read it, then the step-4
 * {@link TreeChecker} over the data file <em>as seen through the log</em> (each page's newest
 * committed version). Changes nothing; reports every problem; never throws for damage.
 *
 * <p>What it checks: the data file's two header slots (magic {@code KVB+WTRE}, checksum,
 * version; at rest both agree); the log header, its generation against the data file's header,
 * every frame's checksum, generation, salt and number up to the committed end, and that no frame
 * after it claims to have been durable; then the whole tree (checksums, order, fill, links,
 * overflow chains, free list, ownership of every page, counts); and that the data file is as
 * long as its pages (exactly, when no log is live).
 */
final class WalChecker {

    private WalChecker() {
    }

    static VerifyReport check(Vfs vfs, Path path) {
        List<String> checked = new ArrayList<>();
        try (StoreView view = StoreView.open(vfs, path)) {
            checked.add("data file header slots: magic KVB+WTRE, version, CRC32C; the newer valid slot is used");
            if (view.snapshot != null) {
                describeSlots(view, checked);
                describeLog(view, checked);
                checked.addAll(TreeChecker.checkTree(view.snapshot.meta(), view.snapshot.pageCount(),
                        view.header.pageSize(), view.pages(), view.problems));
                checkLength(view, checked);
            }
            return new VerifyReport(WalStoreProvider.NAME, path, checked, view.problems);
        }
    }

    private static void describeSlots(StoreView view, List<String> checked) {
        for (HeaderFormat.Slot slot : view.slots) {
            checked.add("data header slot " + slot.index() + ": " + (slot.header() == null
                    ? "not valid (" + slot.problem() + "); harmless while the other slot is valid"
                    : "sequence " + slot.header().sequence() + ", " + slot.header().pageCount() + " pages"));
        }
    }

    private static void describeLog(StoreView view, List<String> checked) {
        Recovery.Scan scan = view.scan;
        if (scan == null) {
            checked.add("log: none (the store was closed cleanly, or never written)");
            return;
        }
        if (scan.state() != Recovery.LogState.LIVE) {
            checked.add("log: " + scan.why() + "; recovery restarts it");
            return;
        }
        checked.add("log generation " + scan.header().generation() + " against data header sequence "
                + view.header.sequence() + "; salt " + String.format("0x%08x", scan.header().salt()));
        checked.add(scan.committedEnd() + " committed frames in " + scan.commits() + " commits: checksum, generation,"
                + " salt, frame number each; " + scan.tail().frames() + " tail frames (" + scan.tail().bytes()
                + " bytes: frames of an earlier generation left by a checkpoint, zeros the log was grown by ahead of its"
                + " frames, or a torn write) that are never replayed,"
                + " none claiming to be durable");
    }

    private static void checkLength(StoreView view, List<String> checked) {
        long expected = (long) view.header.pageCount() * view.header.pageSize();
        if (!view.hasLiveFrames() && view.dataBytes != expected) {
            view.problems.add("data file length: expected " + expected + " bytes (" + view.header.pageCount()
                    + " pages of " + view.header.pageSize() + ") but found " + view.dataBytes);
        }
        checked.add("data file length " + view.dataBytes + " against " + view.header.pageCount() + " pages");
    }
}
