package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code kv tour}: the main job. The same workload ({@link Tour}) on every registered store, one
 * after another, then what to notice about each and a table with all of them side by side.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
        description = {"The main job: the same workload on every store, side by side.", "",
                "Load N keys, read them back, overwrite and delete some, close, reopen. For each store: "
                        + "throughput, bytes written per put, fsyncs, files and bytes on disk, time to reopen, "
                        + "heap held, and the lesson in the figures. A store too slow for N keys (step1 rewrites "
                        + "its whole file on every put) runs fewer, and says so."})
final class TourCommand implements java.util.concurrent.Callable<Integer> {

    /** The default number of keys: tuned so the whole tour takes well under a minute on two cores. */
    static final long DEFAULT_KEYS = 10_000;

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

    @Option(names = {"--budget"}, paramLabel = "SECONDS", defaultValue = "3",
            description = "The longest any one phase may run on one store, in seconds (default ${DEFAULT-VALUE}); "
                    + "a store too slow for N keys loads what it can in this time.")
    private double budgetSeconds;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (keys < 1) {
            throw new UsageException("--keys must be at least 1, not " + keys);
        }
        if (!(budgetSeconds > 0)) {
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
        Duration budget = Duration.ofNanos(Math.round(budgetSeconds * 1e9));
        out.println("kv tour: the same workload on " + StoreLocator.names(stores) + ", one after another.");
        out.println("  Load " + Units.count(keys) + " keys (" + TourKeys.KEY_SIZE + "-byte keys, " + TourKeys.VALUE_SIZE
                + "-byte values, random order), read back up to " + Units.count(Tour.MAX_READS) + ", overwrite up to "
                + Tour.MAX_OVERWRITES + ", delete up to " + Tour.MAX_DELETES + ", close, reopen.");
        out.println("  Every byte and fsync goes through a CountingVfs; each phase may take at most "
                + Units.duration(budget.toNanos()) + ". Stores are kept in " + home
                + (dir == null ? " (deleted afterwards)." : "."));
        TourReport report = new TourReport(out, budget.toNanos());
        List<TourFigures> all = new ArrayList<>();
        boolean wrong = false;
        for (StoreProvider provider : stores) {
            report.heading(provider.name(), provider.description());
            try {
                TourFigures figures = new Tour(provider, home.resolve(provider.name()), keys, budget,
                        Progress.forTerminal(kv.terminal())).run();
                report.store(figures);
                all.add(figures);
                wrong |= figures.wrongAnswers() > 0;
            } catch (RuntimeException e) {
                report.failed(Errors.describe(e).message());
                wrong = true;
            }
        }
        report.table(all);
        return wrong ? Errors.FINDINGS : 0;
    }

    private List<StoreProvider> selected() {
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
