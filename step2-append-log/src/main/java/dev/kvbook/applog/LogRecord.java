package dev.kvbook.applog;

import dev.kvbook.api.Keys;

/**
 * One record as {@link LogReader} found it in the log: where it is, what it is, and its bytes.
 *
 * <p>Like any record holding arrays, two of these compare by array identity; compare fields.
 *
 * @param offset      where the record starts in the file
 * @param size        its length in bytes, header included: {@code 11 + key + value}
 * @param type        {@link LogFormat#TYPE_PUT} or {@link LogFormat#TYPE_TOMBSTONE}
 * @param key         the key (a fresh array)
 * @param valueLength the value's length in bytes (0 for a tombstone)
 * @param value       the value (a fresh array), or {@code null} when it was read without values
 */
public record LogRecord(long offset, int size, byte type, byte[] key, int valueLength, byte[] value) {

    /** Returns whether this record deletes its key. */
    public boolean isTombstone() {
        return type == LogFormat.TYPE_TOMBSTONE;
    }

    /** Returns the offset just past this record: where the next one starts. */
    public long end() {
        return offset + size;
    }

    @Override
    public String toString() {
        return "@" + offset + " " + LogFormat.typeName(type) + " " + Keys.toDisplay(key)
                + (isTombstone() ? "" : " (" + valueLength + "-byte value)");
    }
}
