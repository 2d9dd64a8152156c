package dev.kvbook.lsm;

import java.util.Arrays;

/**
 * A Bloom filter: a bit array that answers "is this key in the table?" with "certainly not" or
 * "maybe", so that a get skips the tables that cannot hold its key without reading them.
 *
 * <h2>How it works</h2>
 * Adding a key sets {@code k} bits, at positions computed from the key's hash. Asking about a key
 * checks its {@code k} bits: if any is 0 the key was never added (no false negatives); if all
 * are 1 it probably was, unless other keys happened to set them all (a false positive).
 *
 * <h2>The arithmetic</h2>
 * With {@code m} bits, {@code n} keys and {@code k} hash functions, a given bit is still 0 after
 * all adds with probability {@code (1 - 1/m)^(kn) ≈ e^(-kn/m)}, so a key never added finds all
 * its {@code k} bits set with probability {@code p ≈ (1 - e^(-kn/m))^k}. For {@code b = m/n}
 * bits per key, {@code p} is smallest at {@code k = b ln 2}, where {@code p ≈ 0.6185^b}: 10 bits
 * per key, {@code k = 7}, give about 0.82%. {@link #expectedFalsePositiveRate} computes the
 * exact formula; {@code BloomFilterTest} measures the real rate against it.
 *
 * <h2>The hash (frozen: it is part of the table format)</h2>
 * A 64-bit FNV-1a over the key's bytes, then MurmurHash3's 64-bit finalizer to spread it; its low
 * and high 32 bits are {@code h1} and {@code h2}, and probe {@code i} (0 to k-1) is bit
 * {@code (h1 + i * h2) mod m} (unsigned): Kirsch and Mitzenmacher's double hashing, which is as
 * good as k independent hashes for a Bloom filter. Bit {@code j} is bit {@code j mod 8} (least
 * significant first) of byte {@code j / 8}.
 *
 * <p>Not thread-safe while keys are added; read-only afterwards, and then safe to share.
 */
final class BloomFilter {

    /** The fewest bits a filter has, so that a tiny table's filter is not all ones. */
    static final int MIN_BITS = 64;

    private final int hashCount;
    private final int bitCount;
    private final byte[] bits;

    private BloomFilter(int hashCount, int bitCount, byte[] bits) {
        this.hashCount = hashCount;
        this.bitCount = bitCount;
        this.bits = bits;
    }

    /** An empty filter sized for {@code keys} keys at {@code bitsPerKey} bits each. */
    static BloomFilter forKeys(int keys, int bitsPerKey) {
        if (bitsPerKey < 1 || bitsPerKey > 64) {
            throw new IllegalArgumentException("bits per key must be 1 to 64, not " + bitsPerKey);
        }
        int bitCount = (int) Math.max(MIN_BITS, Math.min((long) keys * bitsPerKey, Integer.MAX_VALUE - 7));
        return new BloomFilter(hashCountFor(bitsPerKey), bitCount, new byte[(bitCount + 7) / 8]);
    }

    /** A filter as read from a table: {@code bits} must hold {@code ceil(bitCount / 8)} bytes. */
    static BloomFilter of(int hashCount, int bitCount, byte[] bits) {
        assert bits.length == (bitCount + 7) / 8 : bits.length + " bytes for " + bitCount + " bits";
        return new BloomFilter(hashCount, bitCount, bits);
    }

    /** The best number of hash functions for {@code bitsPerKey}: {@code round(b ln 2)}, 1 to 30. */
    static int hashCountFor(int bitsPerKey) {
        return (int) Math.max(1, Math.min(30, Math.round(bitsPerKey * Math.log(2))));
    }

    /** {@code (1 - e^(-kn/m))^k}: the false-positive rate theory expects for these figures. */
    static double expectedFalsePositiveRate(int hashCount, long bitCount, long keys) {
        return Math.pow(1 - Math.exp(-(double) hashCount * keys / bitCount), hashCount);
    }

    /** Sets the key's {@code k} bits. O(key length + k). */
    void add(byte[] key) {
        addHash(hash(key));
    }

    /** Sets the {@code k} bits of a key whose {@link #hash} this is. O(k). */
    void addHash(long hash) {
        for (int bit : bitPositions(hash)) {
            bits[bit >>> 3] |= (byte) (1 << (bit & 7));
        }
    }

    /** Whether the key may have been added: false means certainly not. O(key length + k). */
    boolean mayContain(byte[] key) {
        for (int bit : bitPositions(hash(key))) {
            if ((bits[bit >>> 3] & (1 << (bit & 7))) == 0) {
                return false; // a bit every add of this key would have set is 0: never added
            }
        }
        return true;
    }

    /**
     * The {@code k} bit positions of a key whose {@link #hash} this is, probe 0 first: double
     * hashing, {@code (h1 + i * h2) mod m} as unsigned 64-bit arithmetic, with {@code h1} the
     * hash's low 32 bits and {@code h2} its high 32 bits (the class comment; frozen, since the
     * bits are written into every table). O(k).
     */
    int[] bitPositions(long hash) {
        // LAB:BEGIN step6.bloom — Compute a hash's k bit positions by double hashing: (h1 + i * h2) mod m, unsigned
        long h1 = hash & 0xFFFFFFFFL;
        long h2 = hash >>> 32;
        int[] positions = new int[hashCount];
        for (int i = 0; i < hashCount; i++) {
            positions[i] = (int) Long.remainderUnsigned(h1 + i * h2, bitCount);
        }
        return positions;
        // LAB:END
    }

    /** FNV-1a 64 over the bytes, then MurmurHash3's fmix64. Frozen (see the class comment). */
    static long hash(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    int hashCount() {
        return hashCount;
    }

    int bitCount() {
        return bitCount;
    }

    /** The bit array (a copy). */
    byte[] bits() {
        return Arrays.copyOf(bits, bits.length);
    }

    /** The bit array itself, for writing it out. */
    byte[] bitsForWriting() {
        return bits;
    }
}
