package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a log for a person ({@code kv inspect}): the header, then each record with its
 * offset, size, type, key, value size and whether it is live, superseded or a tombstone; and the
 * same as a Mermaid diagram. Long logs are cut to their first records plus a summary. A record
 * written right after an fsync shows its {@link LogFormat#SYNCED_BEFORE} flag as a type such as
 * "PUT (after fsync)".
 *
 * <p>Reads only (the file opened read-only, so read-only media will do), and takes no lock. Three passes over the log: one to find where it ends, one
 * (a {@link LogReplay}) to learn each key's live record, one to list.
 */
final class LogInspector {

    /** Records listed in the text before the listing is cut short. */
    static final int LISTED_RECORDS = 100;

    /** Records drawn in the diagram before the rest become one "more" box. */
    static final int DRAWN_RECORDS = 12;

    private LogInspector() {
    }

    /** Inspects the log at {@code path}. O(file size) reads, O(live keys) memory. */
    static Inspection inspect(Path path, Vfs vfs) {
        if (!vfs.exists(path)) {
            return new Inspection(AppendLogStore.NAME, path, "no file at " + path + "\n",
                    "flowchart LR\n  missing[\"no file\"]\n");
        }
        VfsFile file = vfs.openReadOnly(path);
        try {
            return describe(path, file);
        } finally {
            file.close();
        }
    }

    private static Inspection describe(Path path, VfsFile file) {
        long size = file.size();
        StringBuilder text = new StringBuilder("step2 append-only log " + path + ", " + size + " bytes\n");
        try {
            LogFormat.checkFileHeader(file, path);
        } catch (CorruptionException e) {
            text.append("bad header: ").append(e.getMessage()).append('\n');
            return new Inspection(AppendLogStore.NAME, path, text.toString(),
                    "flowchart LR\n  header[\"bad header\"]\n");
        }
        LogReader ending = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, size, false);
        while (ending.next() != null) {
            // find where the valid log ends
        }
        LogReplay replay = LogReplay.of(file, path, ending.validEnd(), false);
        List<String[]> rows = new ArrayList<>(); // offset, size, type, key, value size, status
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, ending.validEnd(), false);
        for (LogRecord record = reader.next(); record != null; record = reader.next()) {
            if (rows.size() < Math.max(LISTED_RECORDS, DRAWN_RECORDS)) {
                rows.add(row(record, replay));
            }
        }
        String ends = ending(ending, size);
        listRecords(text, rows, replay);
        text.append(ends).append('\n');
        text.append(String.format("%s: %d live, %d superseded, %s; %d live bytes, %d garbage bytes%n",
                Plural.of(replay.records(), "record"), replay.liveKeys(), replay.records() - replay.liveKeys() - replay.tombstones(),
                Plural.of(replay.tombstones(), "tombstone"), replay.liveBytes(), replay.garbageBytes()));
        return new Inspection(AppendLogStore.NAME, path, text.toString(), diagram(rows, replay, ends));
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
