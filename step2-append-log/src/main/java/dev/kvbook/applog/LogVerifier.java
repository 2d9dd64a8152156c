package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The step-2 checker behind {@code kv verify}: reads a log without changing it and reports every
 * bad record with its offset, not just the first.
 *
 * <p>After a bad record it carries on from the next valid record written right after an fsync
 * (the record whose presence {@link LogReader} takes as proof of corruption), so two damaged
 * places give two problems. A torn tail is reported too, as what it is: harmless, and cut off by
 * the next open.
 */
final class LogVerifier {

    private final Path path;
    private final List<String> checked = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private LogVerifier(Path path) {
        this.path = path;
    }

    /**
     * Checks the log at {@code path}, holding the readers' lock meanwhile ({@link Vfs#lockShared}:
     * no writer can append while it reads, and no write access is needed). O(file size) reads.
     *
     * @throws dev.kvbook.api.StoreLockedException when a writer has the log open
     */
    static VerifyReport verify(Path path, Vfs vfs) {
        LogVerifier verifier = new LogVerifier(path);
        if (!vfs.exists(path) && !vfs.exists(AppendLogStore.lockPathOf(path))) {
            // Neither a log nor a writer: nothing to lock against, and the lock would leave a lock file behind.
            verifier.problems.add(path + ": no such file");
        } else {
            vfs.withSharedLock(AppendLogStore.lockPathOf(path), () -> {
                verifier.checkFile(vfs);
                return null;
            });
        }
        return new VerifyReport(AppendLogStore.NAME, path, verifier.checked, verifier.problems);
    }

    private void checkFile(Vfs vfs) {
        checked.add("readers' lock " + AppendLogStore.lockPathOf(path) + ": taken, so no one is writing the log");
        Path temp = Compactor.tempPathOf(path);
        checked.add(vfs.exists(temp)
                ? "leftover " + temp + " from an interrupted compaction: harmless, the next open deletes it"
                : "no leftover compaction file " + temp);
        if (!vfs.exists(path)) {
            problems.add(path + ": no such file");
            return;
        }
        VfsFile file = vfs.openReadOnly(path);
        try {
            if (checkHeader(file)) {
                checkRecords(file);
            }
        } finally {
            file.close();
        }
    }

    private boolean checkHeader(VfsFile file) {
        try {
            LogFormat.checkFileHeader(file, path);
        } catch (CorruptionException e) {
            problems.add(e.getMessage() + (file.size() == 0 ? " (an empty file: open would start a new log in it)" : ""));
            return false;
        }
        checked.add("file header: magic " + LogFormat.hex(LogFormat.MAGIC) + " \"KVLG\" and version "
                + LogFormat.VERSION_CURRENT);
        return true;
    }

    /** Walks every record; after a corruption, resumes at the next valid record. */
    private void checkRecords(VfsFile file) {
        long size = file.size();
        long from = LogFormat.FILE_HEADER_SIZE;
        long records = 0;
        long tombstones = 0;
        long flagged = 0;
        long bytes = 0;
        while (from >= 0) {
            LogReader reader = new LogReader(file, path, from, size, false);
            for (LogRecord record = reader.next(); record != null; record = reader.next()) {
                records++;
                tombstones += record.isTombstone() ? 1 : 0;
                flagged += record.syncedBefore() ? 1 : 0;
                bytes += record.size();
            }
            from = -1;
            switch (reader.stop()) {
                case CLEAN_END -> checked.add("end of the log at offset " + size + ", the end of the file");
                case TORN_TAIL -> problems.add("torn tail (not corruption; the next open truncates it): "
                        + reader.damage().getMessage());
                case CORRUPTION -> {
                    problems.add(reader.damage().getMessage());
                    from = reader.nextSyncedRecordOffset();
                }
                default -> throw new AssertionError(reader.stop());
            }
        }
        checked.add(0 == records ? "no records" : records + " records (" + (records - tombstones) + " PUT, "
                + tombstones + " TOMBSTONE; " + flagged + " written right after an fsync): type codes, key and value"
                + " lengths within limits, CRC32C over " + (bytes - 4 * records) + " bytes");
    }
}
