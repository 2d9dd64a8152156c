package dev.kvbook.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The workloads' inputs are what the results page says they are. */
class KeysAndDrawsTest {

    @Test
    void keysAreSixteenAsciiBytesAndNeverCollide() {
        Set<ByteBuffer> seen = new HashSet<>();
        for (long i = 0; i < 100_000; i++) {
            byte[] key = BenchKeys.key(i);
            assertThat(key).hasSize(BenchKeys.KEY_SIZE);
            for (byte b : key) {
                assertThat(b).isBetween((byte) 0x21, (byte) 0x7e);
            }
            assertThat(seen.add(ByteBuffer.wrap(key))).isTrue();
        }
        assertThat(BenchKeys.key(3L * CommitBenchmark.THREAD_STRIDE)).isNotEqualTo(BenchKeys.key(3));
    }

    @Test
    void zipfianDrawsMakeAFewKeysHotAndUniformDrawsDoNot() {
        int n = 10_000;
        assertThat(share(Zipf.draws("zipfian", n, 1 << 16, 1), n)).isGreaterThan(0.05);
        assertThat(share(Zipf.draws("uniform", n, 1 << 16, 1), n)).isLessThan(0.01);
    }

    @Test
    void everyDrawIsAKeyThatWasLoaded() {
        for (String distribution : new String[] {"uniform", "zipfian"}) {
            assertThat(java.util.Arrays.stream(Zipf.draws(distribution, 300, 10_000, 5))).allMatch(i -> i >= 0 && i < 300);
        }
    }

    /** The share of draws that went to the single most drawn key. */
    private static double share(int[] draws, int n) {
        int[] counts = new int[n];
        int max = 0;
        for (int i : draws) {
            max = Math.max(max, ++counts[i]);
        }
        return (double) max / draws.length;
    }
}
