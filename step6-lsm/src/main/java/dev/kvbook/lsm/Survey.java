package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Plural;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a step-6 store without changing it, for {@code verify} and {@code inspect}: CURRENT, the
 * manifest, every table (every block's CRC, key order, the Bloom filter against every key, the
 * key range against the manifest) and the live logs. Opens files read-only and creates none, so
 * it works on read-only media. Records every problem rather than stopping at the first, except
 * where nothing further can be read (no CURRENT, an unreadable manifest).
 */
final class Survey {

    /** What was found of one table; {@code probe}: what a get of the lookup key found in it. */
    record TableFound(int level, TableInfo info, long cells, int blocks, int filterBits, String problem, Probe probe) {
    }

    /** What a get of the lookup key meets in one table. */
    enum Probe {
        /** No lookup, or the key is outside the table's range: the get does not look. */
        NOT_COVERED,
        /** The Bloom filter rules the key out: no block is read. */
        FILTERED,
        /** The filter let the get in and the block did not hold the key (a false positive). */
        ABSENT,
        /** The table holds a value for the key. */
        VALUE,
        /** The table holds a tombstone for the key. */
        TOMBSTONE
    }

    private final Vfs vfs;
    private final Path dir;
    private final List<String> checked = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<TableFound> tables = new ArrayList<>();
    private final List<String> logs = new ArrayList<>();
    /** The live logs' records (keys only), by log number, each log's in file order: the memtable's source. */
    final TreeMap<Long, List<LogRecord>> logRecords = new TreeMap<>();
    /** The key whose get path {@link #inspection} traces, or null. */
    private final byte[] lookupKey;
    private long manifestNumber = -1;
    private Manifest.Replayed replayed;
    private int garbageFiles;

    private Survey(Vfs vfs, Path dir, byte[] lookupKey) {
        this.vfs = vfs;
        this.dir = dir;
        this.lookupKey = lookupKey;
    }

    /** Surveys the store in {@code dir}. O(bytes of the store). Never throws for damage. */
    static Survey of(Vfs vfs, Path dir) {
        return of(vfs, dir, null);
    }

    /**
     * {@link #of(Vfs, Path)}, also probing each table whose range covers {@code lookupKey} (when not
     * null) as a get would: its Bloom filter, then its block. One block read more per such table.
     */
    static Survey of(Vfs vfs, Path dir, byte[] lookupKey) {
        Survey survey = new Survey(vfs, dir, lookupKey);
        survey.run();
        return survey;
    }

    private void run() {
        if (!vfs.exists(dir.resolve(StoreFiles.CURRENT))) {
            problems.add(dir + ": no CURRENT file: not a step-6 store (or one whose CURRENT was lost)");
            return;
        }
        try {
            manifestNumber = Manifest.readCurrent(vfs, dir);
            checked.add("CURRENT: magic, version and CRC32C; names " + StoreFiles.manifestName(manifestNumber));
            replayed = Manifest.replay(vfs, dir, manifestNumber);
            checked.add(StoreFiles.manifestName(manifestNumber) + ": " + Plural.of(replayed.edits(), "version edit")
                    + ", every record's CRC32C, every edit applies; live log " + StoreFiles.logName(replayed.logNumber())
                    + (replayed.tornTail() == null ? "" : "; ends in a torn tail (ignored): " + replayed.tornTail()));
        } catch (CorruptionException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return;
        }
        for (int level = 0; level < replayed.levels().size(); level++) {
            TreeMap<Long, TableInfo> inLevel = replayed.levels().get(level);
            for (TableInfo info : inLevel.values()) {
                tables.add(checkTable(level, info));
            }
            checkDisjoint(level, inLevel);
        }
        checkLogs();
        countGarbage();
    }

