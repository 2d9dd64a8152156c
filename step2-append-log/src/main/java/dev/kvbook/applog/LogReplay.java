package dev.kvbook.applog;

import dev.kvbook.api.Entry;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log replayed from the start into "the last record of each live key" (invariant 6 of
 * {@link LogFormat}), with counts of what was superseded on the way.
 *
 * <p>This is the step-2 store's only way to know anything about the whole data set: how many keys
 * there are, what iteration returns, what compaction keeps, how much is garbage. Each costs a
 * read of the whole log and a map of every live key in memory for the length of the call; the
 * store keeps nothing of it afterwards. (Step 3 keeps exactly this map, the keydir, for good.)
 */
final class LogReplay {

    /** A key with equality by content, so byte arrays can be map keys. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final Map<Key, LogRecord> live = new LinkedHashMap<>();
    private long records;
    private long tombstones;
    private long garbageBytes;

    private LogReplay() {
    }

    /**
     * Replays the records in {@code [header, end)} of {@code file}. O(log length) reads,
     * O(live keys) memory, plus the live values when {@code withValues}.
     *
     * @throws dev.kvbook.api.CorruptionException for any bad record: before {@code end} the log
     *                                            was checked when it was opened, so damage there is
     *                                            never a torn tail
     */
    static LogReplay of(VfsFile file, Path path, long end, boolean withValues) {
        LogReplay replay = new LogReplay();
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, end, withValues);
        for (LogRecord record = reader.next(); record != null; record = reader.next()) {
            replay.apply(record);
        }
        if (reader.stop() != LogReader.Stop.CLEAN_END) {
            throw reader.damage();
        }
        return replay;
    }

    /**
     * Returns the last record for {@code key} in {@code [header, end)}, or {@code null}: how a
     * step-2 get and delete find a key. O(N): every record is read and checksummed, because the
     * last one for the key could be anywhere.
     */
    static LogRecord lastRecordOf(VfsFile file, Path path, long end, byte[] key) {
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, end, false);
        LogRecord last = null;
        for (LogRecord record = reader.next(); record != null; record = reader.next()) {
            if (Arrays.equals(record.key(), key)) {
                last = record;
            }
        }
        // Invariant: the log up to end was whole at open and has only been appended to since, so
        // a bad record here is damage done while the store was open, never a torn tail.
        if (reader.stop() != LogReader.Stop.CLEAN_END) {
            throw reader.damage();
        }
        return last;
    }

    /** Applies one record: a PUT replaces the key's record, a TOMBSTONE removes it. */
    private void apply(LogRecord record) {
        records++;
        Key key = new Key(record.key());
        LogRecord superseded = record.isTombstone() ? live.remove(key) : live.put(key, record);
        if (superseded != null) {
            garbageBytes += superseded.size();
        }
        if (record.isTombstone()) {
            tombstones++;
            garbageBytes += record.size(); // hides a dead record until compaction drops both
        }
    }

    /** The live keys' current PUT records, in the order of the records (oldest first). */
    List<LogRecord> liveRecords() {
        List<LogRecord> inLogOrder = new ArrayList<>(live.values());
        inLogOrder.sort(Comparator.comparingLong(LogRecord::offset));
        return inLogOrder;
    }

    /** The live entries, keys and values (replayed with values), in the order of their records. */
    List<Entry> liveEntries() {
        List<Entry> entries = new ArrayList<>(live.size());
        for (LogRecord record : liveRecords()) {
            assert record.value() != null : "replayed without values";
            entries.add(new Entry(record.key(), record.value()));
        }
        return entries;
    }

    /** Returns whether the record at {@code offset} for {@code key} is its key's live record. */
    boolean isLive(byte[] key, long offset) {
        LogRecord current = live.get(new Key(key));
        return current != null && current.offset() == offset;
    }

    /** Returns whether {@code key} has a live record. */
    boolean isLiveKey(byte[] key) {
        return live.containsKey(new Key(key));
    }

    long liveKeys() {
        return live.size();
    }

    long records() {
        return records;
    }

    long tombstones() {
        return tombstones;
    }

    /** Bytes of superseded records and tombstones: what compaction would reclaim. */
    long garbageBytes() {
        return garbageBytes;
    }

    /** Bytes of the live records. */
    long liveBytes() {
        return live.values().stream().mapToLong(LogRecord::size).sum();
    }
}
