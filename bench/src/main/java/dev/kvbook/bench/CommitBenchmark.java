package dev.kvbook.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workload 5, durable commits: each put of a new key is durable when it returns, from 1 thread and
 * from 8 at once. Eight threads show whether an engine shares one fsync among writers waiting at
 * the same time (group commit), or makes each wait its turn. Score: commits per second, all
 * threads together.
 */
public class CommitBenchmark {

    /** Keys of thread t start at t * THREAD_STRIDE, so threads never write the same key. */
    static final long THREAD_STRIDE = 1L << 40;

    /** One engine opened durable, fresh for each trial. */
    @State(Scope.Benchmark)
    public static class Durable {
        @Param({"step1"})
        public String store;

        Engine engine;
        Path dir;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            dir = BenchSettings.trialDir("commit", store);
            engine = Contenders.named(store).open(dir, Durability.DURABLE);
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
            Dirs.deleteRecursively(dir);
        }
    }

    /** One writing thread's next key. */
    @State(Scope.Thread)
    public static class Writer {
        long first;
        long next;

        @Setup(Level.Trial)
        public void pickRange(Durable durable) {
            first = durable.threads.getAndIncrement() * THREAD_STRIDE;
            next = first;
        }

        /** Writes this thread's next key; returns its index. */
        long commit(Durable durable) {
            long i = next++;
            durable.engine.put(BenchKeys.key(i), BenchKeys.value(i, 0));
            return i;
        }
    }

    /** Durable puts from one thread. */
    @Benchmark
    @Threads(1)
    public long oneThread(Durable durable, Writer writer) {
        return writer.commit(durable);
    }

    /** Durable puts from eight threads at once. */
    @Benchmark
    @Threads(8)
    public long eightThreads(Durable durable, Writer writer) {
        return writer.commit(durable);
    }
}
