package dev.kvbook.cli;

/**
 * The keys and values of the tour and of {@code kv load}: made up from a number, so any of them
 * can be recomputed to check what a store returns, without keeping them in memory.
 *
 * <p>Keys are {@code key-} and twelve digits, 16 bytes, like the "16-byte random keys" of the
 * benchmarks. The i-th tour key is not {@code key-<i>}: i is scrambled by multiplying with an odd
 * constant not divisible by 5 modulo 10^12 (a one-to-one mapping, so keys never collide), which
 * makes the load arrive in random key order, as real keys do, rather than sorted.
 */
final class TourKeys {

    /** Key length: {@code "key-".length() + 12 digits}. */
    static final int KEY_SIZE = 4 + 12;

    /** Value length in the tour. */
    static final int VALUE_SIZE = 100;

    private static final long MODULUS = 1_000_000_000_000L;
    private static final long MULTIPLIER = 2_654_435_761L; // odd, and not a multiple of 5: coprime to 10^12

    private TourKeys() {
    }

    /** The i-th tour key, 16 bytes, in scrambled order. */
    static byte[] key(long i) {
        return digits(Math.floorMod(i * MULTIPLIER + 12_345, MODULUS));
    }

    /** {@code key-} and {@code n} as twelve digits. */
    static byte[] digits(long n) {
        byte[] key = {'k', 'e', 'y', '-', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
        for (int at = KEY_SIZE - 1; n > 0; at--, n /= 10) {
            key[at] = (byte) ('0' + n % 10);
        }
        return key;
    }

    /** The value of the i-th key in its {@code version}-th write: {@code size} printable letters. */
    static byte[] value(long i, int version, int size) {
        byte[] value = new byte[size];
        long seed = i * 7 + version * 5L;
        for (int j = 0; j < size; j++) {
            value[j] = (byte) ('a' + Math.floorMod(seed + j * 13L, 26));
        }
        return value;
    }
}
