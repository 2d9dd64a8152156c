package dev.kvbook.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Workload 3, point reads: {@code get} of keys that are there, drawn uniformly or Zipfian
 * ({@link Zipf}) from a loaded store ({@link LoadedStore}). Score: gets per second.
 */
public class PointReadBenchmark {

    /** How many draws are made up front; the benchmark cycles through them. */
    static final int DRAWS = 1 << 16;

    /** Which key to read next: each thread its own sequence. */
    @State(Scope.Thread)
    public static class Reader {
        @Param({"uniform"})
        public String distribution;

        int[] order;
        int next;

        @Setup(Level.Trial)
        public void draw(LoadedStore loaded) {
            order = Zipf.draws(distribution, Math.max(1, loaded.loaded), DRAWS, 42);
        }

        byte[] nextKey(LoadedStore loaded) {
            return loaded.keyBytes[order[next++ & (DRAWS - 1)]];
        }
    }

    /** One get of a key that is there; a missing value is a wrong answer and stops the run. */
    @Benchmark
    public byte[] get(LoadedStore loaded, Reader reader) {
        byte[] key = reader.nextKey(loaded);
        byte[] value = loaded.engine.get(key);
        if (value == null) {
            throw new IllegalStateException(loaded.store + " lost a key it was given");
        }
        return value;
    }
}
