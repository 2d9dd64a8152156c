package dev.kvbook.testkit.crash;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.FaultyVfs;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * Fails each I/O call of a workload in turn and checks the store handles it.
 *
 * <p>For fault n: the store runs the workload on a {@link FaultyVfs} that fails its n-th call.
 * The call that meets the fault must throw {@link UncheckedIOException} or
 * {@link StoreFailedException} (nothing else, and not silence). The store then either still
 * works (a probe write succeeds) or fails closed (the probe throws). It is closed, which must
 * release its lock even after a failure, and reopened on the same, now healthy, disk: the state
 * must be the one before the failed operation or the one after it (with the probe, if that
 * succeeded), and the store's checker must find nothing. A store whose promise includes
 * refusing to open after an interrupted write (step 4) declares it with {@link #refusalAllowed}.
 */
public final class FaultDriver {

    private final StoreOpener opener;
    private List<Op> workload = List.of();
    private boolean durableOnEveryWrite = true;
    private FaultyVfs.Mode mode = FaultyVfs.Mode.FAIL_ONCE;
    private StoreChecker checker = StoreChecker.NONE;
    private Predicate<RuntimeException> refusalAllowed = e -> false;

    /** A driver for the store {@code opener} opens. */
    public FaultDriver(StoreOpener opener) {
        this.opener = opener;
    }

    /** The operations to run (the store is opened before and closed after them). */
    public FaultDriver workload(List<Op> ops) {
        this.workload = List.copyOf(ops);
        return this;
    }

    /** Whether every write is durable when it returns. */
    public FaultDriver durableOnEveryWrite(boolean durable) {
        this.durableOnEveryWrite = durable;
        return this;
    }

    /** How the chosen call fails: once, or as a disk that stays full. */
    public FaultDriver mode(FaultyVfs.Mode mode) {
        this.mode = mode;
        return this;
    }

    /** The store's own checker, run after each reopen. */
    public FaultDriver checker(StoreChecker checker) {
        this.checker = checker;
        return this;
    }

    /**
     * Which refusals to reopen are part of the promise: step 4 refuses a file whose write was
     * interrupted, by a fault as by a crash. A refused reopen counts as handled, and the
     * checker must still find the file readable enough to report on.
     */
    public FaultDriver refusalAllowed(Predicate<RuntimeException> allowed) {
        this.refusalAllowed = allowed;
        return this;
    }

    /** Fails every call of the workload in turn and returns the report. */
    public FaultReport run() {
        CrashSimVfs clean = freshDisk();
        FaultyVfs counting = new FaultyVfs(clean);
        new Run(counting).all();
        long total = counting.calls();
        List<FaultReport.Case> cases = new ArrayList<>();
        for (long n = 1; n <= total; n++) {
            cases.add(faultAt(n));
        }
        return new FaultReport(cases, total);
    }

    private FaultReport.Case faultAt(long n) {
        CrashSimVfs disk = freshDisk();
        FaultyVfs faulty = new FaultyVfs(disk).failAt(n, mode);
        Run run = new Run(faulty);
        RuntimeException thrown = null;
        try {
            run.all();
        } catch (RuntimeException e) {
            thrown = e;
        }
        String call = faulty.failedCall() == null ? "(none)" : faulty.failedCall();
        if (thrown == null) {
            // A failed read that the store could do without (size, say) is fine if nothing broke.
            return judge(n, call, run, disk, "no exception reached the caller");
        }
        if (!(thrown instanceof UncheckedIOException || thrown instanceof StoreFailedException)) {
            return new FaultReport.Case(n, call, run.during, false, "threw " + thrown + ", not an I/O or store-failed exception");
        }
        String probe = run.probeAndClose();
        if (probe.startsWith("!")) {
            return new FaultReport.Case(n, call, run.during, false, probe.substring(1));
        }
        return judge(n, call, run, disk, probe);
    }

    /** Reopens on the healthy disk and checks the state is before-or-after. */
    private FaultReport.Case judge(long n, String call, Run run, CrashSimVfs disk, String how) {
        NavigableMap<byte[], byte[]> observed;
        try (KeyValueStore store = opener.open(disk, CrashPointDriver.HOME)) {
            observed = History.readAll(store);
        } catch (RuntimeException e) {
            boolean promised = refusalAllowed.test(e);
            return new FaultReport.Case(n, call, run.during, promised,
                    how + (promised ? "; reopening refused as promised: " + e.getMessage() : "; then reopening threw " + e));
        }
        List<NavigableMap<byte[], byte[]>> allowed = new ArrayList<>();
        for (NavigableMap<byte[], byte[]> state : run.history.allowedAfterCrash(run.inFlight)) {
            if (run.probeSucceeded) {
                NavigableMap<byte[], byte[]> withProbe = new java.util.TreeMap<>(state);
                Op.put(PROBE, PROBE).applyTo(withProbe);
                allowed.add(withProbe);
            }
            if (!run.probeSucceeded || !durableOnEveryWrite) {
                allowed.add(state);
            }
        }
        if (allowed.stream().noneMatch(s -> History.same(s, observed))) {
            return new FaultReport.Case(n, call, run.during, false, how + "; reopened with a state that is neither before nor after: "
                    + History.describeDifference(allowed.get(allowed.size() - 1), observed));
        }
        List<String> problems = checker.problems(disk, CrashPointDriver.HOME);
        if (!problems.isEmpty()) {
            return new FaultReport.Case(n, call, run.during, false, how + "; checker: " + String.join("; ", problems));
        }
        return new FaultReport.Case(n, call, run.during, true, how + "; reopened intact");
    }

    private static final String PROBE = "probe-after-fault";

    private static CrashSimVfs freshDisk() {
        CrashSimVfs disk = new CrashSimVfs();
        disk.createDirectories(CrashPointDriver.HOME);
        return disk;
    }

    /** One run of the workload on a faulty disk. */
    private final class Run {
        final FaultyVfs vfs;
        final History history = new History();
        KeyValueStore store;
        Op inFlight;
        String during = "open";
        boolean probeSucceeded;

        Run(FaultyVfs vfs) {
            this.vfs = vfs;
        }

        void all() {
            store = opener.open(vfs, CrashPointDriver.HOME);
            for (Op op : workload) {
                inFlight = op;
                during = op.toString();
                if (op instanceof Op.Reopen) {
                    KeyValueStore closing = store;
                    store = null; // a failed close leaves no store to probe
                    closing.close();
                    during = "open";
                    store = opener.open(vfs, CrashPointDriver.HOME);
                } else {
                    op.applyTo(store);
                }
                history.acknowledged(op, op.isDurablePoint(durableOnEveryWrite));
                inFlight = null;
            }
            during = "close";
            inFlight = Op.reopen();
            KeyValueStore closing = store;
            store = null;
            closing.close();
            history.acknowledged(Op.reopen(), true);
            inFlight = null;
        }

        /** After a fault: try one more write, then close. Returns what happened; "!" marks a broken promise. */
        String probeAndClose() {
            if (store == null) {
                return "the failed call was in open or close";
            }
            String how;
            try {
                store.put(Keys.utf8(PROBE), Keys.utf8(PROBE));
                probeSucceeded = true;
                how = "the store stayed usable";
            } catch (StoreFailedException | UncheckedIOException e) {
                how = "the store failed closed";
            } catch (RuntimeException e) {
                return "!after the fault a write threw " + e;
            }
            try {
                store.close();
            } catch (StoreFailedException | UncheckedIOException e) {
                how += " (close reported the failure)";
            } catch (RuntimeException e) {
                return "!after the fault close threw " + e;
            }
            return how;
        }
    }
}