    /** Every block of one table: CRC, order, first and last key as the manifest says, filter holds every key. */
    private TableFound checkTable(int level, TableInfo info) {
        Path path = StoreFiles.table(dir, info.number());
        if (!vfs.exists(path)) {
            String problem = path + ": missing, though the manifest names it at level " + level;
            problems.add(problem);
            return new TableFound(level, info, 0, 0, 0, problem, Probe.NOT_COVERED);
        }
        Table table = null;
        try {
            table = Table.open(null, vfs.openReadOnly(path), path, info);
            long cells = 0;
            byte[] previous = null;
            for (int b = 0; b < table.blockCount(); b++) {
                for (Cell cell : table.readBlock(b)) {
                    if (previous == null && !Arrays.equals(cell.key(), info.smallest())) {
                        throw new CorruptionException(path, -1, "first key", Keys.toDisplay(info.smallest())
                                + " as the manifest recorded", Keys.toDisplay(cell.key()));
                    }
                    if (previous != null && Keys.COMPARATOR.compare(previous, cell.key()) >= 0) {
                        throw new CorruptionException(path, -1, "key order across blocks", "after " + Keys.toDisplay(previous),
                                Keys.toDisplay(cell.key()));
                    }
                    if (!table.mayContain(cell.key())) {
                        throw new CorruptionException(path, -1, "Bloom filter", "to hold every key of the table",
                                "it rules out " + Keys.toDisplay(cell.key()));
                    }
                    previous = cell.key();
                    cells++;
                }
            }
            if (cells != table.cellCount()) {
                throw new CorruptionException(path, -1, "cell count", table.cellCount() + " as the footer says", cells);
            }
            checked.add(StoreFiles.tableName(info.number()) + " (level " + level + "): header, footer, "
                    + Plural.of(table.blockCount(), "block") + " with their CRC32C, " + Plural.of(cells, "cell")
                    + " in order, the Bloom filter holds every key, the key range matches the manifest");
            return new TableFound(level, info, cells, table.blockCount(), table.filter().bitCount(), null, probe(table, info));
        } catch (CorruptionException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return new TableFound(level, info, 0, 0, 0, e.getMessage(), Probe.NOT_COVERED);
        } finally {
            if (table != null) {
                table.release();
            }
        }
    }

    /** What a get of the lookup key meets in {@code table}: the same filter check and block search as {@link Version}'s. */
    private Probe probe(Table table, TableInfo info) {
        if (lookupKey == null || !info.covers(lookupKey)) {
            return Probe.NOT_COVERED;
        }
        if (!table.mayContain(lookupKey)) {
            return Probe.FILTERED;
        }
        Cell cell = table.get(lookupKey);
        return cell == null ? Probe.ABSENT : cell.isTombstone() ? Probe.TOMBSTONE : Probe.VALUE;
    }

    private void checkDisjoint(int level, TreeMap<Long, TableInfo> inLevel) {
        if (level == 0 || inLevel.size() < 2) {
            return;
        }
        List<TableInfo> sorted = new ArrayList<>(inLevel.values());
        sorted.sort((a, b) -> Keys.COMPARATOR.compare(a.smallest(), b.smallest()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Keys.COMPARATOR.compare(sorted.get(i - 1).largest(), sorted.get(i).smallest()) >= 0) {
                problems.add("level " + level + ": " + sorted.get(i - 1) + " overlaps " + sorted.get(i));
            }
        }
        checked.add("level " + level + ": " + Plural.of(sorted.size(), "table") + " with disjoint key ranges");
    }

