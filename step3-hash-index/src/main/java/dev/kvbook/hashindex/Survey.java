package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only look at a store directory, for {@code kv verify} and {@code kv inspect}: every
 * segment scanned and every checksum checked, every hint file compared entry by entry with the
 * segment it describes, and the keydir replayed from the scans. Unlike open it changes nothing:
 * no torn tail is cut, no leftover deleted. Cost: every byte of the store read once. For
 * {@code inspect} the same single read also keeps the records a {@link Window} shows, and
 * {@link #inspection()} builds the structured model from them (what it holds:
 * {@link HashIndexStoreProvider#inspect(Path, Vfs, Window)}).
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
        /** The records kept for the model: those that may fall in the window, and the lookup key's. */
        RecordWindow kept;
        /** Why the segment could not be read at all, or null. */
        String unreadable;
        /** Where the valid records end, and what follows: a torn tail, damage, or nothing (null). */
        long validEnd;
        String tail;
        boolean tailIsProblem;

        SegmentFacts(int id) {
            this.id = id;
        }
    }

    /**
     * The records of one segment that the model may show, kept while the segment is scanned in a
     * single pass, before its length is known: those at indexes {@code [first, first + limit)},
     * the last {@code limit} seen (the window moves back to them when the segment turns out
     * shorter), and every record of the lookup key. So the memory is O(limit), however long the
     * segment.
     */
    private static final class RecordWindow {
        final Window window;
        final byte[] lookupKey;
        final java.util.TreeMap<Long, LogRecord> byIndex = new java.util.TreeMap<>();
        final java.util.ArrayDeque<Long> recent = new java.util.ArrayDeque<>();
        final java.util.Set<Long> pinned = new java.util.HashSet<>();

        RecordWindow(Window window) {
            this.window = window;
            this.lookupKey = window.lookupKey();
        }

        void offer(long index, LogRecord record) {
            boolean inFirst = index >= window.first() && index < window.first() + window.limit();
            boolean ofKey = lookupKey != null && Arrays.equals(lookupKey, record.key());
            byIndex.put(index, record);
            if (inFirst || ofKey) {
                pinned.add(index);
            }
            recent.addLast(index);
            if (recent.size() > window.limit()) {
                long old = recent.removeFirst();
                if (!pinned.contains(old)) {
                    byIndex.remove(old);
                }
            }
        }
    }

    private final Path dir;
    private final List<String> checked = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<Integer, SegmentFacts> facts = new TreeMap<>();
    private final Keydir keydir = new PlainKeydir(); // counts only: the plain one will do
    /** The window of the model to build, or null when only verifying. */
    private final Window window;
    private int leftovers;

    private Survey(Path dir, Window window) {
        this.dir = dir;
        this.window = window;
    }

    /** Surveys {@code dir}; never throws for damage, which it records as problems. */
    static Survey of(Vfs vfs, Path dir) {
        return of(vfs, dir, null);
    }

    /**
     * Surveys {@code dir} as {@link #of(Vfs, Path)} does, also keeping the records the model's
     * {@code window} shows (when not null), in the same single read of each segment.
     */
    static Survey of(Vfs vfs, Path dir, Window window) {
        Survey survey = new Survey(dir, window);
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
                survey.leftovers++;
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
            f.unreadable = e.getMessage();
            return;
        }
        open.add(segment);
        f.size = segment.end();
        f.kept = window == null ? null : new RecordWindow(window);
        List<HintFormat.Entry> entries = new ArrayList<>();
        LogReader reader = new LogReader(segment.file(), segment.path(), LogFormat.FILE_HEADER_SIZE, segment.end(), false);
        for (LogRecord r = reader.next(); r != null; r = reader.next()) {
            if (f.kept != null) {
                f.kept.offer(f.records, r);
            }
            entries.add(Segment.entryOf(r));
            f.records++;
            f.tombstones += r.isTombstone() ? 1 : 0;
            open.apply(keydir, segment, r.type(), r.key(), r.offset(), r.size());
        }
        checked.add(segment.path().getFileName() + ": header, and CRC32C of " + Plural.of(f.records, "record"));
        f.validEnd = reader.validEnd();
        if (reader.stop() == LogReader.Stop.TORN_TAIL && newest) {
            checked.add(segment.path().getFileName() + ": torn tail of " + (f.size - reader.validEnd())
                    + " bytes at offset " + reader.validEnd() + " (not damage: open truncates it)");
            f.tail = "torn tail (not damage: open truncates it)";
        } else if (reader.stop() != LogReader.Stop.CLEAN_END) {
            problems.add(reader.damage().getMessage() + (newest ? "" : " (in a sealed segment, which must be whole)"));
            f.tail = reader.damage().getMessage();
            f.tailIsProblem = true;
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
        return new Inspection(HashIndexStore.NAME, dir, text.toString(), mermaid.toString(),
                window == null ? null : model());
    }

    /** The id of the record at {@code offset} of segment {@code segment}: {@code seg:3@1024}. */
    static String recordId(int segment, long offset) {
        return "seg:" + segment + "@" + offset;
    }

    /**
     * The structured model (what it holds: {@link HashIndexStoreProvider#inspect(Path, Vfs, Window)}):
     * the keydir, then the segments oldest first, from what the scan kept. O(live keys log live
     * keys) to put the keydir in key order; the files are not read again.
     */
    private StoreModel model() {
        StoreModel.Builder model = StoreModel.builder(HashIndexStore.NAME, String.valueOf(dir));
        byte[] lookupKey = window.lookupKey();
        Keydir.Location target = lookupKey == null ? null : keydir.get(lookupKey);
        model.region(keydirRegion(model, target));
        long records = 0;
        for (SegmentFacts f : facts.values()) {
            model.region(segmentRegion(f, f.id == ((TreeMap<Integer, SegmentFacts>) facts).lastKey()));
            records += f.records;
        }
        model.fact("segments", facts.size()).fact("live keys", keydir.size()).fact("records", records);
        if (!facts.isEmpty()) {
            model.fact("active segment", ((TreeMap<Integer, SegmentFacts>) facts).lastKey());
        }
        if (leftovers > 0) {
            model.fact("leftover temporary files", leftovers + " (open deletes them)");
        }
        problems.forEach(model::problem);
        if (lookupKey != null) {
            String damage = problems.isEmpty() ? "" : " (the store has problems: open may refuse it)";
            if (target == null) {
                model.lookup(new Lookup(Keys.toDisplay(lookupKey), false, List.of(),
                        "not in the keydir, so the key is absent: one hash lookup and no file read" + damage));
            } else {
                model.lookup(new Lookup(Keys.toDisplay(lookupKey), true,
                        List.of(Item.keyId(lookupKey), recordId(target.segment(), target.offset())),
                        "one hash lookup in the keydir, then one read of " + target.size() + " bytes at offset "
                                + target.offset() + " of segment " + target.segment() + damage));
            }
        }
        return model.build();
    }

    /** One {@code keydir-entry} per live key in key order, each with a {@code points-to} link to its record. */
    private Region keydirRegion(StoreModel.Builder model, Keydir.Location target) {
        List<Map.Entry<byte[], Keydir.Location>> entries = new ArrayList<>(keydir.size());
        keydir.forEach((key, at) -> entries.add(Map.entry(key, at)));
        entries.sort(Map.Entry.comparingByKey(Keys.COMPARATOR));
        byte[] lookupKey = window.lookupKey();
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            byte[] key = entries.get(i).getKey();
            Keydir.Location at = entries.get(i).getValue();
            if (window.shows(i, entries.size()) || (target != null && Arrays.equals(key, lookupKey))) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("segment", String.valueOf(at.segment()));
                fields.put("offset", String.valueOf(at.offset()));
                fields.put("size", String.valueOf(at.size()));
                items.add(new Item(Item.keyId(key), "keydir-entry", i, Keys.toDisplay(key), -1, 0, "live",
                        List.of(Keys.toDisplay(key)), fields));
                model.link(Item.keyId(key), recordId(at.segment(), at.offset()), "points-to");
            }
        }
        return new Region("keydir", "keydir", "keydir: " + Plural.of(entries.size(), "live key"),
                Map.of("live keys", String.valueOf(entries.size())), entries.size(), items);
    }

    /**
     * One segment's records by offset: a PUT is {@code live} when the keydir points at it, a
     * superseded or deleted PUT and every tombstone {@code dead} (a merge drops them all); bytes
     * after the valid records are one {@code damaged} item.
     */
    private Region segmentRegion(SegmentFacts f, boolean active) {
        String regionId = "seg:" + f.id;
        String name = SegmentFormat.dataPath(dir, f.id).getFileName().toString();
        long live = liveBytesOf(f.id);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", name);
        facts.put("bytes", String.valueOf(f.size));
        facts.put("records", String.valueOf(f.records));
        facts.put("live", String.valueOf(f.liveKeys));
        facts.put("dead", String.valueOf(f.records - f.liveKeys));
        facts.put("live bytes", String.valueOf(live));
        facts.put("garbage bytes", String.valueOf(Math.max(0, f.size - LogFormat.FILE_HEADER_SIZE - live)));
        facts.put("hint", f.hint);
        facts.put("hint file", String.valueOf(!f.hint.startsWith("none")));
        String label = "segment " + f.id + (active ? " (active)" : " (sealed)");
        if (f.unreadable != null) {
            return new Region(regionId, "segment", label, facts, 1, List.of(new Item(regionId + "@0", "damaged", 0,
                    "unreadable", 0, f.size, "damaged", List.of(), Map.of("problem", f.unreadable))));
        }
        long total = f.records + (f.tail == null ? 0 : 1);
        List<Item> items = new ArrayList<>();
        for (Map.Entry<Long, LogRecord> kept : f.kept.byIndex.entrySet()) {
            long index = kept.getKey();
            LogRecord r = kept.getValue();
            if (!window.shows(index, total) && !f.kept.pinned.contains(index)) {
                continue;
            }
            boolean isLive = !r.isTombstone()
                    && new Keydir.Location(f.id, (int) r.offset(), r.size()).equals(keydir.get(r.key()));
            if (!window.shows(index, total) && !isLive) {
                continue; // outside the window, kept for the lookup, but a get reads only the live record
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("type", r.typeName());
            if (!r.isTombstone()) {
                fields.put("value size", String.valueOf(r.valueLength()));
            }
            if (!isLive) {
                fields.put("why dead", r.isTombstone() ? "a tombstone: a merge drops it with the records it hides"
                        : keydir.get(r.key()) != null ? "superseded: the keydir points at a later record of this key"
                        : "its key is deleted");
            }
            items.add(new Item(recordId(f.id, r.offset()), r.isTombstone() ? "tombstone" : "record", index,
                    (r.isTombstone() ? "DEL " : "PUT ") + Keys.toDisplay(r.key()), r.offset(), r.size(),
                    isLive ? "live" : "dead", List.of(Keys.toDisplay(r.key())), fields));
        }
        if (f.tail != null && window.shows(total - 1, total)) {
            items.add(new Item(recordId(f.id, f.validEnd), "damaged", total - 1,
                    f.tailIsProblem ? "damage" : "torn tail", f.validEnd, f.size - f.validEnd, "damaged", List.of(),
                    Map.of("problem", f.tail)));
        }
        return new Region(regionId, "segment", label, facts, total, items);
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
