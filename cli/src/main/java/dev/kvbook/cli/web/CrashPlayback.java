package dev.kvbook.cli.web;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.api.inspect.Highlight;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.cli.ByteArgs;
import dev.kvbook.cli.CrashLab;
import dev.kvbook.cli.Errors;
import dev.kvbook.cli.UsageException;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Crash playback for the page: the crash-lab's small workload for one store ({@link CrashLab}), its
 * crash points, and for a chosen point the store as it recovers from a power cut there.
 *
 * <p>All of it runs on the testkit's in-memory {@link CrashSimVfs}, never on the user's files:
 * {@link #points()} runs the crash-lab (every I/O call of the workload, in turn, judged as
 * {@code kv crash-lab} judges it); {@link #recover(long)} replays the workload on a fresh simulated
 * disk armed to lose power at that call, keeps only what the crash lets survive, and opens the
 * store again: the answer is the recovered store's picture and keys, or its refusal (step 4, which
 * refuses a file that was not closed cleanly rather than recover it).
 *
 * <p>The workload is fixed (seed 1, {@value #OPS} operations, gentle crashes), so the same point
 * always shows the same thing. Thread-safe: one playback at a time.
 */
final class CrashPlayback {

    /** Operations in the workload: the crash-lab's default, a few dozen crash points. */
    static final int OPS = 12;
    private static final long SEED = 1;
    private static final Path STORE = CrashPointDriver.HOME.resolve(CrashLab.STORE_NAME);

    private final StoreProvider provider;
    private List<Op> workload;
    private CrashReport report;

    CrashPlayback(StoreProvider provider) {
        this.provider = provider;
    }

    /** The workload and its crash points, each with the I/O call interrupted, the operation under way and the verdict. */
    synchronized Map<String, Object> points() {
        CrashReport crashes = report();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("store", provider.name());
        answer.put("workload", workload.stream().map(Object::toString).toList());
        List<Object> points = new ArrayList<>();
        for (CrashReport.Point point : crashes.points()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("point", point.point());
            row.put("call", point.interruptedCall());
            row.put("during", point.duringOperation());
            row.put("outcome", CrashLab.describe(point.outcome()));
            points.add(row);
        }
        answer.put("points", points);
        answer.put("summary", crashes.summary());
        return answer;
    }

    /**
     * The store after a power cut at I/O call {@code point} of the workload: what its reopen
     * recovered (model, picture, keys), or the refusal to open.
     *
     * @throws UsageException when there is no such crash point
     */
    synchronized Map<String, Object> recover(long point) {
        CrashReport crashes = report();
        if (point < 1 || point > crashes.points().size()) {
            throw new UsageException("no crash point " + point + ": the workload has points 1 to " + crashes.points().size());
        }
        CrashReport.Point judged = crashes.points().get((int) point - 1);
        CrashSimVfs disk = new CrashSimVfs();
        disk.createDirectories(CrashPointDriver.HOME);
        disk.crashAtOperation(point);
        replayUntilCrash(disk);
        disk.crash();

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("point", point);
        answer.put("call", judged.interruptedCall());
        answer.put("during", judged.duringOperation());
        answer.put("outcome", CrashLab.describe(judged.outcome()));
        try (KeyValueStore store = provider.open(STORE, disk)) {
            StoreModel model = Views.inspect(provider, STORE, Views.withoutLocks(disk), Window.defaults());
            answer.put("refused", null);
            answer.put("entries", entries(store));
            answer.put("model", Views.model(model));
            answer.put("svg", Views.svg(model, Highlight.none()));
        } catch (UncleanShutdownException refusal) {
            answer.put("refused", refusal.getMessage());
            answer.put("entries", List.of());
            drawUnopened(answer, disk);
        } catch (RuntimeException e) {
            answer.put("refused", "the store could not be opened after the crash: " + Errors.describe(e).message());
            answer.put("entries", List.of());
            drawUnopened(answer, disk);
        }
        return answer;
    }

    /** The files as the crash left them, drawn by the inspector (which only reads), when it can. */
    private void drawUnopened(Map<String, Object> answer, CrashSimVfs disk) {
        try {
            StoreModel model = Views.inspect(provider, STORE, Views.withoutLocks(disk), Window.defaults());
            answer.put("model", Views.model(model));
            answer.put("svg", Views.svg(model, Highlight.none()));
        } catch (RuntimeException e) {
            answer.put("model", null);
            answer.put("svg", Views.svg(null, Highlight.none()));
        }
    }

    /** Runs the workload as the crash-lab does (open, the operations, close) until the simulated power cut. */
    private void replayUntilCrash(CrashSimVfs disk) {
        try {
            KeyValueStore store = provider.open(STORE, disk);
            for (Op op : workload) {
                op.applyTo(store);
                if (op instanceof Op.Reopen) {
                    store = provider.open(STORE, disk);
                }
            }
            store.close();
        } catch (SimulatedCrash expected) {
            return;
        }
        throw new IllegalStateException("the workload finished without reaching its crash point");
    }

    private static List<String> entries(KeyValueStore store) {
        List<String> entries = new ArrayList<>();
        try (CloseableIterator<Entry> all = store.iterator()) {
            while (all.hasNext()) {
                Entry entry = all.next();
                entries.add(ByteArgs.format(entry.key()) + " = " + ByteArgs.format(entry.value()));
            }
        }
        return entries;
    }

    private CrashReport report() {
        if (report == null) {
            workload = CrashLab.workload(provider, OPS, SEED);
            report = CrashLab.run(provider, workload, false, SEED);
        }
        return report;
    }
}