    private void checkLogs() {
        Path liveLog = StoreFiles.log(dir, replayed.logNumber());
        if (!vfs.exists(liveLog)) {
            problems.add(liveLog + ": missing, though the manifest names it as the live log (the manifest lost edits?)");
        }
        for (Path file : vfs.list(dir)) {
            OptionalLong n = StoreFiles.logNumber(file);
            if (n.isEmpty() || n.getAsLong() < replayed.logNumber()) {
                continue;
            }
            try (VfsFile log = vfs.openReadOnly(file)) {
                LogFormat.checkFileHeader(log, file);
                LogReader reader = new LogReader(log, file, LogFormat.FILE_HEADER_SIZE, log.size(), false);
                int records = 0;
                List<LogRecord> found = new ArrayList<>();
                for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                    records++;
                    found.add(r);
                }
                logRecords.put(n.getAsLong(), found);
                if (reader.stop() == LogReader.Stop.CORRUPTION) {
                    problems.add(reader.damage().getMessage());
                }
                String line = file.getFileName() + ": " + Plural.of(records, "record") + ", " + log.size() + " bytes"
                        + (reader.stop() == LogReader.Stop.TORN_TAIL ? ", then a torn tail (cut at the next open)" : "");
                logs.add(line);
                checked.add("log " + line + ", every record's CRC32C");
            } catch (CorruptionException | UncheckedIOException e) {
                problems.add(e.getMessage());
            }
        }
    }

    private void countGarbage() {
        Set<Long> named = new HashSet<>();
        replayed.levels().forEach(level -> named.addAll(level.keySet()));
        for (Path file : vfs.list(dir)) {
            OptionalLong table = StoreFiles.tableNumber(file);
            OptionalLong log = StoreFiles.logNumber(file);
            OptionalLong manifest = StoreFiles.manifestNumber(file);
            if ((table.isPresent() && !named.contains(table.getAsLong()))
                    || (log.isPresent() && log.getAsLong() < replayed.logNumber())
                    || (manifest.isPresent() && manifest.getAsLong() != manifestNumber) || StoreFiles.isTemp(file)) {
                garbageFiles++;
            }
        }
        checked.add(Plural.of(garbageFiles, "file") + " no manifest edit names (left by a crash; the next open deletes them)");
    }

    VerifyReport report() {
        return new VerifyReport(LsmStore.NAME, dir, checked, problems);
    }

    // ---- what LsmModel reads ------------------------------------------------------------------

    Path dir() {
        return dir;
    }

    /** The manifest CURRENT names (-1: none readable). */
    long manifestNumber() {
        return manifestNumber;
    }

    /** The manifest replayed, or null when it could not be read. */
    Manifest.Replayed replayed() {
        return replayed;
    }

    List<TableFound> tables() {
        return tables;
    }

    List<String> problems() {
        return problems;
    }

    int garbageFiles() {
        return garbageFiles;
    }

    byte[] lookupKey() {
        return lookupKey;
    }

    /** Text, Mermaid and the {@link LsmModel} paged by {@code window} (which names the key the survey probed). */
    Inspection inspection(dev.kvbook.api.inspect.Window window) {
        StringBuilder text = new StringBuilder("step 6 LSM tree " + dir + "\n");
        StringBuilder mermaid = new StringBuilder("flowchart TB\n");
        if (replayed == null) {
            text.append("  not readable: ").append(String.join("; ", problems)).append('\n');
            mermaid.append("  bad[\"").append(label(String.join("; ", problems))).append("\"]\n");
            return new Inspection(LsmStore.NAME, dir, text.toString(), mermaid.toString(), LsmModel.build(this, window));
        }
        text.append("  CURRENT -> ").append(StoreFiles.manifestName(manifestNumber)).append(" (")
                .append(Plural.of(replayed.edits(), "edit")).append("), live log ").append(StoreFiles.logName(replayed.logNumber()))
                .append(", next file number ").append(replayed.nextFileNumber()).append('\n');
        logs.forEach(line -> text.append("  log ").append(line).append('\n'));
        mermaid.append("  mem[\"memtable (replayed from ").append(StoreFiles.logName(replayed.logNumber())).append(")\"]\n");
        String above = "mem";
        for (int level = 0; level < ManifestFormat.MAX_LEVELS; level++) {
            int n = level;
            List<TableFound> inLevel = tables.stream().filter(t -> t.level() == n).toList();
            if (inLevel.isEmpty()) {
                continue;
            }
            long bytes = inLevel.stream().mapToLong(t -> t.info().size()).sum();
            text.append(String.format("  level %d%s: %s, %d bytes%n", level, level == 0 ? " (overlapping, newest first)" : "",
                    Plural.of(inLevel.size(), "table"), bytes));
            mermaid.append("  subgraph L").append(level).append("[\"level ").append(level).append(": ")
                    .append(bytes).append(" bytes\"]\n");
            List<TableFound> ordered = new ArrayList<>(inLevel);
            ordered.sort(level == 0 ? (a, b) -> Long.compare(b.info().number(), a.info().number())
                    : (a, b) -> Keys.COMPARATOR.compare(a.info().smallest(), b.info().smallest()));
            for (TableFound t : ordered) {
                String range = Keys.toDisplay(t.info().smallest()) + " .. " + Keys.toDisplay(t.info().largest());
                text.append(String.format("    %s: %d bytes, %s in %s, %d filter bits, keys %s%s%n",
                        StoreFiles.tableName(t.info().number()), t.info().size(), Plural.of(t.cells(), "cell"),
                        Plural.of(t.blocks(), "block"), t.filterBits(), range, t.problem() == null ? "" : "  DAMAGED: " + t.problem()));
                mermaid.append("    t").append(t.info().number()).append("[\"").append(StoreFiles.tableName(t.info().number()))
                        .append("<br/>").append(label(range)).append("\"]\n");
            }
            mermaid.append("  end\n");
            mermaid.append("  ").append(above).append(" --> L").append(level).append('\n');
            above = "L" + level;
        }
        if (tables.isEmpty()) {
            text.append("  no tables yet: every write is still in the memtable and its log\n");
        }
        text.append("  ").append(Plural.of(garbageFiles, "file")).append(" no edit names\n");
        problems.forEach(p -> text.append("  PROBLEM: ").append(p).append('\n'));
        return new Inspection(LsmStore.NAME, dir, text.toString(), mermaid.toString(), LsmModel.build(this, window));
    }

    private static String label(String s) {
        return s.replace("\"", "'").replace("\n", " ");
    }
}
