package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.concurrency.ConcurrencyDriver;
import dev.kvbook.testkit.concurrency.ConcurrencyReport;
import dev.kvbook.testkit.concurrency.LinearizabilityChecker;
import dev.kvbook.testkit.vfs.LatencyVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The concurrency category every store runs (DESIGN.md, Testing, item 7): four threads make
 * random {@code get}, {@code put} and {@code delete} calls on three keys, every call is stamped
 * when it starts and when it returns, and each key's history is checked for
 * <em>linearizability</em> by a complete search ({@link LinearizabilityChecker}): is there one
 * order of the calls, each placed somewhere inside its own start-to-return interval, that a
 * plain map would answer exactly as the store did? A hang becomes a failure with every thread's
 * stack after 60 s.
 *
 * <p>A store's test adds a small subclass that says how to open the store, which maintenance
 * operations it has, and (optionally) a second set of options that stresses it: small
 * thresholds, a tiny cache. The tests run, each a few short rounds on fresh stores:
 * <ul>
 *   <li>on the real disk, with the store's main options;</li>
 *   <li>over a {@link LatencyVfs} that makes every fsync up to 2 ms slower, to widen race windows;</li>
 *   <li>with the stressed options, the slow fsyncs, a few ~9 KB values, and the maintenance
 *       operations (compact, merge, checkpoint) looping in a fifth thread;</li>
 *   <li>tagged {@code slow} ({@code ./mvnw verify -Pslow}): many more and longer rounds of all three.</li>
 * </ul>
 * Each prints what it checked (rounds, key histories, calls, maintenance runs). For a
 * {@link dev.kvbook.api.TransactionalStore}, {@link TransactionalConcurrencyContract} adds
 * transactions. Other scenarios can drive the {@link ConcurrencyDriver} directly.
 *
 * <p>Why separate from {@link KeyValueStoreContract}: a store runs that suite under two or three
 * option sets, and this category costs seconds, not milliseconds; one subclass per store, with
 * the stressing options folded in, keeps {@code ./mvnw verify} short.
 */
public abstract class ConcurrencyContract {

    /** Worker threads per round: enough for every kind of overlap, few enough for two cores. */
    protected static final int THREADS = 4;

    @TempDir
    protected Path home;

    /** Opens the store under test on {@code vfs}, inside the existing directory {@code home}, with its main options. */
    protected abstract KeyValueStore open(Vfs vfs, Path home);

    /**
     * Opens the store with options that stress it (small checkpoint or compaction thresholds, a
     * tiny cache, background work on); the main options by default.
     */
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return open(vfs, home);
    }

    /** Operations that leave the data as it is (compact, merge, checkpoint), looped beside the workers. None by default. */
    protected List<Op> maintenanceOps() {
        return List.of();
    }

    /**
     * Calls each worker makes in a round of plain calls: 100, three times as many in the slow
     * runs. A store whose every write is slow may ask for fewer.
     */
    protected int callsPerThread() {
        return 100;
    }

    /** A driver with this category's defaults: 4 threads, 3 keys, {@link #callsPerThread()} calls each, 3 rounds, a 60 s hang bound. */
    protected ConcurrencyDriver driver(StoreOpener opener, TestInfo test) {
        return new ConcurrencyDriver(opener).threads(THREADS).keys(3).callsPerThread(callsPerThread()).rounds(3)
                .label(getClass().getSimpleName() + "." + test.getTestMethod().map(m -> m.getName()).orElse("?"));
    }

    /** Runs {@code driver} in this test's directory, prints its summary, and fails with the first failure's details. */
    protected static ConcurrencyReport runAndCheck(ConcurrencyDriver driver, Path dir) {
        ConcurrencyReport report = driver.run(dir);
        System.out.println(report.summary());
        return report.assertLinearizable();
    }

    /** A {@link LatencyVfs} over the real disk: every fsync up to 2 ms slower. */
    protected static Vfs slowFsyncs(long seed) {
        return new LatencyVfs(Vfs.local(), seed, 2);
    }

    @Test
    protected void concurrentCallsOnTheRealDiskAreLinearizable(TestInfo test) {
        runAndCheck(driver(this::open, test).seed(100), home);
    }

    @Test
    protected void concurrentCallsWithSlowFsyncsAreLinearizable(TestInfo test) {
        runAndCheck(driver(this::open, test).vfs(slowFsyncs(200)).seed(200), home);
    }

    @Test
    protected void concurrentCallsBesideLoopingMaintenanceAreLinearizable(TestInfo test) {
        runAndCheck(driver(this::openStressed, test).vfs(slowFsyncs(300)).maintenance(maintenanceOps())
                .valueSizes(0, 0, 0, 100, 9000).seed(300), home);
    }

    @Test
    @Tag("slow")
    protected void manyLongerRoundsAreLinearizable(TestInfo test) {
        int calls = 3 * callsPerThread();
        runAndCheck(driver(this::open, test).callsPerThread(calls).rounds(10).seed(1000), home.resolve("disk"));
        runAndCheck(driver(this::open, test).vfs(slowFsyncs(2000)).callsPerThread(calls).rounds(10).seed(2000),
                home.resolve("slow-fsync"));
        runAndCheck(driver(this::openStressed, test).vfs(slowFsyncs(3000)).maintenance(maintenanceOps())
                .valueSizes(0, 0, 0, 100, 9000).callsPerThread(calls).rounds(10).seed(3000), home.resolve("maintenance"));
    }
}
