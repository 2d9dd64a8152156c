package dev.kvbook.lsm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bloom filter: no false negatives ever, and a false-positive rate near the formula
 * {@code (1 - e^(-kn/m))^k}. The measured rate is printed beside the formula's; the assertion
 * is generous (under twice the formula's, plus 0.1 percentage points), so that the test fails for
 * a broken hash or a wrong bit count, not for sampling noise. The keys are fixed, so the figure is
 * the same on every run. The bit positions themselves are pinned by
 * {@link #theBitPositionsAreTheFrozenDoubleHashingFormula}: tables on disk depend on them. The
 * tests that run the lab's code carry its tag; the hash and the hash count are given.
 */
class BloomFilterTest {

    private static final int KEYS = 20_000;
    private static final int PROBES = 200_000;

    @Test
    @Tag("lab:step6.bloom")
    void theBitPositionsAreTheFrozenDoubleHashingFormula() {
        // h1 = 3 (the low half), h2 = 5 (the high half); 64 bits, k = 7: 3 + 5i.
        BloomFilter small = BloomFilter.forKeys(1, 10);
        assertThat(small.bitCount()).isEqualTo(64);
        assertThat(small.bitPositions(0x0000_0005_0000_0003L)).containsExactly(3, 8, 13, 18, 23, 28, 33);
        // h1 = 100, h2 = 2^32 - 1; 70 bits, k = 5: (100 + i (2^32 - 1)) mod 70, so h2 must not be sign-extended.
        BloomFilter odd = BloomFilter.forKeys(10, 7);
        assertThat(odd.bitCount()).isEqualTo(70);
        assertThat(odd.bitPositions(0xFFFF_FFFF_0000_0064L)).containsExactly(30, 5, 50, 25, 0);
    }

    @Test
    @Tag("lab:step6.bloom")
    void anEmptyFilterSaysNoAndAnAddedKeysBitsAreExactlyItsPositions() {
        BloomFilter filter = BloomFilter.forKeys(1, 10);
        byte[] key = utf8("cat");
        assertThat(filter.mayContain(key)).isFalse();
        filter.add(key);
        assertThat(filter.mayContain(key)).isTrue();
        int set = 0;
        for (byte b : filter.bits()) {
            set += Integer.bitCount(b & 0xff);
        }
        assertThat(set).as("bits set by one key: its distinct positions")
                .isEqualTo((int) java.util.Arrays.stream(filter.bitPositions(BloomFilter.hash(key))).distinct().count());
    }

    @Test
    @Tag("lab:step6.bloom")
    void aKeyThatWasAddedIsAlwaysFound() {
        BloomFilter filter = BloomFilter.forKeys(KEYS, 10);
        for (int i = 0; i < KEYS; i++) {
            filter.add(utf8("key-" + i));
        }
        for (int i = 0; i < KEYS; i++) {
            assertThat(filter.mayContain(utf8("key-" + i))).as("key-%d", i).isTrue();
        }
    }

    @Test
    @Tag("lab:step6.bloom")
    void theMeasuredFalsePositiveRateIsNearTheFormula() {
        for (int bitsPerKey : new int[] {5, 10, 16}) {
            BloomFilter filter = BloomFilter.forKeys(KEYS, bitsPerKey);
            for (int i = 0; i < KEYS; i++) {
                filter.add(utf8("key-" + i));
            }
            int falsePositives = 0;
            for (int i = 0; i < PROBES; i++) {
                if (filter.mayContain(utf8("absent-" + i))) {
                    falsePositives++;
                }
            }
            double measured = (double) falsePositives / PROBES;
            double expected = BloomFilter.expectedFalsePositiveRate(filter.hashCount(), filter.bitCount(), KEYS);
            System.out.printf("step6 Bloom filter, %d bits per key, k = %d: measured false-positive rate %.4f%%"
                    + " (%d of %d absent keys), formula %.4f%%%n", bitsPerKey, filter.hashCount(), 100 * measured,
                    falsePositives, PROBES, 100 * expected);
            assertThat(measured).as("false-positive rate at %d bits per key", bitsPerKey).isLessThan(2 * expected + 0.001);
        }
    }

    @Test
    void theHashCountIsBitsPerKeyTimesLnTwoRounded() {
        assertThat(BloomFilter.hashCountFor(10)).isEqualTo(7);
        assertThat(BloomFilter.hashCountFor(5)).isEqualTo(3);
        assertThat(BloomFilter.hashCountFor(1)).isEqualTo(1);
        assertThat(BloomFilter.expectedFalsePositiveRate(7, 10, 1)).isBetween(0.0081, 0.0083);
    }

    @Test
    void theHashIsFrozenBecauseTablesOnDiskDependOnIt() {
        assertThat(BloomFilter.hash(utf8("cat"))).isEqualTo(BloomFilter.hash(utf8("cat")));
        assertThat(Long.toHexString(BloomFilter.hash(new byte[0]))).isEqualTo(Long.toHexString(fmix(0xcbf29ce484222325L)));
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
