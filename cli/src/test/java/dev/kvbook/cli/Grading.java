package dev.kvbook.cli;

import dev.kvbook.cli.lab.LabStep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Grades a student edition on this machine the way its workflow grades it on GitHub: each grader
 * step's {@code command} of {@code .github/workflows/classroom.yml}, run by {@code sh -c} in the
 * edition's root, in the workflow's order. Two things differ, both outside the command: Maven runs
 * offline ({@code MAVEN_ARGS=-o}: everything is in {@code ~/.m2} once the checkout has been built),
 * and the hidden tests come from a directory the test names ({@code KVBOOK_HIDDEN_TESTS}), never
 * from this machine's {@code ~/.kvbook-grader}.
 */
final class Grading {

    private static final Pattern LAB = Pattern.compile("sh \\.grader/grade\\.sh (\\S+) ");

    /**
     * One grader step of the workflow.
     *
     * @param id      the step's id
     * @param lab     the lab it grades, or {@code all}
     * @param command the shell command, as the workflow has it
     */
    record Command(String id, String lab, String command) {
    }

    /**
     * What one command did.
     *
     * @param exitCode the command's exit code
     * @param log      everything it printed
     */
    record Outcome(int exitCode, String log) {

        /** The last lines of the log, for an assertion's message. */
        String tail() {
            List<String> lines = log.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private Grading() {
    }

    /** The grader steps of the edition's workflow, in order. */
    static List<Command> commands(Path edition) throws IOException {
        List<Command> commands = new ArrayList<>();
        String id = null;
        for (String line : Files.readAllLines(edition.resolve(".github/workflows/classroom.yml"), StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.startsWith("id: ")) {
                id = text.substring("id: ".length());
            } else if (text.startsWith("command: \"") && text.endsWith("\"")) {
                String command = text.substring("command: \"".length(), text.length() - 1);
                Matcher lab = LAB.matcher(command);
                if (!lab.find()) {
                    throw new IllegalStateException("a grader command that runs no grader: " + command);
                }
                commands.add(new Command(id, lab.group(1), command));
            }
        }
        return commands;
    }

    /** Runs {@code command} in {@code edition} with the hidden tests of {@code hidden} (which may not exist). */
    static Outcome run(Path edition, String command, Path hidden) {
        try {
            Path log = Files.createTempFile("grader", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(edition.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("MAVEN_ARGS", "-o");
                builder.environment().put("KVBOOK_HIDDEN_TESTS", hidden.toAbsolutePath().toString());
                int code = builder.start().waitFor();
                return new Outcome(code, Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while grading", e);
        }
    }

    /** What a student who wrote exactly the reference code has: the checkout's main sources of the step. */
    static void copyReferenceSources(LabStep step, Path edition) throws IOException {
        Path from = repoRoot().resolve(step.module()).resolve("src/main/java");
        Path to = edition.resolve(step.module()).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Every file under {@code dir} with its bytes, relative path first: a tree to compare. */
    static List<String> snapshot(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                entries.add(dir.relativize(file) + "\n" + Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return entries;
    }

    /** Deletes {@code dir} and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static Path repoRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("labs/labs.tsv"))) {
            root = root.getParent();
        }
        return root;
    }
}
