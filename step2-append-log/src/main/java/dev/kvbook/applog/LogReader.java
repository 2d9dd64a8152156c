package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat.Damage;
import dev.kvbook.applog.LogFormat.RecordHeader;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads a log's records in order, checking each one, and says where and why it stopped: the read
 * path of an append-only store, and the recovery scan that finds where the log really ends.
 *
 * <p>Use it as a cursor: call {@link #next()} until it returns {@code null}, then ask
 * {@link #stop()} why. A clean end means every byte up to the end was good records. Otherwise
 * the reader has met a bad record at {@link #damageOffset()} and has already decided, by the rule
 * in {@link LogFormat} (invariant 7), whether it is a {@link Stop#TORN_TAIL torn tail} (no valid
 * record with the {@link LogFormat#SYNCED_BEFORE} flag after it) or {@link Stop#CORRUPTION
 * corruption} (such a record follows at {@link #nextSyncedRecordOffset()}, proving the bad bytes
 * were durable). The reader never throws for damage; the caller decides what to do.
 *
 * <p>Every record's checksum is verified, even when values are not wanted: a checksum covers
 * the whole record, so it can only be checked by reading the whole record. Reading "without
 * values" saves copying them, not reading them. (Step 3's hint files exist because of this.)
 *
 * <p>Not thread-safe; cheap to create, so each scan makes its own.
 */
public final class LogReader {

    /** Why a reader stopped. */
    public enum Stop {
        /** Every byte up to the end was a good record. */
        CLEAN_END,
        /**
         * A bad record with no valid flagged record after it: the remains of writes a crash cut
         * short (or, undetectably, damage to records no fsync is known to have covered).
         */
        TORN_TAIL,
        /** A bad record with a valid flagged record after it: the bad bytes were durable, so damage. */
        CORRUPTION
    }

    private final VfsFile file;
    private final Path path;
    private final long end;
    private final boolean withValues;
    private final ReadWindow window;
    private long position;
    private Stop stop;
    private Damage damage;
    private long nextSyncedRecordOffset = -1;

    /**
     * A reader of the records in {@code [from, end)} of {@code file}.
     *
     * @param path       the file's name, for error messages
     * @param from       where a record starts (the first one: {@link LogFormat#FILE_HEADER_SIZE})
     * @param end        where reading stops: the file size, or a log end the caller knows
     * @param withValues whether returned records carry their values; without, {@code value()} is
     *                   {@code null} (the values are still read and checksummed)
     */
    public LogReader(VfsFile file, Path path, long from, long end, boolean withValues) {
        if (from < LogFormat.FILE_HEADER_SIZE || from > end) {
            throw new IllegalArgumentException("cannot read records from " + from + " to " + end);
        }
        this.file = file;
        this.path = path;
        this.end = end;
        this.withValues = withValues;
        this.window = new ReadWindow(file, end);
        this.position = from;
    }

    /**
     * Returns the next good record, or {@code null} when the reader has stopped (see
     * {@link #stop()}). O(record size); when it meets a bad record, O(rest of the file) to look
     * for a valid flagged record after it.
     */
    public LogRecord next() {
        if (stop != null) {
            return null;
        }
        if (position == end) {
            stop = Stop.CLEAN_END;
            return null;
        }
        Probe probe = probe(position);
        if (probe.damage() != null) {
            damage = probe.damage();
            nextSyncedRecordOffset = findSyncedRecordAfter(position);
            stop = nextSyncedRecordOffset < 0 ? Stop.TORN_TAIL : Stop.CORRUPTION;
            return null;
        }
        LogRecord record = toRecord(position, probe.header(), probe.bytes(), withValues);
        position = record.end();
        return record;
    }

    /** Why the reader stopped, or {@code null} while {@link #next()} has not yet returned {@code null}. */
    public Stop stop() {
        return stop;
    }

    /** The offset just past the last good record returned: where the valid log ends so far. */
    public long validEnd() {
        return position;
    }

    /** Where the bad record starts (equal to {@link #validEnd()}), or -1 when none was met. */
    public long damageOffset() {
        return damage == null ? -1 : position;
    }

    /**
     * Where the first valid record with the {@link LogFormat#SYNCED_BEFORE} flag after the bad one
     * starts ({@link Stop#CORRUPTION}: the proof that the bad bytes were durable), else -1. Valid
     * records without the flag may lie between the two.
     */
    public long nextSyncedRecordOffset() {
        return nextSyncedRecordOffset;
    }

    /**
     * The bad record as an exception naming the file, its offset and what is wrong (for a
     * corruption, also where the flagged record after it is), or {@code null} when no bad record was met.
     */
    public CorruptionException damage() {
        if (damage == null) {
            return null;
        }
        if (stop == Stop.TORN_TAIL) {
            return new CorruptionException(path, position, damage.describe() + "; no valid record written after an"
                    + " fsync follows it in the " + (end - position) + " bytes up to offset " + end, null);
        }
        return new CorruptionException(path, position, damage.describe() + "; a valid record written after an"
                + " fsync follows at offset " + nextSyncedRecordOffset + ", so these bytes were durable: this is"
                + " damage, not a torn tail (hardware problem?)", null);
    }

    /**
     * Reads and checks the one record at {@code offset}, which an index says is {@code expectedSize}
     * bytes long: how step 3 serves a {@code get}. One positional read of {@code expectedSize} bytes.
     * The {@link LogFormat#SYNCED_BEFORE} flag plays no part here; the record reports it as stored.
     *
     * @throws CorruptionException when the record is not there: a bad header, another size, a wrong
     *                             checksum, or a file that ends first
     */
    public static LogRecord readRecordAt(VfsFile file, Path path, long offset, int expectedSize) {
        if (expectedSize < LogFormat.RECORD_HEADER_SIZE || expectedSize > LogFormat.MAX_RECORD_SIZE) {
            throw new IllegalArgumentException("no record is " + expectedSize + " bytes long");
        }
        ByteBuffer bytes = ByteBuffer.allocate(expectedSize);
        try {
            file.readFully(offset, bytes);
        } catch (UncheckedIOException e) {
            // The file ends before the record does. Asked only now, not before every read: a size
            // check up front cost a second system call (fstat) per get, a third of step 3's get time.
            if (e.getCause() instanceof EOFException) {
                throw new CorruptionException(path, offset, "record of " + expectedSize + " bytes",
                        "a file of at least " + (offset + expectedSize) + " bytes", "a file of " + file.size() + " bytes");
            }
            throw e;
        }
        bytes.flip();
        RecordHeader header = RecordHeader.read(bytes);
        Damage damage = header.check(expectedSize);
        if (damage == null && header.recordSize() != expectedSize) {
            damage = new Damage("record size", expectedSize + " bytes", header.recordSize() + " bytes");
        }
        if (damage == null) {
            damage = checksumDamage(header, bytes);
        }
        if (damage != null) {
            throw damage.at(path, offset);
        }
        return toRecord(offset, header, bytes, true);
    }

    /** Decodes and checks the record at {@code at}: its bytes and header, or what is wrong with it. */
    private Probe probe(long at) {
        long left = end - at;
        if (left < LogFormat.RECORD_HEADER_SIZE) {
            return Probe.bad(new Damage("record header", LogFormat.RECORD_HEADER_SIZE + " bytes",
                    "only " + left + " bytes before the end of the log (a record cut short?)"));
        }
        RecordHeader header = RecordHeader.read(window.read(at, LogFormat.RECORD_HEADER_SIZE));
        Damage damage = header.check(left);
        if (damage != null) {
            return Probe.bad(damage);
        }
        ByteBuffer bytes = window.read(at, header.recordSize());
        damage = checksumDamage(header, bytes);
        return damage != null ? Probe.bad(damage) : new Probe(header, bytes, null);
    }

    /**
     * The first offset after {@code bad} at which a complete, valid record with the
     * {@link LogFormat#SYNCED_BEFORE} flag starts, or -1: the test that tells a torn tail from
     * corruption (invariant 7). A valid record without the flag is passed over: it proves
     * nothing about the bytes before it. Every byte offset is tried, since the bad record's own
     * length cannot be trusted. Most offsets fail on the type byte at once (zeros always do), so
     * this costs about one read of the rest of the file. (Package-private for its tests, which
     * call it on a hand-made log.)
     */
    long findSyncedRecordAfter(long bad) {
        // LAB:BEGIN step2.synced-after — Find a valid SYNCED_BEFORE record after a bad one: the proof that tells corruption from a torn tail
        for (long at = bad + 1; at + LogFormat.RECORD_HEADER_SIZE <= end; at++) {
            RecordHeader header = RecordHeader.read(window.read(at, LogFormat.RECORD_HEADER_SIZE));
            if (header.syncedBefore() && header.isPlausible(end - at)
                    && checksumDamage(header, window.read(at, header.recordSize())) == null) {
                return at;
            }
        }
        return -1;
        // LAB:END
    }

    /**
     * What is wrong with the checksum of the record in {@code bytes} (index 0 = record start, at
     * least {@code header.recordSize()} bytes), or {@code null} when it matches. O(record size).
     */
    static Damage checksumDamage(RecordHeader header, ByteBuffer bytes) {
        // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
        // LAB:BEGIN step2.checksum — Verify a record's CRC32C against the bytes it covers
        int actual = LogFormat.checksum(bytes, header.recordSize());
        if (actual == header.storedCrc()) {
            return null;
        }
        return new Damage("record checksum (CRC32C)", LogFormat.hex(header.storedCrc()) + " as stored",
                LogFormat.hex(actual) + " computed over the " + (header.recordSize() - 4) + " bytes it covers");
        // LAB:END
        // BUILD:END
    }

    private static LogRecord toRecord(long offset, RecordHeader header, ByteBuffer bytes, boolean withValues) {
        // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
        byte[] key = new byte[header.keyLength()];
        bytes.get(LogFormat.RECORD_HEADER_SIZE, key);
        int valueLength = (int) header.valueLength();
        byte[] value = null;
        if (withValues) {
            value = new byte[valueLength];
            bytes.get(LogFormat.RECORD_HEADER_SIZE + key.length, value);
        }
        return new LogRecord(offset, header.recordSize(), header.type(), header.syncedBefore(), key, valueLength,
                value);
        // BUILD:END
    }

    /** A decoded record's header and bytes (index 0 = record start), or the damage found instead. */
    private record Probe(RecordHeader header, ByteBuffer bytes, Damage damage) {
        static Probe bad(Damage damage) {
            return new Probe(null, null, damage);
        }
    }
}
