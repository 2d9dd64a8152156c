package dev.kvbook.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A JMH state: one engine loaded with keys 0 .. n-1 ({@link BenchKeys}), for the read and scan
 * workloads. The load runs relaxed (nothing measured here needs it durable), then syncs once.
 *
 * <p>A store too slow to load {@code keys} keys within the load budget (step 1 rewrites its whole
 * file per put) stops early: the workload then runs over the keys it has, and the fork notes how
 * many that was, so the results say so.
 */
@State(Scope.Benchmark)
public class LoadedStore {

    @Param({"step1"})
    public String store;
    @Param({"10000"})
    public int keys;

    Engine engine;
    Path dir;
    /** The keys actually loaded: {@code keys}, or fewer when the load budget ran out. */
    int loaded;
    /** The loaded keys, by index. */
    byte[][] keyBytes;
    /** The loaded keys in sorted order, for picking scan starts. */
    byte[][] sortedKeys;

    @Setup(Level.Trial)
    public void load() {
        Contender contender = Contenders.named(store);
        dir = BenchSettings.trialDir("loaded", store);
        engine = contender.open(dir, Durability.RELAXED);
        long budget = BenchSettings.loadBudgetNanos();
        long start = System.nanoTime();
        int i = 0;
        while (i < keys && System.nanoTime() - start < budget) {
            engine.put(BenchKeys.key(i), BenchKeys.value(i, 0));
            i++;
        }
        engine.sync();
        loaded = i;
        keyBytes = new byte[loaded][];
        Arrays.setAll(keyBytes, BenchKeys::key);
        sortedKeys = keyBytes.clone();
        Arrays.sort(sortedKeys, Arrays::compareUnsigned);
        if (loaded < keys) {
            BenchSettings.note("preload", store, "keysLoaded", loaded + " of " + keys);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
        Dirs.deleteRecursively(dir);
    }
}
