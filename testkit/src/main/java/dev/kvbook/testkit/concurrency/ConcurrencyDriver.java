package dev.kvbook.testkit.concurrency;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs many threads against one store and checks every history for linearizability: the
 * concurrency category of the testkit (DESIGN.md, Testing, item 7).
 *
 * <p>Each <em>round</em> opens a fresh store (through the test's {@link StoreOpener}, so with its
 * options) in its own directory, starts {@code threads} workers at once, each making
 * {@code callsPerThread} random calls on {@code keys} keys (and small transactions when asked),
 * optionally with maintenance operations looping in another thread, then closes the store and
 * hands the recorded history to the {@link LinearizabilityChecker}. A watchdog waits at most
 * {@code hangAfter} for the threads and for {@code close}; a thread still running then is
 * reported with every thread's stack ({@link ThreadDump}) instead of hanging the build. Rounds
 * stop at the first failure unless told otherwise.
 *
 * <pre>{@code
 * ConcurrencyReport report = new ConcurrencyDriver(opener)
 *         .vfs(new LatencyVfs(Vfs.local(), 7, 2))       // fsyncs take 0-2 ms more
 *         .threads(4).callsPerThread(100).keys(3)
 *         .transactions(true)                            // TransactionalStore only
 *         .maintenance(List.of(checkpoint))              // loops in a fifth thread
 *         .valueSizes(0, 0, 9000)                        // padding bytes, chosen per put
 *         .rounds(3).seed(42)
 *         .run(home);
 * System.out.println(report.summary());
 * report.assertLinearizable();
 * }</pre>
 *
 * Histories are kept short on purpose (the check is exponential in the worst case, see
 * {@link LinearizabilityChecker}); more rounds find more interleavings at a linear cost.
 */
public final class ConcurrencyDriver {

    private final StoreOpener opener;
    private Vfs vfs = Vfs.local();
    private int threads = 4;
    private int callsPerThread = 100;
    private int keys = 3;
    private boolean transactions;
    private List<Op> maintenance = List.of();
    private int[] valueSizes = {0};
    private int rounds = 3;
    private long seed = 1;
    private Duration hangAfter = Duration.ofSeconds(60);
    private String label = "concurrency";
    private boolean stopAtFirstFailure = true;

    /** A driver that opens each round's store with {@code opener}. */
    public ConcurrencyDriver(StoreOpener opener) {
        this.opener = opener;
    }

    /** The file system the store runs on: the real disk by default; a {@code LatencyVfs} to widen race windows. */
    public ConcurrencyDriver vfs(Vfs newVfs) {
        this.vfs = newVfs;
        return this;
    }

    /** Worker threads making calls at the same time (4 by default; at least 2). */
    public ConcurrencyDriver threads(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("a concurrency test needs at least 2 threads, not " + count);
        }
        this.threads = count;
        return this;
    }

    /** Calls each worker makes per round (100 by default). */
    public ConcurrencyDriver callsPerThread(int count) {
        this.callsPerThread = count;
        return this;
    }

    /** Distinct keys the calls choose from (3 by default): few keys, many collisions. */
    public ConcurrencyDriver keys(int count) {
        this.keys = count;
        return this;
    }

    /** Whether six calls in ten are transactions over 2-3 keys (the store must be a {@link TransactionalStore}). */
    public ConcurrencyDriver transactions(boolean on) {
        this.transactions = on;
        return this;
    }

    /** Operations that leave the data as it is (compact, merge, checkpoint, sync), run in a loop beside the workers. */
    public ConcurrencyDriver maintenance(List<Op> ops) {
        for (Op op : ops) {
            boolean keepsData = op instanceof Op.Sync || op instanceof Op.Custom custom && custom.modelEffect() == null;
            if (!keepsData) {
                throw new IllegalArgumentException(op + " changes the data; only maintenance may loop beside the workers");
            }
        }
        this.maintenance = List.copyOf(ops);
        return this;
    }

    /** Padding sizes a put chooses from, in bytes after the value's name (only 0 by default). */
    public ConcurrencyDriver valueSizes(int... sizes) {
        this.valueSizes = sizes.clone();
        return this;
    }

    /** Rounds to run, each on a fresh store (3 by default); they stop at the first failure. */
    public ConcurrencyDriver rounds(int count) {
        this.rounds = count;
        return this;
    }

    /** The seed of the first round's random choices; round r uses {@code seed + r}. */
    public ConcurrencyDriver seed(long first) {
        this.seed = first;
        return this;
    }

    /** How long to wait for the workers, maintenance and close before calling it a hang (60 s by default). */
    public ConcurrencyDriver hangAfter(Duration bound) {
        this.hangAfter = bound;
        return this;
    }

    /**
     * Whether to stop at the first failed round (the default) or run every round and count the
     * failures, to measure how often a known bug shows. A hung round's threads stay stuck (as
     * daemon threads) on that round's abandoned store.
     */
    public ConcurrencyDriver stopAtFirstFailure(boolean stop) {
        this.stopAtFirstFailure = stop;
        return this;
    }

    /** A name for the report's summary line. */
    public ConcurrencyDriver label(String name) {
        this.label = name;
        return this;
    }

    /** Runs the rounds in directories {@code home/round-<r>} and returns what they found. */
    public ConcurrencyReport run(Path home) {
        ConcurrencyReport report = new ConcurrencyReport(label);
        for (int r = 0; r < rounds && !(stopAtFirstFailure && !report.failures().isEmpty()); r++) {
            Path dir = home.resolve("round-" + r);
            vfs.createDirectories(dir);
            long roundSeed = seed + r;
            Round round = new Round(threads, callsPerThread, maintenance, hangAfter,
                    (store, thread, clock) -> worker(store, thread, clock, roundSeed));
            Round.Outcome outcome = round.run(() -> opener.open(vfs, dir));
            check(report, r, roundSeed, outcome);
        }
        return report;
    }

    /** Checks one round's history, or records why there is none to check. */
    private static void check(ConcurrencyReport report, int round, long roundSeed, Round.Outcome outcome) {
        if (outcome.failure() != null) {
            report.roundChecked(outcome.history(), null, outcome.maintenanceRuns());
            report.failed(new ConcurrencyReport.Failure(round, roundSeed, outcome.failure(), outcome.details()));
            return;
        }
        LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(outcome.history());
        report.roundChecked(outcome.history(), verdict, outcome.maintenanceRuns());
        if (!verdict.linearizable()) {
            ConcurrencyReport.Kind kind = verdict.inconclusive()
                    ? ConcurrencyReport.Kind.TOO_LONG_TO_CHECK : ConcurrencyReport.Kind.NOT_LINEARIZABLE;
            report.failed(new ConcurrencyReport.Failure(round, roundSeed, kind, verdict.explanation()));
        }
    }

    /** Worker {@code thread} of a round: its own random choices, the round's keys and clock. */
    private Worker worker(KeyValueStore store, int thread, AtomicLong clock, long roundSeed) {
        if (transactions && !(store instanceof TransactionalStore)) {
            throw new IllegalArgumentException("transactions need a TransactionalStore, not " + store.getClass().getSimpleName());
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            names.add("k" + k);
        }
        return new Worker(store, thread, roundSeed * 1_000_003L + thread, clock, names, valueSizes, transactions);
    }
}
