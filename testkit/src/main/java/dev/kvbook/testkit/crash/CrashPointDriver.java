package dev.kvbook.testkit.crash;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Crashes a store at every I/O call of a workload in turn and checks what survives.
 *
 * <p>For crash point p: a fresh {@link CrashSimVfs} is armed to lose power at the p-th mutating
 * call; the store is opened and the workload run (then the store closed) until the power goes;
 * the disk is reduced to what could have survived; the store is opened again and its whole
 * state read (iterator, and {@code get} of every key ever written). The state must be one the
 * store's crash promise allows (see {@link History}); the store's checker must find nothing; and
 * the store must take a new write and keep it across a clean reopen.
 *
 * <p>A dry run first counts the workload's mutating calls, so "every I/O call in turn" is known
 * exactly; large workloads can be sampled with a fixed seed instead ({@link #sample}).
 *
 * <p>With {@link #crashDuringRecovery()}, each crash point also crashes the recovery: for every
 * mutating call k of the reopen after the crash, the disk as the crash left it is reopened with
 * the power lost at call k, then reopened again, and that second recovery is judged as above,
 * against the same history. A recovery that is not idempotent, or that destroys what it has not
 * yet made durable again, is caught there.
 */
public final class CrashPointDriver {

    /** Where the store's home directory is in the simulated file system. */
    public static final Path HOME = Path.of("/sim/store");

    private final StoreOpener opener;
    private List<Op> workload = List.of();
    private boolean durableOnEveryWrite = true;
    private Long harshSeed;
    private boolean reorderNameOps;
    private boolean crashDuringRecovery;
    private int maxPoints = Integer.MAX_VALUE;
    private long sampleSeed;
    private StoreChecker checker = StoreChecker.NONE;
    private Predicate<RuntimeException> refusalAllowed = e -> false;

    /** A driver for the store {@code opener} opens. */
    public CrashPointDriver(StoreOpener opener) {
        this.opener = opener;
    }

    /** The operations to run (the store is opened before and closed after them). */
    public CrashPointDriver workload(List<Op> ops) {
        this.workload = List.copyOf(ops);
        return this;
    }

    /** Whether every write is durable when it returns (otherwise only syncs and reopens are). */
    public CrashPointDriver durableOnEveryWrite(boolean durable) {
        this.durableOnEveryWrite = durable;
        return this;
    }

    /** Harsh crashes: unsynced sectors kept, dropped or garbled at random, from {@code seed}. */
    public CrashPointDriver harsh(long seed) {
        this.harshSeed = seed;
        this.reorderNameOps = false;
        return this;
    }

    /**
     * Harsh crashes in which unsynced creates, renames and deletes may also survive out of order
     * ({@link CrashSimVfs#harshReordered}), from {@code seed}: what a store must survive on a
     * file system that does not journal its directory operations in order.
     */
    public CrashPointDriver harshReordered(long seed) {
        this.harshSeed = seed;
        this.reorderNameOps = true;
        return this;
    }

    /** Also crashes at every mutating call of each recovery, then recovers again (see the class comment). */
    public CrashPointDriver crashDuringRecovery() {
        this.crashDuringRecovery = true;
        return this;
    }

    /** Tries at most {@code points} crash points, chosen with {@code seed} (the first and last always). */
    public CrashPointDriver sample(int points, long seed) {
        this.maxPoints = points;
        this.sampleSeed = seed;
        return this;
    }

    /** The store's own checker, run after each recovery. */
    public CrashPointDriver checker(StoreChecker checker) {
        this.checker = checker;
        return this;
    }

    /** Which refusals to open are part of the promise (step 4's "not closed cleanly"). */
    public CrashPointDriver refusalAllowed(Predicate<RuntimeException> allowed) {
        this.refusalAllowed = allowed;
        return this;
    }

    /** Runs every (or every sampled) crash point and returns the report. */
    public CrashReport run() {
        List<String> calls = dryRun();
        List<CrashReport.Point> points = new ArrayList<>();
        for (long p : choosePoints(calls.size())) {
            points.add(crashAt(p, calls.get((int) p - 1)));
        }
        return new CrashReport(points, calls.size());
    }

    /** Runs the workload without crashing, checks it, and returns its mutating calls. */
    private List<String> dryRun() {
        CrashSimVfs vfs = freshVfs();
        Run run = new Run(vfs);
        run.all();
        NavigableMap<byte[], byte[]> finalState = reopenAndRead(vfs);
        if (!History.same(run.history.current(), finalState)) {
            throw new AssertionError("without any crash the store ends wrong: "
                    + History.describeDifference(run.history.current(), finalState));
        }
        return run.callsMade;
    }

    private List<Long> choosePoints(int total) {
        TreeSet<Long> chosen = new TreeSet<>();
        if (total <= maxPoints) {
            for (long p = 1; p <= total; p++) {
                chosen.add(p);
            }
        } else {
            Random random = new Random(sampleSeed);
            chosen.add(1L);
            chosen.add((long) total);
            while (chosen.size() < maxPoints) {
                chosen.add(1L + random.nextInt(total));
            }
        }
        return List.copyOf(chosen);
    }

    private CrashReport.Point crashAt(long point, String call) {
        CrashSimVfs vfs = freshVfs();
        crashMode(vfs, point);
        vfs.crashAtOperation(point);
        Run run = new Run(vfs);
        try {
            run.all();
            return new CrashReport.Point(point, call, "-", CrashOutcome.ERROR, "the workload finished without reaching the crash point");
        } catch (SimulatedCrash expected) {
            vfs.crash();
        } catch (RuntimeException e) {
            return new CrashReport.Point(point, call, run.during(), CrashOutcome.ERROR,
                    "the store threw " + e + " instead of losing power");
        }
        if (crashDuringRecovery) {
            Verdict failed = crashEachRecoveryCall(vfs.files(), run, point);
            if (failed != null) {
                return new CrashReport.Point(point, call, run.during(), failed.outcome, failed.detail);
            }
        }
        Verdict verdict = recover(vfs, run);
        return new CrashReport.Point(point, call, run.during(), verdict.outcome, verdict.detail);
    }

    private void crashMode(CrashSimVfs vfs, long seed) {
        if (harshSeed != null && reorderNameOps) {
            vfs.harshReordered(harshSeed + seed);
        } else if (harshSeed != null) {
            vfs.harsh(harshSeed + seed);
        }
    }

    /**
     * For each mutating call k of the recovery of {@code disk}: recover with the power lost at
     * call k, then judge the next recovery. Returns the first verdict outside the promise (its
     * detail naming k and the call), or null.
     */
    private Verdict crashEachRecoveryCall(Map<Path, byte[]> disk, Run run, long point) {
        CrashSimVfs counting = diskCopy(disk);
        List<String> recoveryCalls;
        try {
            opener.open(counting, HOME); // left open: only the recovery's own calls count
            recoveryCalls = counting.mutationLog();
        } catch (RuntimeException e) {
            return null; // a refusal or error the plain verdict reports
        }
        for (int k = 1; k <= recoveryCalls.size(); k++) {
            CrashSimVfs vfs = diskCopy(disk);
            crashMode(vfs, point * 7919 + k);
            vfs.crashAtOperation(k);
            try {
                opener.open(vfs, HOME).close();
                return new Verdict(CrashOutcome.ERROR, "recovery call " + k + " (" + recoveryCalls.get(k - 1)
                        + "): the recovery finished without reaching it");
            } catch (SimulatedCrash expected) {
                vfs.crash();
            }
            Verdict verdict = recover(vfs, run);
            if (!verdict.outcome.keepsPromise()) {
                return new Verdict(verdict.outcome, "after a crash at recovery call " + k + " (" + recoveryCalls.get(k - 1)
                        + "): " + verdict.detail);
            }
        }
        return null;
    }

    /** A fresh file system holding {@code disk} as durable files, its counters at zero. */
    private static CrashSimVfs diskCopy(Map<Path, byte[]> disk) {
        CrashSimVfs vfs = freshVfs();
        disk.forEach(vfs::putDurableFile);
        vfs.resetCounters();
        return vfs;
    }

    private record Verdict(CrashOutcome outcome, String detail) {
    }

    /** Reopens after the crash and judges the state against the history. */
    private Verdict recover(CrashSimVfs vfs, Run run) {
        NavigableMap<byte[], byte[]> observed;
        try (KeyValueStore store = opener.open(vfs, HOME)) {
            observed = History.readAll(store);
            String disagreement = getAgreesWithIterator(store, run.history.keysEverWritten(), observed);
            if (disagreement != null) {
                return new Verdict(CrashOutcome.WRONG_DATA, disagreement);
            }
        } catch (CorruptionException e) {
            return refusalAllowed.test(e) ? new Verdict(CrashOutcome.REFUSED_UNCLEAN, e.getMessage())
                    : new Verdict(CrashOutcome.CORRUPTION_DETECTED, e.getMessage());
        } catch (RuntimeException e) {
            if (refusalAllowed.test(e)) {
                return new Verdict(CrashOutcome.REFUSED_UNCLEAN, e.getMessage());
            }
            return new Verdict(CrashOutcome.ERROR, "reopen after the crash threw " + e);
        }
        List<NavigableMap<byte[], byte[]>> allowed = run.history.allowedAfterCrash(run.inFlight);
        if (allowed.stream().noneMatch(s -> History.same(s, observed))) {
            boolean lost = run.history.matchesOlderState(observed);
            return new Verdict(lost ? CrashOutcome.LOST_ACKNOWLEDGED_WRITE : CrashOutcome.WRONG_DATA,
                    "expected the state after the last durable point or later ("
                            + History.describeDifference(allowed.get(0), observed) + ")");
        }
        return checkHealthy(vfs);
    }

    /** After a good recovery: the checker finds nothing and the store takes and keeps a write. */
    private Verdict checkHealthy(CrashSimVfs vfs) {
        try {
            List<String> problems = checker.problems(vfs, HOME);
            if (!problems.isEmpty()) {
                return new Verdict(CrashOutcome.DAMAGED, "checker: " + String.join("; ", problems));
            }
            byte[] probe = Keys.utf8("probe-after-crash");
            try (KeyValueStore store = opener.open(vfs, HOME)) {
                store.put(probe, probe);
            }
            try (KeyValueStore store = opener.open(vfs, HOME)) {
                if (!Arrays.equals(store.get(probe), probe)) {
                    return new Verdict(CrashOutcome.DAMAGED, "a write after recovery did not survive a clean reopen");
                }
            }
            return new Verdict(CrashOutcome.INTACT, "");
        } catch (RuntimeException e) {
            return new Verdict(CrashOutcome.DAMAGED, "after recovery: " + e);
        }
    }

    private static String getAgreesWithIterator(KeyValueStore store, List<byte[]> keys, NavigableMap<byte[], byte[]> seen) {
        for (byte[] key : keys) {
            byte[] got = store.get(key);
            if (!Arrays.equals(got, seen.get(key))) {
                return "get(" + Keys.toDisplay(key) + ") = " + Keys.toDisplay(got) + " but the iterator says "
                        + Keys.toDisplay(seen.get(key));
            }
        }
        if (store.size() != seen.size()) {
            return "size() = " + store.size() + " but the iterator returned " + seen.size() + " entries";
        }
        return null;
    }

    private NavigableMap<byte[], byte[]> reopenAndRead(CrashSimVfs vfs) {
        try (KeyValueStore store = opener.open(vfs, HOME)) {
            return History.readAll(store);
        }
    }

    private static CrashSimVfs freshVfs() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(HOME);
        return vfs;
    }

    /** One run of the workload against a store and the history it builds. */
    private final class Run {
        final CrashSimVfs vfs;
        final History history = new History();
        final List<String> callsMade = new ArrayList<>();
        Op inFlight;
        String during = "open";

        Run(CrashSimVfs vfs) {
            this.vfs = vfs;
        }

        String during() {
            return during;
        }

        void all() {
            // No resetCounters() here: it would disarm the crash point set before the run.
            KeyValueStore store = opener.open(vfs, HOME);
            for (Op op : workload) {
                inFlight = op;
                during = op.toString();
                op.applyTo(store);
                if (op instanceof Op.Reopen) {
                    during = "open";
                    store = opener.open(vfs, HOME);
                }
                history.acknowledged(op, op.isDurablePoint(durableOnEveryWrite));
                inFlight = null;
            }
            during = "close";
            inFlight = Op.reopen(); // close makes everything durable
            store.close();
            history.acknowledged(Op.reopen(), true);
            inFlight = null;
            callsMade.addAll(vfs.mutationLog());
        }
    }
}
