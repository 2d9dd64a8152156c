package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a workspace's tests the way a learner would, with its own Maven wrapper:
 * {@code ./mvnw -B verify -Dmaven.test.failure.ignore=true} (plus {@code -o} when offline), so that
 * failing tests still leave their reports; with a lab's tag, {@code -Dgroups=lab:<id>} runs only
 * that lab's tests. The build's output goes to
 * {@code target/lab-check.log} in the workspace.
 *
 * @param outcomes   what the tests said (empty when the build stopped before them)
 * @param exitCode   the wrapper's exit code
 * @param buildErrors the {@code [ERROR]} lines of a build that failed before or outside the tests
 * @param log        the full build log
 * @param seconds    how long the build took
 */
public record LabRun(List<TestOutcome> outcomes, int exitCode, List<String> buildErrors, Path log, long seconds) {

    /**
     * Runs the tests of {@code step} in {@code workspace}: all of them, or with {@code tag} only
     * those carrying it (surefire's {@code -Dgroups}). Blocks until Maven is done.
     */
    public static LabRun run(Path workspace, LabStep step, String tag, boolean offline) {
        Path reports = workspace.resolve(step.module()).resolve("target/surefire-reports");
        Path log = workspace.resolve("target/lab-check.log");
        long started = System.nanoTime();
        try {
            deleteTree(reports); // never read last run's results as this run's
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(wrapper(workspace), "-B", "verify",
                    "-Dmaven.test.failure.ignore=true", "-Dstyle.color=never"));
            if (tag != null) {
                command.add("-Dgroups=" + tag);
            }
            if (offline) {
                command.add("-o");
            }
            Process process = new ProcessBuilder(command).directory(workspace.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int code = process.waitFor();
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            List<String> errors = code == 0 ? List.of() : errorLines(log);
            return new LabRun(SurefireReports.read(reports), code, errors, log, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the Maven wrapper in " + workspace, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the tests ran", e);
        }
    }

    private static String wrapper(Path workspace) {
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        return workspace.resolve(windows ? "mvnw.cmd" : "mvnw").toAbsolutePath().toString();
    }

    /** The first {@code [ERROR]} lines of the log: what a compile error or a missing dependency says. */
    private static List<String> errorLines(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("[ERROR]") && l.length() > 8)
                .filter(l -> !l.contains("To see the full stack trace") && !l.contains("Re-run Maven"))
                .limit(15).toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
