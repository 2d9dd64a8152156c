package dev.kvbook.lsm;

import dev.kvbook.api.Keys;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.applog.LogRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 6's store as data, built from a {@link Survey} (which read every file once):
 *
 * <ul>
 *   <li>{@code header}: {@code CURRENT} and the manifest it names ({@code MANIFEST-000005}), with the
 *       manifest's facts: edits, live log number, next file number, a torn tail.</li>
 *   <li>{@code log}: the live write-ahead log's records, not yet in any table, by file and offset
 *       ({@code log:<number>@<offset>}): {@code record} (a put) or {@code tombstone}, {@code live}
 *       when it is its key's newest record, {@code dead} when a later record overwrote it.</li>
 *   <li>{@code memtable}: what those records make in memory after recovery, one item per key in key
 *       order ({@code mem:<key hex>}), each {@code points-to} the log record it came from.</li>
 *   <li>one {@code lsm-level} region per level, {@code L0} to the deepest level holding a table: items
 *       {@code table:<number>} of kind {@code table} (or {@code damaged}) whose keys are its smallest
 *       and largest, with fields entries, bytes, blocks and Bloom bits per key. L0's tables may
 *       overlap and are listed newest first; each deeper level's are disjoint, in key order.</li>
 *   <li>with a lookup key, what a {@code get} does: the memtable first (its entry, if the key has
 *       one, ends the search), then each table whose key range covers the key, L0 newest first and
 *       then one per deeper level, until one holds the key. {@code touched} lists only the tables
 *       whose block was read; a table whose Bloom filter ruled the key out is not read, so it is not
 *       in {@code touched}, but it is kept in the model and the note names it and counts them.</li>
 * </ul>
 * Each region counts all its items and keeps the window's, plus the lookup's (the memtable entry
 * and every table the get considered, read or filtered).
 */
final class LsmModel {

    private final Survey survey;
    private final Window window;
    private final StoreModel.Builder model;

    private LsmModel(Survey survey, Window window) {
        this.survey = survey;
        this.window = window;
        this.model = StoreModel.builder(LsmStore.NAME, survey.dir().toString());
    }

    /** The model of what {@code survey} found, paged by {@code window}. */
    static StoreModel build(Survey survey, Window window) {
        LsmModel m = new LsmModel(survey, window);
        if (survey.replayed() != null) {
            TreeMap<byte[], LogRecord> memtable = memtable(survey);
            Lookup lookup = m.lookup(memtable);
            m.header();
            m.log(memtable);
            m.memtable(memtable, lookup);
            m.levels(lookup);
            m.model.lookup(lookup);
        }
        survey.problems().forEach(m.model::problem);
        return m.model.build();
    }

    /** The newest record of each key in the live logs, oldest log first: what recovery puts in the memtable. */
    private static TreeMap<byte[], LogRecord> memtable(Survey survey) {
        TreeMap<byte[], LogRecord> newest = new TreeMap<>(Keys.COMPARATOR);
        survey.logRecords.values().forEach(records -> records.forEach(r -> newest.put(r.key(), r)));
        return newest;
    }

    private void header() {
        Manifest.Replayed replayed = survey.replayed();
        String manifest = StoreFiles.manifestName(survey.manifestNumber());
        List<Item> items = new ArrayList<>();
        items.add(new Item("CURRENT", "header", 0, "CURRENT -> " + manifest, 0, 0, "live", List.of(),
                Map.of("names", manifest)));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("edits", String.valueOf(replayed.edits()));
        fields.put("live log", StoreFiles.logName(replayed.logNumber()));
        fields.put("next file number", String.valueOf(replayed.nextFileNumber()));
        fields.put("tables", String.valueOf(survey.tables().size()));
        fields.put("files no edit names", String.valueOf(survey.garbageFiles()));
        if (replayed.tornTail() != null) {
            fields.put("torn tail", replayed.tornTail());
        }
        items.add(new Item(manifest, "header", 1, manifest + ": " + replayed.edits() + " edits", 0, 0, "live", List.of(), fields));
        model.region(new Region("header", "header", "CURRENT and the manifest", Map.of(), items.size(), items));
        model.fact("manifest", manifest).fact("live log", StoreFiles.logName(replayed.logNumber()))
                .fact("tables", survey.tables().size())
                .fact("table bytes", survey.tables().stream().mapToLong(t -> t.info().size()).sum());
    }

