package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a log for a person ({@code kv inspect}): the header, then each record with its
 * offset, size, type, key, value size and whether it is live, superseded or a tombstone; and the
 * same as a Mermaid diagram. Long logs are cut to their first records plus a summary. A record
 * written right after an fsync shows its {@link LogFormat#SYNCED_BEFORE} flag as a type such as
 * "PUT (after fsync)".
 *
 * The listing pass also builds the structured model, paged by a {@link Window} (what it holds:
 * {@link AppendLogStoreProvider#inspect(Path, Vfs, Window)}).
 *
 * <p>Reads only (the file opened read-only, so read-only media will do), and takes no lock. Three passes over the log: one to find where it ends, one
 * (a {@link LogReplay}) to learn each key's live record, one to list and build the model.
 */
final class LogInspector {

    /** Records listed in the text before the listing is cut short. */
    static final int LISTED_RECORDS = 100;

    /** Records drawn in the diagram before the rest become one "more" box. */
    static final int DRAWN_RECORDS = 12;

    /** The log's region id, and the prefix of its items' ids. */
    static final String FILE = "file";

    /** The region of a leftover {@code <file>.compact}. */
    static final String COMPACT = "compact";

    private LogInspector() {
    }

    /** Inspects the log at {@code path}. O(file size) reads, O(live keys) memory. */
    static Inspection inspect(Path path, Vfs vfs, Window window) {
        StoreModel.Builder model = StoreModel.builder(AppendLogStore.NAME, String.valueOf(path));
        Inspection inspection;
        if (!vfs.exists(path)) {
            model.fact("file", "none yet");
            model.region(new Region(FILE, "file", "no file yet", Map.of(), 0, List.of()));
            lookup(model, window, false, List.of(), "no log file yet: an empty store");
            inspection = new Inspection(AppendLogStore.NAME, path, "no file at " + path + "\n",
                    "flowchart LR\n  missing[\"no file\"]\n", null);
        } else {
            VfsFile file = vfs.openReadOnly(path);
            try {
                inspection = describe(path, file, window, model);
            } finally {
                file.close();
            }
        }
        leftover(vfs, Compactor.tempPathOf(path), window, model);
        return new Inspection(inspection.store(), inspection.path(), inspection.text(), inspection.mermaid(),
                model.build());
    }

    private static Inspection describe(Path path, VfsFile file, Window window, StoreModel.Builder model) {
        long size = file.size();
        String name = String.valueOf(path.getFileName());
        model.fact("file", name).fact("bytes", size);
        StringBuilder text = new StringBuilder("step2 append-only log " + path + ", " + size + " bytes\n");
        try {
            LogFormat.checkFileHeader(file, path);
        } catch (CorruptionException e) {
            text.append("bad header: ").append(e.getMessage()).append('\n');
            model.problem(e.getMessage());
            model.region(new Region(FILE, "file", name + ", " + size + " bytes", Map.of("file", name, "bytes",
                    String.valueOf(size)), 1, List.of(new Item(FILE + "@0", "damaged", 0, "bad header", 0, size,
                    "damaged", List.of(), Map.of("problem", e.getMessage())))));
            lookup(model, window, false, List.of(), "the log's header is bad, so the store would not open");
            return new Inspection(AppendLogStore.NAME, path, text.toString(),
                    "flowchart LR\n  header[\"bad header\"]\n");
        }
        LogReader ending = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, size, false);
        while (ending.next() != null) {
            // find where the valid log ends
        }
        LogReplay replay = LogReplay.of(file, path, ending.validEnd(), false);
        boolean damagedTail = ending.stop() != LogReader.Stop.CLEAN_END;
        long total = 1 + replay.records() + (damagedTail ? 1 : 0);
        byte[] key = window.lookupKey();
        List<Item> items = new ArrayList<>();
        List<String> touched = new ArrayList<>();
        LogRecord lastOfKey = null;
        if (window.shows(0, total)) {
            items.add(new Item(FILE + "@0", "header", 0, "header", 0, LogFormat.FILE_HEADER_SIZE, "live", List.of(),
                    Map.of("magic", LogFormat.hex(LogFormat.MAGIC), "version", String.valueOf(LogFormat.VERSION_CURRENT))));
        }
        List<String[]> rows = new ArrayList<>(); // offset, size, type, key, value size, status
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, ending.validEnd(), false);
        long index = 1;
        for (LogRecord record = reader.next(); record != null; record = reader.next(), index++) {
            if (rows.size() < Math.max(LISTED_RECORDS, DRAWN_RECORDS)) {
                rows.add(row(record, replay));
            }
            boolean ofKey = key != null && Arrays.equals(record.key(), key);
            if (window.shows(index, total) || ofKey) {
                items.add(item(record, index, replay));
                touched.add(FILE + "@" + record.offset());
            }
            if (ofKey) {
                lastOfKey = record;
            }
        }
        String ends = ending(ending, size);
        if (damagedTail) {
            addDamage(ending, size, total, window, items, model);
        }
        model.fact("records", replay.records()).fact("live keys", replay.liveKeys())
                .fact("tombstones", replay.tombstones()).fact("live bytes", replay.liveBytes())
                .fact("garbage bytes", replay.garbageBytes());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", name);
        facts.put("bytes", String.valueOf(size));
        facts.put("records", String.valueOf(replay.records()));
        facts.put("live", String.valueOf(replay.liveKeys()));
        facts.put("dead", String.valueOf(replay.records() - replay.liveKeys()));
        facts.put("end of log", String.valueOf(ending.validEnd()));
        model.region(new Region(FILE, "file", name + ", " + size + " bytes", facts, total, items));
        if (ending.stop() == LogReader.Stop.CORRUPTION) {
            lookup(model, window, false, List.of(), "the log is damaged before its end, so open refuses the store");
        } else {
            boolean found = lastOfKey != null && !lastOfKey.isTombstone();
            lookup(model, window, found, touched, lookupNote(replay.records(), ending.validEnd(), lastOfKey,
                    damagedTail));
        }
        listRecords(text, rows, replay);
        text.append(ends).append('\n');
        text.append(String.format("%s: %d live, %d superseded, %s; %d live bytes, %d garbage bytes%n",
                Plural.of(replay.records(), "record"), replay.liveKeys(), replay.records() - replay.liveKeys() - replay.tombstones(),
                Plural.of(replay.tombstones(), "tombstone"), replay.liveBytes(), replay.garbageBytes()));
        return new Inspection(AppendLogStore.NAME, path, text.toString(), diagram(rows, replay, ends));
    }

    /**
     * A record as a model item: a PUT is {@code live} while it is its key's last record, else
     * {@code dead} (superseded or deleted); a tombstone is always {@code dead}, because compaction
     * drops it together with what it hides (a key missing from the compacted log is absent).
     */
    private static Item item(LogRecord record, long index, LogReplay replay) {
        boolean live = !record.isTombstone() && replay.isLive(record.key(), record.offset());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", record.typeName());
        if (!record.isTombstone()) {
            fields.put("value size", String.valueOf(record.valueLength()));
        }
        fields.put("synced before", String.valueOf(record.syncedBefore()));
        if (!live) {
            fields.put("why dead", record.isTombstone()
                    ? "a tombstone: compaction drops it with the records it hides"
                    : replay.isLiveKey(record.key())
                    ? "superseded: a later record of this key holds its value" : "its key is deleted");
        }
        return new Item(FILE + "@" + record.offset(), record.isTombstone() ? "tombstone" : "record", index,
                (record.isTombstone() ? "DEL " : "PUT ") + Keys.toDisplay(record.key()), record.offset(),
                record.size(), live ? "live" : "dead", List.of(Keys.toDisplay(record.key())), fields);
    }

    /** The bytes after the valid log: a torn tail open truncates, or corruption open refuses. */
    private static void addDamage(LogReader ending, long size, long total, Window window, List<Item> items,
                                  StoreModel.Builder model) {
        boolean torn = ending.stop() == LogReader.Stop.TORN_TAIL;
        String problem = (torn ? "torn tail (not corruption; the next open truncates it): " : "")
                + ending.damage().getMessage();
        model.problem(problem);
        if (window.shows(total - 1, total)) {
            items.add(new Item(FILE + "@" + ending.validEnd(), "damaged", total - 1,
                    torn ? "torn tail" : "corruption", ending.validEnd(), size - ending.validEnd(), "damaged",
                    List.of(), Map.of("problem", problem)));
        }
    }

    private static String lookupNote(long records, long end, LogRecord last, boolean tornTail) {
        String scan = "a get reads and checksums all " + Plural.of(records, "record") + " (" + end + " bytes; the "
                + "path lists those in the window and this key's), keeping the last record of the key";
        String then = last == null ? ": none, so the key is absent"
                : last.isTombstone() ? ": a tombstone, so the key is absent"
                : ", then reads that record again for its value";
        return scan + then + (tornTail ? " (after open truncated the torn tail)" : "");
    }

    /** The lookup of {@code window.lookupKey()}, if it asked for one. */
    private static void lookup(StoreModel.Builder model, Window window, boolean found, List<String> touched,
                               String note) {
        byte[] key = window.lookupKey();
        if (key != null) {
            model.lookup(new Lookup(Keys.toDisplay(key), found, touched, note));
        }
    }

    /**
     * A {@code <file>.compact} left by a compaction a crash interrupted: region {@code compact},
     * its records {@code dead} (the next open deletes the file), ids {@code compact@<offset>}.
     */
    private static void leftover(Vfs vfs, Path temp, Window window, StoreModel.Builder model) {
        if (!vfs.exists(temp)) {
            return;
        }
        String name = String.valueOf(temp.getFileName());
        try (VfsFile file = vfs.openReadOnly(temp)) {
            long size = file.size();
            long total = 0;
            try {
                LogFormat.checkFileHeader(file, temp);
                LogReader counter = new LogReader(file, temp, LogFormat.FILE_HEADER_SIZE, size, false);
                while (counter.next() != null) {
                    total++;
                }
            } catch (CorruptionException e) {
                total = -1; // not even a header: a compaction cut short at its first write
            }
            List<Item> items = new ArrayList<>();
            if (total > 0) {
                LogReader reader = new LogReader(file, temp, LogFormat.FILE_HEADER_SIZE, size, false);
                long i = 0;
                for (LogRecord r = reader.next(); r != null; r = reader.next(), i++) {
                    if (window.shows(i, total)) {
                        items.add(new Item(COMPACT + "@" + r.offset(), r.isTombstone() ? "tombstone" : "record", i,
                                (r.isTombstone() ? "DEL " : "PUT ") + Keys.toDisplay(r.key()), r.offset(), r.size(),
                                "dead", List.of(Keys.toDisplay(r.key())),
                                Map.of("why dead", "a leftover of an interrupted compaction: the next open deletes it")));
                    }
                }
            }
            model.region(new Region(COMPACT, "file", name + ", " + size + " bytes, left by an interrupted compaction",
                    Map.of("file", name, "bytes", String.valueOf(size)), Math.max(0, total), items));
        }
    }

    private static String[] row(LogRecord record, LogReplay replay) {
        String status = record.isTombstone() ? "tombstone"
                : replay.isLive(record.key(), record.offset()) ? "live" : "superseded";
        return new String[] {Long.toString(record.offset()), Integer.toString(record.size()),
                record.typeName(), Keys.toDisplay(record.key()),
                record.isTombstone() ? "-" : Integer.toString(record.valueLength()), status};
    }

    private static void listRecords(StringBuilder text, List<String[]> rows, LogReplay replay) {
        String format = "%8s  %7s  %-23s  %-24s  %10s  %s%n";
        text.append(String.format(format, "offset", "size", "type", "key", "value size", "status"));
        text.append(String.format(format, "0", LogFormat.FILE_HEADER_SIZE, "header", "magic \"KVLG\"",
                "-", "version " + LogFormat.VERSION_CURRENT));
        int listed = Math.min(rows.size(), LISTED_RECORDS);
        for (String[] row : rows.subList(0, listed)) {
            text.append(String.format(format, (Object[]) row));
        }
        if (replay.records() > listed) {
            text.append("... ").append(replay.records() - listed).append(" more records not listed (first ")
                    .append(listed).append(" shown)\n");
        }
    }

    private static String ending(LogReader reader, long size) {
        return switch (reader.stop()) {
            case CLEAN_END -> "end of log at offset " + size + ": clean";
            case TORN_TAIL -> "end of log at offset " + reader.validEnd() + ", then a torn tail of "
                    + (size - reader.validEnd()) + " bytes that open will truncate: " + reader.damage().getMessage();
            case CORRUPTION -> "CORRUPTION at offset " + reader.validEnd() + " (records after it not listed): "
                    + reader.damage().getMessage();
        };
    }

    /** The log as a left-to-right chain of boxes: header, records coloured by status, the end. */
    private static String diagram(List<String[]> rows, LogReplay replay, String ends) {
        StringBuilder m = new StringBuilder("flowchart LR\n");
        m.append("  header[\"@0 header<br/>KVLG v").append(LogFormat.VERSION_CURRENT).append("\"]\n");
        String previous = "header";
        int drawn = Math.min(rows.size(), DRAWN_RECORDS);
        for (int i = 0; i < drawn; i++) {
            String[] row = rows.get(i);
            String node = "r" + i;
            m.append("  ").append(node).append("[\"@").append(row[0]).append(' ').append(row[2]).append(' ')
                    .append(label(row[3])).append("<br/>").append(row[5]).append("\"]:::").append(row[5]).append('\n');
            m.append("  ").append(previous).append(" --> ").append(node).append('\n');
            previous = node;
        }
        if (replay.records() > drawn) {
            m.append("  more[\"... ").append(replay.records() - drawn).append(" more records\"]\n");
            m.append("  ").append(previous).append(" --> more\n");
            previous = "more";
        }
        m.append("  tail([\"").append(label(ends.length() > 60 ? ends.substring(0, 60) + "..." : ends))
                .append("\"])\n");
        m.append("  ").append(previous).append(" --> tail\n");
        m.append("  classDef live fill:#c8e6c9,stroke:#2e7d32\n");
        m.append("  classDef superseded fill:#eeeeee,stroke:#9e9e9e,color:#616161\n");
        m.append("  classDef tombstone fill:#ffcdd2,stroke:#c62828\n");
        return m.toString();
    }

    /** Text made safe inside a quoted Mermaid label. */
    private static String label(String text) {
        return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }
}
