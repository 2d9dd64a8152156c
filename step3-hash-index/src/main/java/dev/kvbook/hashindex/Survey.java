package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only look at a store directory, for {@code kv verify} and {@code kv inspect}: every
 * segment scanned and every checksum checked, every hint file compared entry by entry with the
 * segment it describes, and the keydir replayed from the scans. Unlike open it changes nothing:
 * no torn tail is cut, no leftover deleted. Cost: every byte of the store read once.
 */
final class Survey {

    /** What one segment turned out to hold. */
    private static final class SegmentFacts {
        final int id;
        long size;
        int records;
        int tombstones;
        int liveKeys;
        String hint = "none";

        SegmentFacts(int id) {
            this.id = id;
        }
    }

    private final Path dir;
    private final List<String> checked = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, SegmentFacts> facts = new TreeMap<>();
    private final Keydir keydir = new PlainKeydir(); // counts only: the plain one will do

    private Survey(Path dir) {
        this.dir = dir;
    }

    /** Surveys {@code dir}; never throws for damage, which it records as problems. */
    static Survey of(Vfs vfs, Path dir) {
        Survey survey = new Survey(dir);
        if (!vfs.exists(dir)) {
            survey.problems.add(dir + ": no such store directory");
            return survey;
        }
        List<Integer> ids = new ArrayList<>();
        List<Integer> hintIds = new ArrayList<>();
        for (Path file : vfs.list(dir)) {
            SegmentFormat.dataId(file).ifPresent(ids::add);
            SegmentFormat.hintId(file).ifPresent(hintIds::add);
            if (SegmentFormat.isTemp(file)) {
                survey.checked.add(file.getFileName() + ": leftover temporary file (open deletes it)");
            }
        }
        survey.checked.add(Plural.of(ids.size(), "segment file") + ", " + Plural.of(hintIds.size(), "hint file"));
        Segments open = new Segments();
        try {
            for (int i = 0; i < ids.size(); i++) {
                survey.segment(vfs, open, ids.get(i), i == ids.size() - 1);
            }
        } finally {
            open.closeAll();
        }
        for (int id : hintIds) {
            if (!ids.contains(id)) {
                survey.checked.add(SegmentFormat.hintPath(dir, id).getFileName() + ": hint without a segment (open deletes it)");
            }
        }
        survey.keydir.forEach((key, at) -> survey.facts.get(at.segment()).liveKeys++);
        return survey;
    }

    /** Scans one segment into the keydir and checks its hint file. */
    private void segment(Vfs vfs, Segments open, int id, boolean newest) {
        SegmentFacts f = new SegmentFacts(id);
        facts.put(id, f);
        Segment segment;
        try {
            segment = Segment.openReadOnly(vfs, dir, id);
        } catch (CorruptionException e) {
            problems.add(e.getMessage());
            return;
        }
        open.add(segment);
        f.size = segment.end();
        List<HintFormat.Entry> entries = new ArrayList<>();
        LogReader reader = new LogReader(segment.file(), segment.path(), LogFormat.FILE_HEADER_SIZE, segment.end(), false);
        for (LogRecord r = reader.next(); r != null; r = reader.next()) {
            entries.add(Segment.entryOf(r));
            f.records++;
            f.tombstones += r.isTombstone() ? 1 : 0;
            open.apply(keydir, segment, r.type(), r.key(), r.offset(), r.size());
        }
        checked.add(segment.path().getFileName() + ": header, and CRC32C of " + Plural.of(f.records, "record"));
        if (reader.stop() == LogReader.Stop.TORN_TAIL && newest) {
            checked.add(segment.path().getFileName() + ": torn tail of " + (f.size - reader.validEnd())
                    + " bytes at offset " + reader.validEnd() + " (not damage: open truncates it)");
        } else if (reader.stop() != LogReader.Stop.CLEAN_END) {
            problems.add(reader.damage().getMessage() + (newest ? "" : " (in a sealed segment, which must be whole)"));
        }
        f.hint = hint(vfs, id, newest, segment.end(), entries, reader.stop() == LogReader.Stop.CLEAN_END);
    }

