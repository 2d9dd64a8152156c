package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

/**
 * One key's newest word in one place (the memtable, or one sorted table): a value, or a
 * tombstone that says "deleted". The unit every part of the tree passes around: tables store
 * cells, the merging iterator merges them, compaction rewrites them.
 *
 * <p>A tombstone must be kept, not just dropped, until no older cell for its key can exist below
 * it: otherwise the older value would show through again (a resurrected key).
 *
 * @param key   the key
 * @param value the value, or {@code null} for a tombstone
 */
record Cell(byte[] key, byte[] value) {

    /** A tombstone for {@code key}. */
    static Cell tombstone(byte[] key) {
        return new Cell(key, null);
    }

    /** Whether this cell deletes its key. */
    boolean isTombstone() {
        return value == null;
    }

    /** Bytes the cell takes in a table: the entry header, key and value ({@link TableFormat#entrySize}). */
    int encodedSize() {
        return TableFormat.entrySize(key.length, value == null ? 0 : value.length);
    }

    @Override
    public String toString() {
        return Keys.toDisplay(key) + (value == null ? " TOMBSTONE" : " = " + Keys.toDisplay(value));
    }
}