    private static String recordId(long log, LogRecord record) {
        return "log:" + log + "@" + record.offset();
    }

    private void log(TreeMap<byte[], LogRecord> memtable) {
        long total = survey.logRecords.values().stream().mapToLong(List::size).sum();
        List<Item> items = new ArrayList<>();
        long index = 0;
        for (Map.Entry<Long, List<LogRecord>> log : survey.logRecords.entrySet()) {
            for (LogRecord r : log.getValue()) {
                if (window.shows(index, total)) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("file", StoreFiles.logName(log.getKey()));
                    fields.put("value bytes", String.valueOf(r.valueLength()));
                    fields.put("synced before", String.valueOf(r.syncedBefore()));
                    items.add(new Item(recordId(log.getKey(), r), r.isTombstone() ? "tombstone" : "record", index,
                            r.typeName() + " " + Keys.toDisplay(r.key()), r.offset(), r.size(),
                            memtable.get(r.key()) == r ? "live" : "dead", List.of(Keys.toDisplay(r.key())), fields));
                }
                index++;
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        survey.logRecords.forEach((n, records) -> facts.put(StoreFiles.logName(n), records.size() + " records"));
        model.region(new Region("log", "log", "write-ahead log (records not yet in a table)", facts, total, items));
    }

    private void memtable(TreeMap<byte[], LogRecord> memtable, Lookup lookup) {
        List<Item> items = new ArrayList<>();
        long index = 0;
        for (LogRecord r : memtable.values()) {
            String id = Item.keyId(r.key()).replaceFirst("^key:", "mem:");
            if (window.shows(index, memtable.size()) || lookup != null && lookup.touched().contains(id)) {
                long log = logOf(r);
                items.add(new Item(id, r.isTombstone() ? "tombstone" : "record", index, Keys.toDisplay(r.key()), -1, 0, "live",
                        List.of(Keys.toDisplay(r.key())), Map.of("value bytes", String.valueOf(r.valueLength()))));
                model.link(id, recordId(log, r), "points-to");
            }
            index++;
        }
        model.region(new Region("memtable", "memtable", "memtable (in memory, rebuilt from the log)",
                Map.of("keys", String.valueOf(memtable.size())), memtable.size(), items));
    }

    /** The log a memtable record came from: the newest log holding this very record (compared by identity). */
    private long logOf(LogRecord record) {
        for (Map.Entry<Long, List<LogRecord>> log : survey.logRecords.descendingMap().entrySet()) {
            List<LogRecord> records = log.getValue();
            int low = 0;
            int high = records.size() - 1;
            while (low <= high) { // a log's records are in offset order
                int mid = (low + high) >>> 1;
                long offset = records.get(mid).offset();
                if (offset == record.offset()) {
                    if (records.get(mid) == record) {
                        return log.getKey();
                    }
                    break;
                }
                if (offset < record.offset()) {
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
        }
        throw new IllegalStateException("a memtable record from no log: " + record);
    }

    /** The levels' tables in the order a get visits them: L0 newest first, deeper levels in key order. */
    private List<List<Survey.TableFound>> ordered() {
        List<List<Survey.TableFound>> levels = new ArrayList<>();
        int deepest = survey.tables().stream().mapToInt(Survey.TableFound::level).max().orElse(-1);
        for (int n = 0; n <= deepest; n++) {
            int level = n;
            List<Survey.TableFound> in = new ArrayList<>(survey.tables().stream().filter(t -> t.level() == level).toList());
            in.sort(level == 0 ? (a, b) -> Long.compare(b.info().number(), a.info().number())
                    : (a, b) -> Keys.COMPARATOR.compare(a.info().smallest(), b.info().smallest()));
            levels.add(in);
        }
        return levels;
    }

    private static String tableId(long number) {
        return "table:" + String.format("%06d", number);
    }

    private void levels(Lookup lookup) {
        List<List<Survey.TableFound>> levels = ordered();
        for (int n = 0; n < levels.size(); n++) {
            List<Survey.TableFound> in = levels.get(n);
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                Survey.TableFound t = in.get(i);
                boolean considered = t.probe() != Survey.Probe.NOT_COVERED
                        || lookup != null && lookup.touched().contains(tableId(t.info().number()));
                if (considered || window.shows(i, in.size())) {
                    items.add(tableItem(t, i));
                }
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("tables", String.valueOf(in.size()));
            facts.put("bytes", String.valueOf(in.stream().mapToLong(t -> t.info().size()).sum()));
            model.region(new Region("L" + n, "lsm-level", "level " + n + (n == 0 ? " (overlapping, newest first)" : ""),
                    facts, in.size(), items));
        }
    }

    private Item tableItem(Survey.TableFound t, long index) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("file", StoreFiles.tableName(t.info().number()));
        fields.put("level", String.valueOf(t.level()));
        fields.put("bytes", String.valueOf(t.info().size()));
        String id = tableId(t.info().number());
        if (t.problem() != null) {
            fields.put("range", Keys.toDisplay(t.info().smallest()) + " .. " + Keys.toDisplay(t.info().largest()));
            fields.put("problem", t.problem());
            return new Item(id, "damaged", index, StoreFiles.tableName(t.info().number()) + ": damaged", 0,
                    t.info().size(), "damaged", List.of(), fields);
        }
        fields.put("entries", String.valueOf(t.cells()));
        fields.put("blocks", String.valueOf(t.blocks()));
        fields.put("bloom bits per key", t.cells() == 0 ? "0" : String.format("%.1f", (double) t.filterBits() / t.cells()));
        if (t.probe() == Survey.Probe.FILTERED) {
            fields.put("lookup", "ruled out by its Bloom filter: not read");
        }
        return new Item(id, "table", index, StoreFiles.tableName(t.info().number()), 0, t.info().size(), "live",
                List.of(Keys.toDisplay(t.info().smallest()), Keys.toDisplay(t.info().largest())), fields);
    }

    /** What a get of the window's key reads, as {@link Tree#get} and {@link Version#get} do; null without a key. */
    private Lookup lookup(TreeMap<byte[], LogRecord> memtable) {
        byte[] key = survey.lookupKey();
        if (key == null) {
            return null;
        }
        String shown = Keys.toDisplay(key);
        LogRecord inMemory = memtable.get(key);
        if (inMemory != null) {
            return new Lookup(shown, !inMemory.isTombstone(), List.of(Item.keyId(key).replaceFirst("^key:", "mem:")),
                    "in the memtable (" + (inMemory.isTombstone() ? "a tombstone: deleted" : "a value")
                            + "): no table is read");
        }
        List<String> touched = new ArrayList<>();
        List<String> filtered = new ArrayList<>();
        String end = "in no table";
        boolean found = false;
        search:
        for (List<Survey.TableFound> level : ordered()) {
            for (Survey.TableFound t : level) {
                String name = StoreFiles.tableName(t.info().number());
                if (t.problem() != null && t.info().covers(key)) {
                    touched.add(tableId(t.info().number()));
                    end = "stopped at " + name + ", which is damaged: a get fails there";
                    break search;
                }
                switch (t.probe()) {
                    case NOT_COVERED -> {
                    }
                    case FILTERED -> filtered.add(name);
                    case ABSENT -> touched.add(tableId(t.info().number()));
                    case VALUE, TOMBSTONE -> {
                        touched.add(tableId(t.info().number()));
                        found = t.probe() == Survey.Probe.VALUE;
                        end = (found ? "found in " : "deleted: a tombstone in ") + name;
                        break search;
                    }
                }
            }
        }
        String note = "not in the memtable; " + end + "; read " + touched.size() + " table"
                + (touched.size() == 1 ? "" : "s") + "; Bloom filters ruled out " + filtered.size()
                + (filtered.isEmpty() ? "" : " without reading them: " + String.join(", ", filtered));
        return new Lookup(shown, found, touched, note);
    }
}
