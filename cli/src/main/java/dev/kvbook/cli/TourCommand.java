package dev.kvbook.cli;

import dev.kvbook.api.Json;
import dev.kvbook.api.StoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code kv tour}: the main job. The same workload ({@link Tour}) on every registered store, one
 * after another, then what to notice about each and tables with all of them side by side.
 *
 * <p>The work is fixed, so two runs print the same counts and differ only in timings: every store
 * loads the same keys, except that step 1, which rewrites its whole file on every put, loads at
 * most {@value #SLOW_STORE_KEYS}. {@code --json} prints the figures for programs (the book's
 * checks read it).
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"The main job: the same workload on every store, side by side.", "",
                "Load N keys, read them back, overwrite and delete some, commit a transaction where the store "
                        + "has them, close, reopen. For each store: throughput, bytes written per put, fsyncs, "
                        + "files and bytes on disk, time to reopen, heap held, and the lesson in the figures. "
                        + "The work is fixed, so two runs differ only in their timings; step1, which rewrites its "
                        + "whole file on every put, loads at most " + TourCommand.SLOW_STORE_KEYS + " keys."})
final class TourCommand implements java.util.concurrent.Callable<Integer> {

    /** The default number of keys: tuned so the whole tour takes about half a minute on two cores. */
    static final long DEFAULT_KEYS = 5_000;

    /**
     * The most keys step 1 loads. Its n puts write O(n²) bytes: 1,000 keys write about 70 MB,
     * 5,000 would write well over a gigabyte. The lesson shows at 1,000 already.
     */
    static final long SLOW_STORE_KEYS = 1_000;

    /** The store that gets {@link #SLOW_STORE_KEYS}: named, because the plan is the tour's, not the figures'. */
    private static final String SLOW_STORE = "step1";

