package dev.kvbook.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * Small helpers for byte-array keys: their order, and turning them into text for people.
 */
public final class Keys {

    /**
     * Unsigned lexicographic order: the order of every {@link OrderedKeyValueStore}.
     * Bytes compare as 0..255 (Java's {@code byte} is signed, so a plain comparison would put
     * {@code 0x80} before {@code 0x00}); a prefix sorts before its extensions.
     */
    public static final Comparator<byte[]> COMPARATOR = Arrays::compareUnsigned;

    private static final HexFormat HEX = HexFormat.of();

    private Keys() {
    }

    /** UTF-8 bytes of {@code text}; the usual way tests, notebooks and the CLI make keys. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns whether {@code key} lies in {@code [from, to)}, where a {@code null} bound is open. */
    public static boolean inRange(byte[] key, byte[] fromInclusive, byte[] toExclusive) {
        return (fromInclusive == null || COMPARATOR.compare(key, fromInclusive) >= 0)
                && (toExclusive == null || COMPARATOR.compare(key, toExclusive) < 0);
    }

    /**
     * Renders bytes for a person: as a quoted string when they are printable ASCII, otherwise as
     * {@code 0x} followed by hex. Long arrays are cut to their first 32 bytes with the length.
     */
    public static String toDisplay(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        int shown = Math.min(bytes.length, 32);
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++) {
            printable = bytes[i] >= 0x20 && bytes[i] < 0x7f;
        }
        String head = printable
                ? '"' + new String(bytes, 0, shown, StandardCharsets.US_ASCII) + '"'
                : "0x" + HEX.formatHex(bytes, 0, shown);
        return bytes.length > shown ? head + "...(" + bytes.length + " bytes)" : head;
    }
}
