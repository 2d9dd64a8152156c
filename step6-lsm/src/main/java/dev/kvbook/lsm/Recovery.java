package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogTail;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link LsmStore#open} does before the store can be used.
 *
 * <ol>
 * <li>Delete the store's temp files ({@code *.tmp} of its own names): whole-file writes a crash
 *     caught before their rename.</li>
 * <li>No {@code CURRENT}: a new store, or one whose creation a crash interrupted (nothing in it
 *     was ever acknowledged). Create log 1, manifest 2 and CURRENT, in that order. A directory
 *     with tables, or with a log holding records, but no CURRENT is damage, and refused.</li>
 * <li>Read CURRENT and replay the manifest it names ({@link Manifest#replay}); check that the
 *     live log it names exists (invariant 3 of {@link ManifestFormat}).</li>
 * <li>Open every table the manifest names (size, header, footer, filter and index checked).</li>
 * <li>Replay the live logs (numbered at or above the manifest's log number), oldest first, into
 *     a new memtable, in one pass over each: step 2's {@link LogTail} reads the records with
 *     their values into the memtable, finds where the log really ends and cuts a torn tail
 *     (fsyncing what it keeps).</li>
 * <li>Start a new manifest holding one snapshot of the tables, point CURRENT at it and delete
 *     the old one: the manifest's history (and any torn tail) is dropped.</li>
 * </ol>
 * The store then flushes the memtable if it came from more than one log (a crash between a
 * memtable's rotation and its flush), and deletes what no edit names ({@link #removeGarbage}).
 * Cost: the manifest and the live logs read once, every table's footer, filter and index read.
 */
final class Recovery {

    /**
     * What open found.
     *
     * @param version        the tables, opened
     * @param memtable       the live logs' writes
     * @param lastSequence   the memtable's last sequence number
     * @param manifest       the new manifest
     * @param logNumber      logs below this are flushed
     * @param liveLogs       the live logs' numbers, oldest first (at least one)
     * @param nextFileNumber the next free file number
     * @param activeLog      the newest live log, open, cut to its last good record and fsynced
     * @param activeLogEnd   where its next record goes
     * @param tornTailBytes  bytes of torn tail cut off the logs
     */
    record Result(Version version, Memtable memtable, long lastSequence, Manifest manifest, long logNumber,
                  TreeSet<Long> liveLogs, long nextFileNumber, VfsFile activeLog, long activeLogEnd, long tornTailBytes) {
    }

    private Recovery() {
    }

    /**
     * Before the lock: makes sure {@code dir} is a place for this store. A missing directory is
     * created and made durable in its parent; a directory holding files but no CURRENT and none
     * of the store's names is someone else's and refused, untouched. A file is refused too.
     *
     * @throws IllegalArgumentException naming what was found
     */
    static void prepareDirectory(Vfs vfs, Path dir) {
        if (!vfs.exists(dir)) {
            vfs.createDirectories(dir);
            vfs.syncDirectory(dir.getParent());
            return;
        }
        List<Path> entries = vfs.list(dir);
        if (entries.isEmpty() && isFile(vfs, dir)) {
            throw new IllegalArgumentException("cannot open a step-6 store at " + dir + ": it is a file, and step 6 keeps"
                    + " its store in a directory; give the path of a new or empty directory, or of a step-6 store");
        }
        boolean hasCurrent = entries.stream().anyMatch(p -> p.getFileName().toString().equals(StoreFiles.CURRENT));
        List<String> strangers = entries.stream().filter(p -> !StoreFiles.isStoreName(p))
                .map(p -> p.getFileName().toString()).toList();
        if (!hasCurrent && !strangers.isEmpty()) {
            throw new IllegalArgumentException("cannot open a step-6 store in " + dir + ": the directory is not empty"
                    + " and holds no store (no CURRENT file), only files that are not the store's: "
                    + String.join(", ", strangers.subList(0, Math.min(10, strangers.size())))
                    + (strangers.size() > 10 ? " and " + (strangers.size() - 10) + " more" : "")
                    + "; open an empty or new directory instead");
        }
    }

    private static boolean isFile(Vfs vfs, Path path) {
        try (VfsFile file = vfs.open(path, false)) {
            return file.size() >= 0;
        } catch (UncheckedIOException directory) {
            return false;
        }
    }

    /** Opens the store in {@code dir} (locked by the caller), steps 1 to 6; its tables' gets will use {@code cache}. */
    static Result run(Vfs vfs, Path dir, BlockCache cache) {
        deleteTemps(vfs, dir);
        if (!vfs.exists(dir.resolve(StoreFiles.CURRENT))) {
            create(vfs, dir);
        }
        long oldManifest = Manifest.readCurrent(vfs, dir);
        Manifest.Replayed replayed = Manifest.replay(vfs, dir, oldManifest);
        if (!vfs.exists(StoreFiles.log(dir, replayed.logNumber()))) {
            throw new CorruptionException(StoreFiles.manifest(dir, oldManifest), -1, "the live log "
                    + StoreFiles.logName(replayed.logNumber()), "present (the manifest's last edit names it)",
                    "missing: the manifest has lost edits (cut short?) or the log was deleted");
        }
        long next = Math.max(replayed.nextFileNumber(), largestNumberOnDisk(vfs, dir) + 1);
        Version version = openTables(vfs, dir, replayed, cache);
        try {
            return recoverLogs(vfs, dir, replayed, version, next);
        } catch (RuntimeException e) {
            version.release();
            throw e;
        }
    }

    private static Result recoverLogs(Vfs vfs, Path dir, Manifest.Replayed replayed, Version version, long next) {
        TreeSet<Long> live = new TreeSet<>();
        for (Path file : vfs.list(dir)) {
            StoreFiles.logNumber(file).ifPresent(n -> {
                if (n >= replayed.logNumber()) {
                    live.add(n);
                }
            });
        }
        Memtable memtable = new Memtable();
        long[] sequence = {0}; // the last number given, counted up by the replay below
        long torn = 0;
        VfsFile active = null;
        long activeEnd = 0;
        for (long number : live) {
            Path path = StoreFiles.log(dir, number);
            VfsFile file = vfs.open(path, false);
            try {
                LogFormat.checkFileHeader(file, path);
                // One pass: LogTail hands over each good record (with its value) before it decides
                // where the log ends, and only records before that end are ever handed over. If it
                // finds damage instead, it throws, and this memtable is thrown away with the open.
                LogTail.Outcome tail = LogTail.recover(file, path, false, true,
                        r -> memtable.put(r.key(), ++sequence[0], r.isTombstone() ? null : r.value()));
                torn += tail.tornTailBytesTruncated();
                if (number == live.last()) {
                    active = file;
                    activeEnd = tail.end();
                } else {
                    file.close();
                }
            } catch (RuntimeException e) {
                file.close();
                throw e;
            }
        }
        Manifest manifest;
        long manifestNumber = next++;
        try {
            manifest = Manifest.start(vfs, dir, manifestNumber, version.snapshot(replayed.logNumber(), next));
        } catch (RuntimeException e) {
            active.close();
            throw e;
        }
        return new Result(version, memtable, sequence[0], manifest, replayed.logNumber(), live, next, active, activeEnd, torn);
    }

    /** Step 2: a new store, written so that CURRENT appears last. Four files' worth of fsyncs. */
    private static void create(Vfs vfs, Path dir) {
        for (Path file : vfs.list(dir)) {
            if (StoreFiles.tableNumber(file).isPresent() || (StoreFiles.logNumber(file).isPresent() && size(vfs, file)
                    > LogFormat.FILE_HEADER_SIZE)) {
                throw new CorruptionException(dir.resolve(StoreFiles.CURRENT), -1, "CURRENT", "present in a store that holds "
                        + "data", "missing, beside " + file.getFileName() + " (restore CURRENT from a backup)");
            }
        }
        for (Path file : vfs.list(dir)) {
            if (StoreFiles.logNumber(file).isPresent() || StoreFiles.manifestNumber(file).isPresent()) {
                vfs.delete(file); // the remains of a creation a crash interrupted: they hold nothing
            }
        }
        long log = 1;
        createLog(vfs, dir, log);
        Manifest.start(vfs, dir, log + 1, VersionEdit.counters(log, log + 2)).close();
    }

    /** Creates the empty log {@code number} whole (header written, fsynced, renamed, directory fsynced). */
    static void createLog(Vfs vfs, Path dir, long number) {
        Path path = StoreFiles.log(dir, number);
        AtomicReplace.replace(vfs, path, StoreFiles.temp(path), LogFormat.encodeFileHeader());
    }

    private static Version openTables(Vfs vfs, Path dir, Manifest.Replayed replayed, BlockCache cache) {
        List<List<Table>> levels = new ArrayList<>();
        List<Table> opened = new ArrayList<>();
        try {
            for (TreeMap<Long, TableInfo> level : replayed.levels()) {
                List<Table> tables = new ArrayList<>();
                for (TableInfo info : level.values()) {
                    Path path = StoreFiles.table(dir, info.number());
                    if (!vfs.exists(path)) {
                        throw new CorruptionException(path, -1, "table " + info.number(), "present (the manifest names it)",
                                "missing");
                    }
                    Table table = Table.open(vfs, cache, vfs.open(path, false), path, info);
                    opened.add(table);
                    tables.add(table);
                }
                levels.add(tables);
            }
            Version.sortLevels(levels);
            checkDisjoint(levels, dir);
            Version version = new Version(levels);
            opened.forEach(Table::release); // the version holds them now
            return version;
        } catch (RuntimeException e) {
            opened.forEach(t -> {
                try {
                    t.release();
                } catch (RuntimeException second) {
                    e.addSuppressed(second);
                }
            });
            throw e;
        }
    }

    /** Levels 1 and deeper hold tables with disjoint key ranges, in order. */
    private static void checkDisjoint(List<List<Table>> levels, Path dir) {
        for (int n = 1; n < levels.size(); n++) {
            List<Table> level = levels.get(n);
            for (int i = 1; i < level.size(); i++) {
                TableInfo before = level.get(i - 1).info();
                TableInfo after = level.get(i).info();
                if (dev.kvbook.api.Keys.COMPARATOR.compare(before.largest(), after.smallest()) >= 0) {
                    throw new CorruptionException(dir.resolve(StoreFiles.CURRENT), -1, "level " + n + " key ranges",
                            "disjoint", before + " overlaps " + after);
                }
            }
        }
    }

    /**
     * Deletes what no edit names: tables not in {@code version}, logs below {@code logNumber},
     * manifests but {@code manifestNumber}. One directory fsync if anything went (not needed for
     * safety: a file that comes back is garbage again next time).
     */
    static void removeGarbage(Vfs vfs, Path dir, Version version, long logNumber, long manifestNumber) {
        java.util.Set<Long> tables = new java.util.HashSet<>();
        version.allTables().forEach(t -> tables.add(t.number()));
        boolean deleted = false;
        for (Path file : vfs.list(dir)) {
            OptionalLong table = StoreFiles.tableNumber(file);
            OptionalLong log = StoreFiles.logNumber(file);
            OptionalLong manifest = StoreFiles.manifestNumber(file);
            if ((table.isPresent() && !tables.contains(table.getAsLong()))
                    || (log.isPresent() && log.getAsLong() < logNumber)
                    || (manifest.isPresent() && manifest.getAsLong() != manifestNumber)) {
                vfs.delete(file);
                deleted = true;
            }
        }
        if (deleted) {
            vfs.syncDirectory(dir);
        }
    }

    private static void deleteTemps(Vfs vfs, Path dir) {
        boolean deleted = false;
        for (Path file : vfs.list(dir)) {
            if (StoreFiles.isTemp(file)) {
                vfs.delete(file);
                deleted = true;
            }
        }
        if (deleted) {
            vfs.syncDirectory(dir);
        }
    }

    private static long largestNumberOnDisk(Vfs vfs, Path dir) {
        long largest = 0;
        for (Path file : vfs.list(dir)) {
            OptionalLong n = StoreFiles.anyNumber(file);
            if (n.isPresent()) {
                largest = Math.max(largest, n.getAsLong());
            }
        }
        return largest;
    }

    private static long size(Vfs vfs, Path file) {
        try (VfsFile f = vfs.openReadOnly(file)) {
            return f.size();
        }
    }
}