    /** Checks segment {@code id}'s hint against its scanned records; returns its status for a person. */
    private String hint(Vfs vfs, int id, boolean newest, long size, List<HintFormat.Entry> scanned, boolean whole) {
        if (!HintFile.exists(vfs, dir, id)) {
            return newest ? "none (active)" : "none (open scans the segment)";
        }
        if (newest) {
            return "present but ignored (active segment; open deletes it)";
        }
        Path path = SegmentFormat.hintPath(dir, id);
        List<HintFormat.Entry> hinted;
        try {
            hinted = HintFile.read(vfs, dir, id, size);
        } catch (CorruptionException e) {
            problems.add(e.getMessage() + " (open scans the segment instead)");
            return "damaged";
        }
        checked.add(path.getFileName() + ": header, CRC32C of " + hinted.size() + " entries, and each against its record");
        if (!whole) {
            return "not compared (segment damaged)";
        }
        for (int i = 0; i < Math.max(hinted.size(), scanned.size()); i++) {
            HintFormat.Entry h = i < hinted.size() ? hinted.get(i) : null;
            HintFormat.Entry s = i < scanned.size() ? scanned.get(i) : null;
            if (h == null || s == null || h.type() != s.type() || h.offset() != s.offset()
                    || h.recordSize() != s.recordSize() || !Arrays.equals(h.key(), s.key())) {
                problems.add(path + ": entry " + i + " " + describe(h) + " does not match the segment's record " + describe(s));
                return "inconsistent with its segment";
            }
        }
        return "valid (" + hinted.size() + " entries)";
    }

    private static String describe(HintFormat.Entry e) {
        return e == null ? "(none)" : LogFormat.typeName(e.type()) + "@" + e.offset() + "+" + e.recordSize();
    }

    VerifyReport report() {
        return new VerifyReport(HashIndexStore.NAME, dir, checked, problems);
    }

    /** Text and a Mermaid diagram: keydir -> segments, with sizes, live and garbage bytes, hints. */
    Inspection inspection() {
        StringBuilder text = new StringBuilder("step3 hash index " + dir + "\n");
        text.append(String.format("%-12s %10s %8s %6s %10s %10s %9s  %s%n", "segment", "bytes", "records", "tombs",
                "live", "garbage", "liveKeys", "hint"));
        StringBuilder mermaid = new StringBuilder("flowchart LR\n");
        mermaid.append("  keydir[\"keydir: ").append(keydir.size()).append(" live keys\"]\n");
        Map<Integer, Integer> keysPer = new HashMap<>();
        facts.values().forEach(f -> keysPer.put(f.id, f.liveKeys));
        Integer newest = facts.isEmpty() ? null : ((TreeMap<Integer, SegmentFacts>) facts).lastKey();
        for (SegmentFacts f : facts.values()) {
            long garbage = Math.max(0, f.size - LogFormat.FILE_HEADER_SIZE - liveBytesOf(f.id));
            String name = SegmentFormat.dataPath(dir, f.id).getFileName().toString();
            text.append(String.format("%-12s %10d %8d %6d %10d %10d %9d  %s%n", name, f.size, f.records, f.tombstones,
                    liveBytesOf(f.id), garbage, f.liveKeys, f.hint));
            String role = f.id == newest ? "active" : "sealed";
            mermaid.append("  s").append(f.id).append("[\"").append(name).append(" (").append(role).append(")<br/>")
                    .append(f.size).append(" bytes, ").append(garbage).append(" garbage<br/>hint: ").append(f.hint)
                    .append("\"]\n");
            if (keysPer.get(f.id) > 0) {
                mermaid.append("  keydir -- \"").append(keysPer.get(f.id)).append(" keys\" --> s").append(f.id).append('\n');
            }
        }
        text.append(problems.isEmpty() ? "no problems\n" : String.join("\n", problems) + "\n");
        return new Inspection(HashIndexStore.NAME, dir, text.toString(), mermaid.toString());
    }

    private long liveBytesOf(int id) {
        long[] live = {0};
        keydir.forEach((key, at) -> {
            if (at.segment() == id) {
                live[0] += at.size();
            }
        });
        return live[0];
    }
}
