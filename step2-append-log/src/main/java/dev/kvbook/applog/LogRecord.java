package dev.kvbook.applog;

import dev.kvbook.api.Keys;

/**
 * One record as {@link LogReader} found it in the log: where it is, what it is, and its bytes.
 *
 * <p>Like any record holding arrays, two of these compare by array identity; compare fields.
 *
 * @param offset       where the record starts in the file
 * @param size         its length in bytes, header included: {@code 11 + key + value}
 * @param type         the type code, {@link LogFormat#TYPE_PUT} or {@link LogFormat#TYPE_TOMBSTONE}
 *                     (without the flag bit)
 * @param syncedBefore whether it carries the {@link LogFormat#SYNCED_BEFORE} flag: every byte
 *                     before it was durable when it became part of the log (invariant 7)
 * @param key          the key (a fresh array)
 * @param valueLength  the value's length in bytes (0 for a tombstone)
 * @param value        the value (a fresh array), or {@code null} when it was read without values
 */
public record LogRecord(long offset, int size, byte type, boolean syncedBefore, byte[] key, int valueLength,
                        byte[] value) {

    /** Returns whether this record deletes its key. */
    public boolean isTombstone() {
        return type == LogFormat.TYPE_TOMBSTONE;
    }

    /** Returns the offset just past this record: where the next one starts. */
    public long end() {
        return offset + size;
    }

    /** Returns "PUT" or "TOMBSTONE", followed by " (after fsync)" when the record carries the flag. */
    public String typeName() {
        return LogFormat.typeName(LogFormat.typeByte(type, syncedBefore));
    }

    @Override
    public String toString() {
        return "@" + offset + " " + typeName() + " " + Keys.toDisplay(key)
                + (isTombstone() ? "" : " (" + valueLength + "-byte value)");
    }
}
