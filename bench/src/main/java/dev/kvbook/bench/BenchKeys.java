package dev.kvbook.bench;

import java.nio.charset.StandardCharsets;

/**
 * The workloads' keys and values, computed from a number so any of them can be recomputed to
 * check what an engine returns, without keeping them.
 *
 * <p>A key is {@code k} and 15 hex digits, 16 bytes. The i-th key is not {@code k<i>}: i is
 * multiplied by an odd constant modulo 2^60 (one-to-one, so keys never collide), which spreads
 * consecutive i over the whole key space, like random keys. The keys are ASCII on purpose: every
 * engine then sorts them the same way, whether it compares bytes signed or unsigned.
 */
public final class BenchKeys {

    /** Key length: {@code "k".length() + 15 hex digits}. */
    public static final int KEY_SIZE = 1 + 15;

    /** Value length in every workload but the counter. */
    public static final int VALUE_SIZE = 100;

    /** The bytes a user asks to store per put: one key and one value. */
    public static final int USER_BYTES_PER_PUT = KEY_SIZE + VALUE_SIZE;

    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L; // odd: a bijection modulo 2^60
    private static final long MASK_60_BITS = (1L << 60) - 1;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private BenchKeys() {
    }

    /** The i-th key (i >= 0), 16 bytes, in scrambled order. */
    public static byte[] key(long i) {
        long scrambled = (i * MULTIPLIER) & MASK_60_BITS;
        byte[] key = new byte[KEY_SIZE];
        key[0] = 'k';
        for (int at = KEY_SIZE - 1; at >= 1; at--, scrambled >>>= 4) {
            key[at] = HEX[(int) (scrambled & 0xf)];
        }
        return key;
    }

    /** The value of the i-th key in its {@code version}-th write: {@value #VALUE_SIZE} printable letters. */
    public static byte[] value(long i, int version) {
        byte[] value = new byte[VALUE_SIZE];
        long seed = i * 7 + version * 5L;
        for (int j = 0; j < VALUE_SIZE; j++) {
            value[j] = (byte) ('a' + Math.floorMod(seed + j * 13L, 26));
        }
        return value;
    }

    /** The counter's value: the count as 8 big-endian bytes. */
    public static byte[] encodeCount(long count) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(count).array();
    }

    /** Reads a counter value written by {@link #encodeCount}. */
    public static long decodeCount(byte[] value) {
        if (value.length != Long.BYTES) {
            throw new IllegalStateException("counter value is " + value.length + " bytes, expected " + Long.BYTES);
        }
        return java.nio.ByteBuffer.wrap(value).getLong();
    }
}
