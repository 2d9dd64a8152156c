package dev.kvbook.wal;

import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.TreeModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Step 5's log as data, for {@link WalInspector}: the regions {@code log} and {@code log-index}
 * beside the tree that step 4's {@link TreeModel} describes.
 *
 * <ul>
 *   <li>{@code log}: one {@code frame} item per whole frame in the log file, {@code log@<offset>},
 *       with a link {@code frame-of} to the page ({@code page:<n>}) it is an image of. Its state
 *       says what recovery makes of it: {@code live}, the newest committed image of its page (a
 *       read of that page gets this frame); {@code dead}, an older committed image, superseded by a
 *       newer committed frame, or a frame of an earlier life of the log that a checkpoint already
 *       copied (its generation or salt is not the log's, field {@code stale}); {@code uncommitted},
 *       a frame past the last commit: the tail recovery cuts off (torn frames among them have
 *       {@code checksum ok} false); {@code free}, a frame of zeros the log grew by ahead of its
 *       frames (WalFormat invariant 7), field {@code preallocated}, to be overwritten by the next
 *       frames.</li>
 *   <li>{@code log-index}: one {@code index-entry} per page whose newest committed image is in the
 *       log, {@code index:<n>}, by page number, with a link {@code points-to} that frame. This is
 *       the in-memory WAL index, rebuilt from the log as recovery would.</li>
 * </ul>
 * Both count every frame or entry ({@code total}) and keep the window's plus those a lookup reads.
 * Only the frames kept are read a second time (the scan that classified them read each once).
 */
final class LogModel {

    private final StoreView view;
    private final Window window;

    LogModel(StoreView view, Window window) {
        this.view = view;
        this.window = window;
    }

    /** The item id of frame {@code frame}: {@code log@} and its byte offset in the log. */
    String frameId(int frame) {
        return "log@" + WalFormat.frameOffset(frame, view.header.pageSize());
    }

    /** The item id of page {@code page}'s slot in the WAL index. */
    static String indexId(int page) {
        return "index:" + page;
    }

    /** The {@code header} item of the log file itself, {@code log@0}, or null without a log file. */
    Item logHeaderItem() {
        if (view.logHeader == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String state;
        if (view.logHeader.isValid()) {
            WalFormat.Header h = view.logHeader.value();
            fields.put("generation", String.valueOf(h.generation()));
            fields.put("salt", String.format("0x%08x", h.salt()));
            fields.put("page size", String.valueOf(h.pageSize()));
            boolean live = view.scan != null && view.scan.state() == Recovery.LogState.LIVE;
            fields.put("recovery", live ? "replays its committed frames" : view.scan == null
                    ? "stops: the log is damaged (see the problems)" : "starts the log afresh: " + view.scan.why());
            state = live ? "live" : "dead";
        } else {
            fields.put("problem", view.logHeader.problem());
            state = "damaged";
        }
        return new Item("log@0", "header", 2, "log header", 0, WalFormat.HEADER_SIZE, state, List.of(), fields);
    }

    /** Adds the {@code log} region (frames) and its {@code frame-of} links; {@code lookupFrames} are kept whatever the window. */
    void addLog(StoreModel.Builder model, Set<Integer> lookupFrames) {
        int total = view.framesInFile();
        boolean live = view.scan != null && view.scan.state() == Recovery.LogState.LIVE;
        int committedEnd = live ? view.scan.committedEnd() : 0;
        List<Item> items = new ArrayList<>();
        int[] counts = new int[4]; // live, dead, uncommitted, free (preallocated zeros) among committed frames and the tail
        for (int frame = 1; frame <= total; frame++) {
            boolean shown = lookupFrames.contains(frame) || window.shows(frame - 1, total);
            StoreView.FrameRead read = frame > committedEnd || shown ? view.readFrame(frame) : null;
            if (frame <= committedEnd) {
                int page = view.scan.committed().frames().get(frame - 1).page();
                counts[view.frameOf(page) == frame ? 0 : 1]++;
            } else if (read != null && isZeros(read)) {
                counts[3]++;
            } else {
                counts[live ? 2 : 1]++;
            }
            if (!shown) {
                continue;
            }
            if (read == null) {
                break; // the file shrank under us: reported as a problem
            }
            Item item = view.scan == null ? unjudgedFrame(frame, read) : frameItem(frame, read, live, committedEnd);
            items.add(item);
            if (read.header().isValid()) {
                model.link(item.id(), TreeModel.id(read.header().value().pageNumber()), "frame-of");
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", view.walPath.getFileName().toString());
        facts.put("bytes", String.valueOf(view.logBytes));
        facts.put("committed frames", String.valueOf(committedEnd));
        facts.put("commits", String.valueOf(live ? view.scan.commits() : 0));
        if (view.scan != null) { // else recovery refuses the log: no frame is live or dead
            facts.put("live", String.valueOf(counts[0]));
            facts.put("dead", String.valueOf(counts[1]));
            facts.put("uncommitted", String.valueOf(counts[2]));
            facts.put("preallocated", String.valueOf(counts[3]));
        }
        model.region(new Region("log", "log", "log " + view.walPath.getFileName(), facts, total, items));
    }

    /**
     * A frame of a log whose scan failed (damage before its committed end): recovery refuses it, so
     * no frame is live or dead; the bad ones are {@code damaged}, the others have no state.
     */
    private Item unjudgedFrame(int frame, StoreView.FrameRead read) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("frame", String.valueOf(frame));
        fields.put("checksum ok", String.valueOf(read.header().isValid()));
        if (!read.header().isValid()) {
            fields.put("problem", read.header().problem());
        } else {
            fields.put("page", String.valueOf(read.header().value().pageNumber()));
        }
        return new Item(frameId(frame), "frame", frame - 1, "frame " + frame, WalFormat.frameOffset(frame, view.header.pageSize()),
                WalFormat.frameSize(view.header.pageSize()), read.header().isValid() ? "" : "damaged", List.of(), fields);
    }

    /** Whether a frame is all zeros: space the log grew by ahead of its frames, never yet written (WalFormat invariant 7). */
    private static boolean isZeros(StoreView.FrameRead read) {
        return read.zeros();
    }

    private Item frameItem(int frame, StoreView.FrameRead read, boolean live, int committedEnd) {
        long offset = WalFormat.frameOffset(frame, view.header.pageSize());
        int length = WalFormat.frameSize(view.header.pageSize());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("frame", String.valueOf(frame));
        if (frame > committedEnd && isZeros(read)) {
            fields.put("preallocated", "zeros the log grew by, to be overwritten by the next frames");
            return new Item(frameId(frame), "frame", frame - 1, "frame " + frame + ": zeros (preallocated)", offset, length,
                    "free", List.of(), fields);
        }
        if (!read.header().isValid()) {
            fields.put("checksum ok", "false");
            fields.put("problem", read.header().problem());
            // Past the committed end a bad frame is a torn write; before it, the scan would have stopped.
            return new Item(frameId(frame), "frame", frame - 1, "frame " + frame + ": torn or damaged", offset, length,
                    live ? "uncommitted" : "dead", List.of(), fields);
        }
        WalFormat.FrameHeader h = read.header().value();
        WalFormat.Header log = live ? view.scan.header() : null;
        boolean ours = log != null && h.generation() == log.generation() && h.salt() == log.salt() && h.frameNumber() == frame;
        fields.put("page", String.valueOf(h.pageNumber()));
        fields.put("commit", String.valueOf(h.isCommit()));
        fields.put("generation", String.valueOf(h.generation()));
        fields.put("salt", String.format("0x%08x", h.salt()));
        fields.put("checksum ok", "true");
        fields.put("synced frames", String.valueOf(h.syncedFrames()));
        if (h.isCommit()) {
            fields.put("pages after", String.valueOf(h.commitPageCount()));
            fields.put("keys after", String.valueOf(h.meta().keyCount()));
        }
        String state;
        if (frame <= committedEnd) {
            state = view.frameOf(h.pageNumber()) == frame ? "live" : "dead";
        } else if (ours) {
            state = "uncommitted";
        } else {
            state = "dead";
            fields.put("stale", "from an earlier life of the log (generation " + h.generation() + "): already checkpointed");
        }
        Page image = new Page(h.pageNumber(), read.image());
        return new Item(frameId(frame), "frame", frame - 1, "frame " + frame + ": page " + h.pageNumber() + (h.isCommit() ? " (commit)" : ""),
                offset, length, state, TreeModel.keysOf(image), fields);
    }

    /** Adds the {@code log-index} region: the newest committed frame of each page in the log, by page number. */
    void addIndex(StoreModel.Builder model, Set<Integer> lookupPages) {
        TreeMap<Integer, Integer> versions = new TreeMap<>();
        if (view.scan != null && view.scan.state() == Recovery.LogState.LIVE) {
            view.scan.committed().frames().forEach(f -> versions.merge(f.page(), 1, Integer::sum));
        }
        List<Item> items = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Integer, Integer> entry : versions.entrySet()) {
            int page = entry.getKey();
            if (lookupPages.contains(page) || window.shows(index, versions.size())) {
                int frame = view.frameOf(page);
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("page", String.valueOf(page));
                fields.put("frame", String.valueOf(frame));
                fields.put("versions in the log", String.valueOf(entry.getValue()));
                items.add(new Item(indexId(page), "index-entry", index, "page " + page + " -> frame " + frame, -1, 0,
                        "live", List.of(), fields));
                model.link(indexId(page), frameId(frame), "points-to");
            }
            index++;
        }
        model.region(new Region("log-index", "log-index", "WAL index (in memory)",
                Map.of("pages", String.valueOf(versions.size())), versions.size(), items));
    }
}
