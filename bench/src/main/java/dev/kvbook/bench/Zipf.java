package dev.kvbook.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws key indices in {@code [0, n)} for the read workloads: uniformly, or Zipfian (the rank-r
 * key is drawn with probability proportional to 1/r^s, s = {@value #EXPONENT}, as in YCSB), so a
 * few keys are hot, as in real traffic.
 *
 * <p>Draws are made up front into an array the benchmark cycles through, so the random number
 * generator costs nothing in the measured loop. The hot ranks are scattered over the key space
 * (rank r is key r·p mod n for a prime p not dividing n), so the hot keys are not neighbours.
 */
public final class Zipf {

    /** YCSB's skew: the hottest 1% of keys take a little over half the reads at 10^4 keys. */
    public static final double EXPONENT = 0.99;

    private static final long SCATTER_PRIME = 1_000_003L;

    private Zipf() {
    }

    /** {@code draws} indices in {@code [0, n)}, uniform or Zipfian, from a fixed seed. */
    public static int[] draws(String distribution, int n, int draws, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[draws];
        switch (distribution) {
            case "uniform" -> Arrays.setAll(out, i -> random.nextInt(n));
            case "zipfian" -> {
                double[] cumulative = cumulative(n);
                Arrays.setAll(out, i -> scatter(rank(cumulative, random.nextDouble()), n));
            }
            default -> throw new IllegalArgumentException("distribution must be uniform or zipfian, not " + distribution);
        }
        return out;
    }

    /** cumulative[r] = P(rank <= r), for ranks 0 .. n-1 (rank 0 is the hottest). O(n). */
    private static double[] cumulative(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1 / Math.pow(r + 1, EXPONENT);
            cumulative[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cumulative[r] /= sum;
        }
        return cumulative;
    }

    /** The rank whose cumulative probability first reaches {@code u}: a binary search. */
    private static int rank(double[] cumulative, double u) {
        int found = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, found >= 0 ? found : -found - 1);
    }

    private static int scatter(int rank, int n) {
        long prime = n % SCATTER_PRIME == 0 ? 1_000_033L : SCATTER_PRIME;
        return (int) ((rank * prime) % n);
    }
}
