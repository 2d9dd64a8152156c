package dev.kvbook.api;

import java.util.Objects;

/**
 * The key and value size limits every store enforces, and the argument checks that enforce them.
 *
 * <p>Why limits at all? Every on-disk format stores lengths, and a reader must be able to tell
 * a real length from a damaged one before it allocates a buffer. With these limits a corrupt
 * length field of, say, 2 GiB is recognised as damage instead of crashing the JVM with
 * {@link OutOfMemoryError}. The numbers are those of the DESIGN contract: keys up to 1 KiB
 * (enough for any composite key, small enough for several per B+tree page) and values up to
 * 16 MiB.
 */
public final class Limits {

    /** The longest key, in bytes: 1024. */
    public static final int MAX_KEY_SIZE = 1024;

    /** The longest value, in bytes: 16 MiB. */
    public static final int MAX_VALUE_SIZE = 16 * 1024 * 1024;

    private Limits() {
    }

    /** Checks a key argument: not null, at most {@link #MAX_KEY_SIZE} bytes. Returns it. */
    public static byte[] checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException(
                    "key is " + key.length + " bytes; the limit is " + MAX_KEY_SIZE + " bytes");
        }
        return key;
    }

    /** Checks a value argument: not null, at most {@link #MAX_VALUE_SIZE} bytes. Returns it. */
    public static byte[] checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException(
                    "value is " + value.length + " bytes; the limit is " + MAX_VALUE_SIZE + " bytes (16 MiB)");
        }
        return value;
    }

    /** Checks an optional range bound: {@code null} (unbounded) or a legal key. Returns it. */
    public static byte[] checkBound(byte[] bound) {
        return bound == null ? null : checkKey(bound);
    }
}
