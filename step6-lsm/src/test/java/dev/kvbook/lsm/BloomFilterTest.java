package dev.kvbook.lsm;

import org.junit.jupiter.api.Test;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bloom filter: no false negatives ever, and a false-positive rate near the formula
 * {@code (1 - e^(-kn/m))^k}. The measured rate is printed beside the formula's; the assertion
 * is generous (under twice the formula's, plus 0.1 percentage points), so that the test fails for
 * a broken hash or a wrong bit count, not for sampling noise. The keys are fixed, so the figure is
 * the same on every run.
 */
class BloomFilterTest {

    private static final int KEYS = 20_000;
    private static final int PROBES = 200_000;

    @Test
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
