package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;
import dev.kvbook.applog.LogWriter;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The live manifest ({@link ManifestFormat}): appends version edits, each fsynced before it
 * returns; and, as static helpers, reading {@code CURRENT} and replaying a manifest into levels
 * of {@link TableInfo}s.
 *
 * <p>Not thread-safe: the store appends under its maintenance lock.
 */
final class Manifest implements AutoCloseable {

    private static final byte[] EDIT_KEY = new byte[0];

    private final long number;
    private final Path path;
    private final VfsFile file;
    private final LogWriter writer;

    private Manifest(long number, Path path, VfsFile file, LogWriter writer) {
        this.number = number;
        this.path = path;
        this.file = file;
        this.writer = writer;
    }

    /**
     * Starts manifest {@code number} holding {@code snapshot} and makes CURRENT name it:
     * the manifest written whole under a temp name, fsynced and renamed, then CURRENT replaced
     * the same way (invariant 1 of {@link ManifestFormat}). Four fsyncs, two renames. The old
     * manifest is the caller's to delete, once this returns.
     */
    static Manifest start(Vfs vfs, Path dir, long number, VersionEdit snapshot) {
        Path path = StoreFiles.manifest(dir, number);
        long end = AtomicReplace.replace(vfs, path, StoreFiles.temp(path), out -> {
            out.write(0, LogFormat.encodeFileHeader());
            LogWriter staged = LogWriter.forStagedFile(out, LogFormat.FILE_HEADER_SIZE);
            staged.append(LogFormat.TYPE_PUT, EDIT_KEY, ManifestFormat.encodeEdit(snapshot));
            return staged.end();
        });
        VfsFile file = vfs.open(path, false);
        try {
            // Invariant: AtomicReplace fsynced the file, so every byte before end is durable, as LogWriter requires.
            LogWriter writer = new LogWriter(file, end);
            AtomicReplace.replace(vfs, dir.resolve(StoreFiles.CURRENT), dir.resolve(StoreFiles.CURRENT_TEMP),
                    ManifestFormat.encodeCurrent(number));
            return new Manifest(number, path, file, writer);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Appends {@code edit} and fsyncs it: when this returns, the edit is durable. One write, one fsync. */
    void append(VersionEdit edit) {
        writer.append(LogFormat.TYPE_PUT, EDIT_KEY, ManifestFormat.encodeEdit(edit));
        writer.sync();
    }

    long number() {
        return number;
    }

    Path path() {
        return path;
    }

    /** The manifest's length: when it passes a threshold the store starts a new one. */
    long size() {
        return writer.end();
    }

    @Override
    public void close() {
        file.close();
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Reads CURRENT in {@code dir}: the live manifest's number. Opens read-only; one read. */
    static long readCurrent(Vfs vfs, Path dir) {
        Path current = dir.resolve(StoreFiles.CURRENT);
        try (VfsFile file = vfs.openReadOnly(current)) {
            long size = file.size();
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size, ManifestFormat.CURRENT_SIZE + 1));
            file.readFully(0, bytes);
            return ManifestFormat.decodeCurrent(bytes.array(), current);
        }
    }

    /**
     * What a manifest replayed to.
     *
     * @param levels         each level's tables by number
     * @param logNumber      the last edit's log number
     * @param nextFileNumber the largest next file number any edit named
     * @param edits          edits replayed
     * @param tornTail       a message when the manifest ended in a torn tail (ignored: see
     *                       {@link ManifestFormat} invariant 4), else {@code null}
     */
    record Replayed(List<TreeMap<Long, TableInfo>> levels, long logNumber, long nextFileNumber, int edits,
                    String tornTail) {
    }

    /**
     * Replays manifest {@code number} of {@code dir} from the start: applies every edit to an
     * empty set of levels, checking that each removes a table that is there and adds one that is
     * not. Opens read-only and changes nothing; the torn tail is left for the next manifest to
     * replace. O(manifest size).
     *
     * @throws CorruptionException for a bad header, damage before the tail, or an edit that does not apply
     */
    static Replayed replay(Vfs vfs, Path dir, long number) {
        Path path = StoreFiles.manifest(dir, number);
        List<TreeMap<Long, TableInfo>> levels = new ArrayList<>();
        for (int i = 0; i < ManifestFormat.MAX_LEVELS; i++) {
            levels.add(new TreeMap<>());
        }
        long logNumber = -1;
        long next = 0;
        int edits = 0;
        try (VfsFile file = vfs.openReadOnly(path)) {
            LogFormat.checkFileHeader(file, path);
            LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, file.size(), true);
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.isTombstone() || record.key().length != 0) {
                    throw new CorruptionException(path, record.offset(), "manifest record", "a PUT with an empty key",
                            record.typeName() + " with a " + record.key().length + "-byte key");
                }
                VersionEdit edit = ManifestFormat.decodeEdit(record.value(), path, record.offset());
                apply(levels, edit, path, record.offset());
                logNumber = edit.logNumber();
                next = Math.max(next, edit.nextFileNumber());
                edits++;
            }
            if (reader.stop() == LogReader.Stop.CORRUPTION) {
                throw reader.damage();
            }
            if (edits == 0) {
                throw new CorruptionException(path, LogFormat.FILE_HEADER_SIZE, "manifest", "a snapshot edit first",
                        "no whole edit");
            }
            String torn = reader.stop() == LogReader.Stop.TORN_TAIL ? reader.damage().getMessage() : null;
            return new Replayed(levels, logNumber, next, edits, torn);
        }
    }

    private static void apply(List<TreeMap<Long, TableInfo>> levels, VersionEdit edit, Path path, long offset) {
        for (VersionEdit.Removed r : edit.removed()) {
            if (levels.get(r.level()).remove(r.number()) == null) {
                throw new CorruptionException(path, offset, "version edit", "table " + r.number() + " at level "
                        + r.level() + " to remove", "no such table there");
            }
        }
        for (VersionEdit.Added a : edit.added()) {
            for (TreeMap<Long, TableInfo> level : levels) {
                if (level.containsKey(a.table().number())) {
                    throw new CorruptionException(path, offset, "version edit", "a new table number",
                            "table " + a.table().number() + " added twice");
                }
            }
            levels.get(a.level()).put(a.table().number(), a.table());
        }
    }
}
