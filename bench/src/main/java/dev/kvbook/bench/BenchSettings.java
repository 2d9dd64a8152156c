package dev.kvbook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What {@link BenchMain} tells the JMH forks through system properties: where stores live, how long
 * a setup may spend loading keys, and where to note what a fork could not do (a store that loaded
 * fewer keys than asked says so there, and the results page repeats it).
 */
final class BenchSettings {

    /** System property: the directory under which every benchmark makes its stores. */
    static final String DIR = "kvbook.bench.dir";
    /** System property: the most milliseconds a setup may spend loading keys. */
    static final String LOAD_BUDGET_MS = "kvbook.bench.loadBudgetMs";
    /** System property: the file that collects notes from the forks, one CSV line each. */
    static final String NOTES = "kvbook.bench.notes";

    private BenchSettings() {
    }

    /** A fresh directory for one trial of one workload on one contender. */
    static Path trialDir(String workload, String contender) {
        Path base = Path.of(System.getProperty(DIR, System.getProperty("java.io.tmpdir") + "/kvbench"));
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, workload + "-" + contender + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The load budget in nanoseconds (default 5 s). */
    static long loadBudgetNanos() {
        return Long.getLong(LOAD_BUDGET_MS, 5_000) * 1_000_000;
    }

    /** Appends {@code workload,contender,what,value} to the notes file, when there is one. */
    static void note(String workload, String contender, String what, Object value) {
        String file = System.getProperty(NOTES);
        if (file == null) {
            return;
        }
        String line = workload + "," + contender + "," + what + "," + value + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