    @Option(names = {"-n", "--keys"}, paramLabel = "N", defaultValue = "" + DEFAULT_KEYS,
            description = "Keys to load into each store (default ${DEFAULT-VALUE}).")
    private long keys;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "Keep the stores in DIR (one per store, named after it) to inspect afterwards; "
                    + "by default a temporary directory is used and deleted.")
    private Path dir;

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "Tour only this store (repeatable); by default every registered store.")
    private List<String> only = new ArrayList<>();

    @Option(names = {"--whiteboard"}, description = "Tour the whiteboard editions (whiteboard/: each step's idea in "
            + "one interview-sized file) instead of the steps, to see what each shortcut costs; --store then names them.")
    private boolean whiteboard;

    @Option(names = {"--budget"}, paramLabel = "SECONDS",
            description = "The longest any one phase may run on one store, in seconds (default: no limit); "
                    + "a store too slow for N keys then loads what it can in this time, and the counts vary "
                    + "from run to run.")
    private Double budgetSeconds;

    @Option(names = {"--json"}, description = "Print the figures as JSON (counts, bytes, syncs and timings per "
            + "phase and store) instead of the report.")
    private boolean json;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (keys < 1) {
            throw new UsageException("--keys must be at least 1, not " + keys);
        }
        if (budgetSeconds != null && !(budgetSeconds > 0)) {
            throw new UsageException("--budget must be more than 0 seconds, not " + budgetSeconds);
        }
        List<StoreProvider> stores = selected();
        if (dir != null) {
            return tour(stores, prepare(dir, stores));
        }
        Path home = Files.createTempDirectory("kv-tour-");
        // Ctrl-C in the middle of a tour must not leave megabytes behind in the temp directory either.
        Thread cleanUp = new Thread(() -> deleteQuietly(home), "kv-tour-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            return tour(stores, home);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanUp);
            deleteRecursively(home);
        }
    }

    private int tour(List<StoreProvider> stores, Path home) {
        PrintWriter out = spec.commandLine().getOut();
        Duration budget = budgetSeconds == null ? Tour.NO_BUDGET : Duration.ofNanos(Math.round(budgetSeconds * 1e9));
        // With --json, stdout is for the program reading it: the report goes nowhere.
        PrintWriter text = json ? new PrintWriter(Writer.nullWriter()) : out;
        header(text, stores, budget, home);
        TourReport report = new TourReport(text, budget.toNanos());
        List<TourFigures> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (StoreProvider provider : stores) {
            report.heading(provider.name(), provider.description());
            long start = System.nanoTime();
            try {
                TourFigures figures = new Tour(provider, home.resolve(provider.name()), keysFor(provider), budget,
                        Progress.forTerminal(kv.terminal())).run();
                report.store(figures);
                all.add(figures);
                if (figures.wrongAnswers() > 0) {
                    failures.add(provider.name() + ": " + Units.count(figures.wrongAnswers(), "wrong answer"));
                }
            } catch (RuntimeException e) {
                report.failed(Errors.describe(e).message());
                failures.add(provider.name() + ": " + Errors.describe(e).message());
            }
            progress(provider, stores, System.nanoTime() - start);
        }
        report.table(all);
        if (json) {
            out.println(TourJson.of(keys, budgetSeconds, all, failures));
            out.flush();
        }
        return failures.isEmpty() ? 0 : Errors.FINDINGS;
    }

    private void header(PrintWriter out, List<StoreProvider> stores, Duration budget, Path home) {
        Text.print(out, "", "kv tour: the same workload on " + StoreLocator.names(stores) + ", one after another.");
        Text.print(out, "  ", "Load " + Units.count(keys) + " keys (" + TourKeys.KEY_SIZE + "-byte keys, "
                + TourKeys.VALUE_SIZE + "-byte values, random order), read back up to " + Units.count(Tour.MAX_READS)
                + ", overwrite up to " + Tour.MAX_OVERWRITES + ", delete up to " + Tour.MAX_DELETES + ", commit "
                + Tour.TRANSACTION_PUTS + " puts in one transaction where the store has them, close, reopen.");
        if (keys > SLOW_STORE_KEYS && stores.stream().anyMatch(p -> p.name().equals(SLOW_STORE))) {
            Text.print(out, "  ", SLOW_STORE + " loads " + Units.count(SLOW_STORE_KEYS) + " keys, not "
                    + Units.count(keys) + ": it rewrites its whole file on every put, so its load costs O(n²).");
        }
        String scaled = TourStores.note(stores);
        if (scaled != null) {
            Text.print(out, "  ", scaled);
        }
        Text.print(out, "  ", "Every byte and fsync goes through a CountingVfs"
                + (budget == Tour.NO_BUDGET ? "" : "; each phase may take at most " + Units.duration(budget.toNanos()))
                + ". Stores are kept in " + home + (dir == null ? " (deleted afterwards)." : "."));
    }

    /** The keys {@code provider} loads: the tour's, or fewer for the store whose load costs O(n²). */
    private long keysFor(StoreProvider provider) {
        boolean slow = provider.name().equals(SLOW_STORE)
                || provider instanceof WhiteboardProvider w && w.abridges().equals(SLOW_STORE); // the same O(n²) pickle
        return slow ? Math.min(keys, SLOW_STORE_KEYS) : keys;
    }

    /**
     * Without a terminal there are no progress bars, so a line per store on stderr tells a person
     * watching a log (or a pipe) that the tour is moving; stdout keeps only the results.
     */
    private void progress(StoreProvider provider, List<StoreProvider> stores, long nanos) {
        if (kv.terminal()) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("kv tour: " + provider.name() + " done in " + Units.duration(nanos) + " (" + (stores.indexOf(provider) + 1)
                + " of " + stores.size() + ")");
        err.flush();
    }

    private List<StoreProvider> selected() {
        if (whiteboard) {
            return only.isEmpty() ? WhiteboardProvider.all() : only.stream().distinct().map(WhiteboardProvider::byName).toList();
        }
        if (only.isEmpty()) {
            return StoreLocator.providers();
        }
        return only.stream().distinct().map(StoreLocator::byName).toList();
    }

    /** Creates {@code dir} if needed and refuses to mix with the stores of an earlier tour. */
    private static Path prepare(Path dir, List<StoreProvider> stores) throws IOException {
        Files.createDirectories(dir);
        for (StoreProvider provider : stores) {
            if (Files.exists(dir.resolve(provider.name()))) {
                throw new UsageException(dir + " already holds " + provider.name() + " from an earlier tour: "
                        + "give a new or empty directory, or delete it");
            }
        }
        return dir;
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (UncheckedIOException e) {
            // the JVM is going down; what could not be deleted stays in the temp directory
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
