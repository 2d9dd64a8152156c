package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

/**
 * What the manifest knows of one sorted table: its number (the file {@code NNNNNN.sst}), its size
 * and its key range. Enough to pick the tables a key or a compaction needs without opening them.
 *
 * @param number   the table's file number
 * @param size     its length in bytes
 * @param smallest its first key
 * @param largest  its last key
 */
record TableInfo(long number, long size, byte[] smallest, byte[] largest) {

    /** Whether {@code key} lies in {@code [smallest, largest]}. */
    boolean covers(byte[] key) {
        return Keys.COMPARATOR.compare(key, smallest) >= 0 && Keys.COMPARATOR.compare(key, largest) <= 0;
    }

    /** Whether this table's range meets {@code [from, to]} (inclusive; null bounds are open). */
    boolean overlaps(byte[] from, byte[] to) {
        return (from == null || Keys.COMPARATOR.compare(largest, from) >= 0)
                && (to == null || Keys.COMPARATOR.compare(smallest, to) <= 0);
    }

    @Override
    public String toString() {
        return StoreFiles.tableName(number) + " (" + size + " bytes, " + Keys.toDisplay(smallest) + " .. "
                + Keys.toDisplay(largest) + ")";
    }
}
