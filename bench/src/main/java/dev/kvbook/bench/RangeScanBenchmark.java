package dev.kvbook.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;

/**
 * Workload 4, range scans: visit {@value #LENGTH} keys in order from a random loaded key, on the
 * stores that keep keys sorted. Score: scans per second (multiply by {@value #LENGTH} for entries).
 */
public class RangeScanBenchmark {

    /** Entries visited per scan. */
    public static final int LENGTH = 100;

    /** Where each scan starts: each thread its own sequence of start keys. */
    @State(Scope.Thread)
    public static class Starts {
        SplittableRandom random;

        @Setup(Level.Trial)
        public void seed() {
            random = new SplittableRandom(7);
        }

        /** A start key with at least LENGTH keys from it to the end (or the first key in a tiny store). */
        byte[] next(LoadedStore loaded) {
            int choices = Math.max(1, loaded.loaded - LENGTH);
            return loaded.sortedKeys[random.nextInt(choices)];
        }

        /** How many entries a scan from a start key chosen by {@link #next} must visit. */
        int expected(LoadedStore loaded) {
            return Math.min(LENGTH, loaded.loaded);
        }
    }

    /** One scan of LENGTH entries; a short scan is a wrong answer and stops the run. */
    @Benchmark
    public int scan(LoadedStore loaded, Starts starts) {
        int seen = loaded.engine.scan(starts.next(loaded), LENGTH);
        if (seen != starts.expected(loaded)) {
            throw new IllegalStateException(loaded.store + " scan visited " + seen + " entries, expected "
                    + starts.expected(loaded));
        }
        return seen;
    }
}
