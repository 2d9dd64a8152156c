package dev.kvbook.api;

import java.util.Arrays;

/**
 * One key and its value, as iterators and scans return them.
 *
 * <p>A record holding arrays would compare them by identity; this one compares, hashes and
 * prints them by content, so entries can be put in sets and compared in tests.
 */
public record Entry(byte[] key, byte[] value) {

    public Entry {
        Limits.checkKey(key);
        Limits.checkValue(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return Keys.toDisplay(key) + "=" + Keys.toDisplay(value);
    }
}
