package dev.kvbook.cli;

import dev.kvbook.api.Json;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kv crash-lab}: crashes each store at every I/O call of a small workload and prints, per
 * crash point, the call that was interrupted, the operation under way, and what the store made of
 * it when reopened (see {@link CrashLab}). Exit code 1 when a store broke its promise.
 */
@Command(name = "crash-lab", mixinStandardHelpOptions = true,
        description = {"Crash a store at every I/O call of a small workload and see what survives.", "",
                "Pulls the power at each I/O call in turn, on a simulated disk that knows what each fsync "
                        + "made durable; reopens the store each time and judges what it kept against its "
                        + "crash promise. Exit code 1 when a store broke its promise."})
final class CrashLabCommand implements Callable<Integer> {

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "The store to crash (repeatable); by default every registered store.")
    private List<String> only = new ArrayList<>();

    @Option(names = {"-n", "--ops"}, paramLabel = "N", defaultValue = "12",
            description = "Operations in the workload (default ${DEFAULT-VALUE}); crash points grow with it.")
    private int ops;

    @Option(names = "--harsh", description = "Harsh crashes: each unsynced sector is kept, lost or garbled at random.")
    private boolean harsh;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "The seed of the workload and of harsh crashes (default ${DEFAULT-VALUE}): same seed, same run.")
    private long seed;

    @Option(names = "--json", description = "Print the results as JSON (every crash point with its call, operation "
            + "and outcome) instead of the report; the same seed gives the same JSON.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (ops < 1) {
            throw new UsageException("--ops must be at least 1, not " + ops);
        }
        List<StoreProvider> stores = only.isEmpty() ? StoreLocator.providers()
                : only.stream().distinct().map(StoreLocator::byName).toList();
        PrintWriter stdout = spec.commandLine().getOut();
        // With --json, stdout is for the program reading it: the report goes nowhere.
        PrintWriter out = json ? new PrintWriter(Writer.nullWriter()) : stdout;
        List<Object> results = new ArrayList<>();
        Text.print(out, "", "kv crash-lab: " + (harsh ? "harsh crashes (unsynced sectors kept, lost or garbled)"
                : "gentle crashes (only what was fsynced survives)") + " at every I/O call of a workload of "
                + Units.count(ops, "operation") + " (seed " + seed + "), plus each store's maintenance "
                + "operations (compact, merge, checkpoint) where it has them");
        List<String> summaries = new ArrayList<>();
        boolean broken = false;
        for (StoreProvider provider : stores) {
            out.println();
            Text.print(out, "", provider.name() + ": " + provider.description());
            String summary;
            try {
                List<Op> workload = CrashLab.workload(provider, ops, seed);
                printWorkload(out, workload);
                CrashReport report = CrashLab.run(provider, workload, harsh, seed);
                printTable(out, report);
                results.add(json(provider, workload, report));
                summary = report.summary();
                broken |= !report.failures().isEmpty();
            } catch (RuntimeException | AssertionError e) {
                summary = "could not run: " + (e instanceof AssertionError ? Errors.oneLine(e.getMessage())
                        : Errors.describe(e).message());
                broken = true;
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("store", provider.name());
                failed.put("error", summary);
                results.add(failed);
            }
            Text.print(out, "  ", provider.name() + ": " + summary);
            summaries.add(provider.name() + ": " + summary);
            out.flush();
        }
        if (stores.size() > 1) {
            out.println();
            summaries.forEach(summary -> Text.print(out, "", summary));
        }
        out.flush();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("mode", harsh ? "harsh" : "gentle");
            document.put("ops", ops);
            document.put("seed", seed);
            document.put("promiseBroken", broken);
            document.put("stores", results);
            stdout.println(Json.write(document));
            stdout.flush();
        }
        return broken ? Errors.FINDINGS : 0;
    }

    /** One store's run for {@code --json}: its workload, the counts by outcome, and every point. */
    private static Map<String, Object> json(StoreProvider provider, List<Op> workload, CrashReport report) {
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("store", provider.name());
        store.put("workload", workload.stream().map(Object::toString).toList());
        store.put("crashPoints", (long) report.points().size());
        store.put("ioCalls", report.ioCallsInWorkload());
        Map<String, Object> outcomes = new LinkedHashMap<>();
        report.counts().forEach((outcome, count) -> outcomes.put(outcome.name(), count));
        store.put("outcomes", outcomes);
        store.put("promiseKept", report.failures().isEmpty());
        List<Object> points = new ArrayList<>();
        for (CrashReport.Point point : report.points()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("point", point.point());
            row.put("call", point.interruptedCall());
            row.put("during", point.duringOperation());
            row.put("outcome", point.outcome().name());
            points.add(row);
        }
        store.put("points", points);
        return store;
    }

    private static void printWorkload(PrintWriter out, List<Op> workload) {
        out.println("  workload (" + Units.count(workload.size(), "operation") + "):");
        for (int i = 0; i < workload.size(); i++) {
            out.println(String.format("    %2d. %s", i + 1, workload.get(i)));
        }
    }

    /**
     * The crash points, one line each. The reason a store gave for an outcome other than intact is
     * printed in full the first time; the same reason again refers back to that point, so a
     * store refusing 40 points for one cause prints its explanation once.
     */
    private static void printTable(PrintWriter out, CrashReport report) {
        Map<String, Long> explainedAt = new HashMap<>();
        int callWidth = Math.max(24, report.points().stream().mapToInt(p -> p.interruptedCall().length()).max().orElse(0));
        int duringWidth = Math.max(10, report.points().stream().mapToInt(p -> p.duringOperation().length()).max().orElse(0));
        String format = "  %5s  %-" + callWidth + "s  %-" + duringWidth + "s  %s";
        out.println(String.format(format, "point", "interrupted I/O call", "during", "outcome"));
        for (CrashReport.Point point : report.points()) {
            out.println(String.format(format, point.point(), point.interruptedCall(), point.duringOperation(),
                    CrashLab.describe(point.outcome())));
            if (point.outcome() != CrashOutcome.INTACT && !point.detail().isEmpty()) {
                String why = Errors.oneLine(point.detail());
                Long first = explainedAt.putIfAbsent(why, point.point());
                if (first == null) {
                    Text.wrap(why, "         why: ", "              ").forEach(out::println);
                } else {
                    out.println("         why: as at point " + first);
                }
            }
        }
    }
}
