package dev.kvbook.bench;

/**
 * How long and how big a run is: {@code --quick} (under ten minutes on two cores, for a first
 * look and for checking the harness) or {@code --full} (the figures the book quotes).
 *
 * @param name             {@code quick} or {@code full}
 * @param forks            JMH forks per benchmark (fresh JVMs)
 * @param warmups          warm-up iterations per fork
 * @param iterations       measured iterations per fork
 * @param iterationSeconds seconds per iteration
 * @param readKeys         keys loaded before the read and scan workloads
 * @param loadBudgetMs     the most a read setup may spend loading them
 * @param scalingSizes     the N of the load/reopen/footprint workloads
 * @param scalingBudgetMs  the most one load of N keys may take before it stops early
 * @param hintSizes        the N at which step 3 is reopened with and without hint files
 *                         ({@link HintFileReopen}); 10^6 is the target's N, so both plans include it
 * @param smallHeapKeys    the N step 4 loads in a 64 MiB child JVM ({@link SmallHeapLoad}); 0 skips it
 * @param bloomKeys        the keys step 6 loads, and the absent keys it then asks for, to measure its
 *                         Bloom filters ({@link BloomFalsePositives})
 * @param lsmSizes         the N of step 6's load table ({@link LsmLoad}); only {@code --full} reaches
 *                         10^6, the write-amplification targets' N, because steps 4 and 5 write about
 *                         5 and 9 GB to get there, most of the time the table takes
 */
record Plan(String name, int forks, int warmups, int iterations, double iterationSeconds, int readKeys,
            long loadBudgetMs, long[] scalingSizes, long scalingBudgetMs, long[] hintSizes, long smallHeapKeys,
            long bloomKeys, long[] lsmSizes) {

    static Plan quick() {
        return new Plan("quick", 1, 1, 2, 1.0, 10_000, 3_000, new long[] {1_000, 10_000, 100_000}, 4_000,
                new long[] {100_000, 1_000_000}, 1_000_000, 100_000, new long[] {10_000, 100_000});
    }

    static Plan full() {
        // two forks so a lucky or unlucky JVM shows in the error; 2 warm-ups + 3 measured × 2 s keeps
        // the ~90 JMH figures near 45 minutes on two cores (3 warm-ups + 5 measured were estimated at 90)
        return new Plan("full", 2, 2, 3, 2.0, 100_000, 60_000,
                new long[] {1_000, 10_000, 100_000, 1_000_000}, 120_000, new long[] {100_000, 1_000_000}, 1_000_000,
                1_000_000, LsmLoad.SIZES);
    }
}
