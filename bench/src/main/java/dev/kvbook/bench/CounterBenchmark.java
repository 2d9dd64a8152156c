package dev.kvbook.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Workload 1, the counter: read one key, add one, write it back, again and again. The classic
 * "small persisted state" (a settings file, a sequence number). Run durable (each increment
 * survives a crash when it returns) and relaxed. Score: increments per second.
 *
 * <p>The raw append loop cannot read, so for it an increment is one appended record: the floor
 * under every durable counter.
 */
public class CounterBenchmark {

    /** The one key the counter lives under. */
    static final byte[] KEY = "counter".getBytes(StandardCharsets.US_ASCII);

    /** One engine with one counter, opened fresh for each trial. */
    @State(Scope.Benchmark)
    public static class Counter {
        @Param({"step1"})
        public String store;
        @Param({"durable"})
        public String durability;

        Contender contender;
        Engine engine;
        Path dir;
        long count;

        @Setup(Level.Trial)
        public void open() {
            contender = Contenders.named(store);
            dir = BenchSettings.trialDir("counter", store);
            engine = contender.open(dir, Durability.of(durability));
            count = 0;
        }

        /** One increment, checking the engine returned the last count written. */
        long increment() {
            if (contender.readable()) {
                byte[] stored = engine.get(KEY);
                long seen = stored == null ? 0 : BenchKeys.decodeCount(stored);
                if (seen != count) {
                    throw new IllegalStateException(store + " counter reads " + seen + ", expected " + count);
                }
            }
            count++;
            engine.put(KEY, BenchKeys.encodeCount(count));
            return count;
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
            Dirs.deleteRecursively(dir);
        }
    }

    /** Reads, increments and writes back the counter. */
    @Benchmark
    public long increment(Counter counter) {
        return counter.increment();
    }
}
