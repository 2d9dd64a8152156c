package dev.kvbook.testkit.crash;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.vfs.CrashSimVfs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Damages a small store's files in every way one byte can be damaged, and checks the store
 * never answers with wrong data.
 *
 * <p>The workload is run and the store closed. Then, for every file and every byte offset, a
 * copy of the disk is made with that byte flipped ({@code XOR 0x80}), and for every length
 * shorter than the file, a copy truncated to it. On each copy the store is opened and read in
 * full (iterator, {@code get} of every key ever written, {@code size}). Acceptable: the right
 * data, or {@link CorruptionException}; for stores that treat a damaged tail as torn
 * ({@link #tailLossAllowed}), also an earlier state of the workload. Not acceptable: other data,
 * any other exception, or taking longer than the timeout. When a checker is given it must not
 * throw on a damaged copy, and must report a problem wherever opening detected one.
 */
public final class CorruptionSweep {

    private final StoreOpener opener;
    private List<Op> workload = List.of();
    private boolean tailLossAllowed;
    private Duration timeout = Duration.ofSeconds(10);
    private StoreChecker checker;
    private Predicate<Path> files = p -> !p.getFileName().toString().endsWith(".lock");

    /** A sweep over the store {@code opener} opens. */
    public CorruptionSweep(StoreOpener opener) {
        this.opener = opener;
    }

    /** What to write before damaging the files: keep it small, every byte costs two cases. */
    public CorruptionSweep workload(List<Op> ops) {
        this.workload = List.copyOf(ops);
        return this;
    }

    /** Whether opening with an earlier state is acceptable (a log that truncates a torn tail). */
    public CorruptionSweep tailLossAllowed(boolean allowed) {
        this.tailLossAllowed = allowed;
        return this;
    }

    /** The longest one case may take before it counts as a hang. */
    public CorruptionSweep timeoutPerCase(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The store's checker, which must agree with open about damage. */
    public CorruptionSweep checker(StoreChecker checker) {
        this.checker = checker;
        return this;
    }

    /** Which files to damage (all but lock files by default). */
    public CorruptionSweep files(Predicate<Path> which) {
        this.files = which;
        return this;
    }

    /** Runs every case and returns the report. */
    public CorruptionReport run() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(CrashPointDriver.HOME);
        History history = new History();
        KeyValueStore store = opener.open(vfs, CrashPointDriver.HOME);
        for (Op op : workload) {
            op.applyTo(store);
            if (op instanceof Op.Reopen) {
                store = opener.open(vfs, CrashPointDriver.HOME);
            }
            history.acknowledged(op, true);
        }
        store.close();
        Map<Path, byte[]> disk = vfs.files();
        List<CorruptionReport.Case> cases = new ArrayList<>();
        ExecutorService[] executor = {newExecutor()};
        try {
            for (Map.Entry<Path, byte[]> file : disk.entrySet()) {
                if (!files.test(file.getKey())) {
                    continue;
                }
                byte[] original = file.getValue();
                for (int i = 0; i < original.length; i++) {
                    byte[] damaged = original.clone();
                    damaged[i] ^= (byte) 0x80;
                    cases.add(runCase(disk, file.getKey(), damaged, "flip byte " + i, history, executor));
                }
                for (int length = 0; length < original.length; length++) {
                    cases.add(runCase(disk, file.getKey(), Arrays.copyOf(original, length),
                            "truncate to " + length + " bytes", history, executor));
                }
            }
        } finally {
            executor[0].shutdownNow();
        }
        return new CorruptionReport(cases);
    }

    private CorruptionReport.Case runCase(Map<Path, byte[]> disk, Path file, byte[] damaged, String damage,
                                          History history, ExecutorService[] executor) {
        CrashSimVfs copy = new CrashSimVfs();
        copy.createDirectories(CrashPointDriver.HOME);
        disk.forEach((path, bytes) -> copy.putDurableFile(path, path.equals(file) ? damaged : bytes));
        String name = file.getFileName().toString();
        Future<CorruptionReport.Case> result = executor[0].submit(() -> judge(copy, name, damage, history));
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            executor[0].shutdownNow();
            executor[0] = newExecutor(); // the stuck thread is abandoned; it is a daemon
            return new CorruptionReport.Case(name, damage, CorruptionReport.Outcome.HANG, "no answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            return new CorruptionReport.Case(name, damage, CorruptionReport.Outcome.WRONG_EXCEPTION, e.getCause().toString());
        }
    }

    private CorruptionReport.Case judge(CrashSimVfs copy, String file, String damage, History history) {
        CorruptionReport.Outcome outcome;
        String detail = "";
        try (KeyValueStore store = opener.open(copy, CrashPointDriver.HOME)) {
            NavigableMap<byte[], byte[]> seen = History.readAll(store);
            for (byte[] key : history.keysEverWritten()) {
                if (!Arrays.equals(store.get(key), seen.get(key))) {
                    throw new WrongData("get disagrees with the iterator");
                }
            }
            if (store.size() != seen.size()) {
                throw new WrongData("size() disagrees with the iterator");
            }
            if (History.same(seen, history.current())) {
                outcome = CorruptionReport.Outcome.CORRECT_DATA;
            } else if (tailLossAllowed && history.allStates().stream().anyMatch(s -> History.same(s, seen))) {
                outcome = CorruptionReport.Outcome.EARLIER_STATE;
            } else {
                outcome = CorruptionReport.Outcome.WRONG_DATA;
                detail = History.describeDifference(history.current(), seen);
            }
        } catch (CorruptionException e) {
            outcome = CorruptionReport.Outcome.DETECTED;
            detail = e.getMessage();
        } catch (WrongData e) {
            outcome = CorruptionReport.Outcome.WRONG_DATA;
            detail = e.getMessage();
        } catch (RuntimeException e) {
            return new CorruptionReport.Case(file, damage, CorruptionReport.Outcome.WRONG_EXCEPTION, e.toString());
        }
        String checkerComplaint = checkerDisagrees(copy, outcome);
        if (checkerComplaint != null) {
            return new CorruptionReport.Case(file, damage, CorruptionReport.Outcome.CHECKER_WRONG, checkerComplaint);
        }
        return new CorruptionReport.Case(file, damage, outcome, detail);
    }

    /** The checker must not throw, and must see damage that open saw. Returns the complaint or null. */
    private String checkerDisagrees(CrashSimVfs copy, CorruptionReport.Outcome outcome) {
        if (checker == null) {
            return null;
        }
        try {
            List<String> problems = checker.problems(copy, CrashPointDriver.HOME);
            if (outcome == CorruptionReport.Outcome.DETECTED && problems.isEmpty()) {
                return "open detected corruption but the checker found no problem";
            }
            return null;
        } catch (RuntimeException e) {
            return "the checker threw " + e;
        }
    }

    private static final class WrongData extends RuntimeException {
        WrongData(String message) {
            super(message);
        }
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corruption-sweep");
            t.setDaemon(true);
            return t;
        });
    }
}
