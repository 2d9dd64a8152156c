package dev.kvbook.api;

/**
 * A {@link KeyValueStore} that keeps its keys sorted, so it can answer range queries.
 *
 * <p>Keys compare as unsigned bytes, lexicographically: {@code 0x01 < 0x7f < 0x80 < 0xff}, and a
 * key sorts before every longer key it is a prefix of ({@code "ab" < "abc"}). This is
 * {@link java.util.Arrays#compareUnsigned(byte[], byte[])}, available as {@link Keys#COMPARATOR}.
 */
public interface OrderedKeyValueStore extends KeyValueStore {

    /**
     * Iterates over the live entries with keys in {@code [fromInclusive, toExclusive)} in key
     * order. A {@code null} bound means unbounded on that side; {@code scan(null, null)} is the
     * whole store. A range whose start is not before its end is empty.
     */
    CloseableIterator<Entry> scan(byte[] fromInclusive, byte[] toExclusive);
}
