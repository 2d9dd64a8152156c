package dev.kvbook.api.inspect;

/**
 * Which items of each region a {@link StoreModel} carries: a large store is never described whole.
 * A region with at most {@code limit} items is shown whole; a longer one shows {@code limit}
 * items starting at {@code first} (moved back so the window stays full at the end), plus any
 * item the lookup touched ({@link StoreModel#lookup}). Each item keeps its index in the region's
 * full list, so the reader can count what was left out.
 *
 * @param first the index of the first item shown in a long region (0 = from the start)
 * @param limit how many items of a long region to show, 1 to {@value #MAX_LIMIT}
 * @param lookupKey a key whose {@code get} path the model should include, or {@code null}
 */
public record Window(long first, int limit, byte[] lookupKey) {

    /** The default window: the first items of each region. */
    public static final int DEFAULT_LIMIT = 64;
    /** The largest window: a model stays small enough to draw and to send to a browser. */
    public static final int MAX_LIMIT = 4096;

    public Window {
        if (first < 0) {
            throw new IllegalArgumentException("first must be at least 0, was " + first);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        lookupKey = lookupKey == null ? null : lookupKey.clone();
    }

    /** The first {@value #DEFAULT_LIMIT} items of each region, no lookup. */
    public static Window defaults() {
        return new Window(0, DEFAULT_LIMIT, null);
    }

    /** This window, with the path of a {@code get(key)} included. */
    public Window withLookup(byte[] key) {
        return new Window(first, limit, key);
    }

    @Override
    public byte[] lookupKey() {
        return lookupKey == null ? null : lookupKey.clone();
    }

    /** The index of the first item to show of a region holding {@code total} items. */
    public long start(long total) {
        return total <= limit ? 0 : Math.min(first, total - limit);
    }

    /** Whether the item at {@code index} of a region holding {@code total} items is in the window. */
    public boolean shows(long index, long total) {
        long start = start(total);
        return index >= start && index < start + limit;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Window w && w.first == first && w.limit == limit
                && java.util.Arrays.equals(w.lookupKey, lookupKey);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(first) * 31 + limit * 17 + java.util.Arrays.hashCode(lookupKey);
    }

    @Override
    public String toString() {
        return "Window[first=" + first + ", limit=" + limit + (lookupKey == null ? "" : ", lookup") + "]";
    }
}
