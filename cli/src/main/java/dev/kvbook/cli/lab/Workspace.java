package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A learner's workspace: a Maven project of its own that builds with {@code ./mvnw verify}.
 *
 * <pre>
 * D/
 *   pom.xml            the kvbook parent pom, listing only this workspace's modules
 *   mvnw, mvnw.cmd, .mvn/   the Maven wrapper, copied from the checkout
 *   LABS.md            the labs of this step: ids, tasks, files, book sections
 *   .github/classroom/autograding.json   GitHub Classroom's grading of each lab ({@link ClassroomConfig})
 *   .kvbook-lab        which step this is (read by kv lab check)
 *   labs.tsv           the labs of this step: id, book section, tests, file, task (read by kv lab check)
 *   .kvbook-lab-hints.md   the hint ladders of this step's labs ({@link HintsFile}, read by kv lab hint)
 *   .kvbook-hints      which hints were shown, written by kv lab hint ({@link HintLog}; not there at the start)
 *   api/, testkit/     reference code: main sources only (their own tests stay upstream)
 *   step2-append-log/  (step 3 only; step 5 gets step4-btree) reference code, main sources only
 *   step3-hash-index/  the step: main sources with every LAB region replaced by a throw, all its tests
 * </pre>
 */
public final class Workspace {

    /** The file that marks a directory as a workspace and names its step. */
    public static final String MARKER_FILE = ".kvbook-lab";

    /** The workspace's own table of its labs, so that checking needs nothing from the checkout. */
    public static final String LABS_TABLE = "labs.tsv";

    private static final Pattern MODULES = Pattern.compile("(?s)(\\s*<!--(?:(?!-->).)*-->)?\\s*<modules>.*?</modules>");

    private Workspace() {
    }

    /**
     * Writes the workspace of {@code step} into {@code dir}, which must not exist or be empty.
     * Returns the labs it holds.
     */
    public static List<Lab> generate(Path root, LabStep step, Path dir) {
        List<Lab> labs = LabCatalog.labsOf(root, step);
        try {
            requireEmpty(dir);
            Files.createDirectories(dir);
            for (String module : step.workspaceModules()) {
                boolean theStep = module.equals(step.module());
                Files.createDirectories(dir.resolve(module));
                Files.copy(root.resolve(module).resolve("pom.xml"), dir.resolve(module).resolve("pom.xml"),
                        StandardCopyOption.REPLACE_EXISTING);
                copyTree(root.resolve(module).resolve("src/main"), dir.resolve(module).resolve("src/main"), theStep);
                if (theStep) {
                    copyTree(root.resolve(module).resolve("src/test"), dir.resolve(module).resolve("src/test"), false);
                    copyIfPresent(root.resolve(module).resolve("README.md"), dir.resolve(module).resolve("README.md"));
                }
            }
            writeRootPom(root, step, dir);
            copyWrapper(root, dir);
            Files.writeString(dir.resolve(".gitignore"), "target/\n.jqwik-database\n"); // jqwik rewrites it on every run
            Files.createDirectories(dir.resolve(ClassroomConfig.PATH).getParent());
            Files.writeString(dir.resolve(ClassroomConfig.PATH), ClassroomConfig.render(step, labs));
            Files.writeString(dir.resolve(MARKER_FILE), "step=" + step.id() + "\nmodule=" + step.module() + "\n");
            Files.writeString(dir.resolve("LABS.md"), LabsFile.render(step, labs, root));
            Files.write(dir.resolve(LABS_TABLE), labTable(labs), StandardCharsets.UTF_8);
            HintsFile.copyInto(root, step, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the workspace " + dir, e);
        }
        return labs;
    }

    /** The step of the workspace at {@code dir}, from its {@value #MARKER_FILE} file. */
    public static LabStep stepOf(Path dir) {
        Path marker = dir.resolve(MARKER_FILE);
        if (!Files.isRegularFile(marker)) {
            throw new UsageException(dir.toAbsolutePath() + " is not a lab workspace (no " + MARKER_FILE
                    + "); make one with 'kv lab start <step> --dir " + dir + "'");
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        }
        return LabStep.parse(properties.getProperty("step", "?"));
    }

    /** Whether {@code dir} is a workspace. */
    public static boolean isWorkspace(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER_FILE));
    }

    /** The labs of the workspace at {@code dir}, from its {@value #LABS_TABLE}. */
    public static List<Lab> labs(Path dir, LabStep step) {
        try {
            List<Lab> labs = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(LABS_TABLE), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", 5);
                labs.add(new Lab(c[0], step, c[4], Path.of(c[3]), c[1],
                        java.util.Arrays.stream(c[2].split(",")).filter(t -> !t.isBlank()).toList()));
            }
            return labs;
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            throw new UsageException("cannot read the labs of the workspace from " + dir.resolve(LABS_TABLE) + ": " + e);
        }
    }

    private static List<String> labTable(List<Lab> labs) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("# Written by kv lab start; kv lab check reads it. id, book section, tests, file, task; tab-separated.");
        for (Lab lab : labs) {
            lines.add(String.join("\t", lab.id(), lab.book(), String.join(",", lab.tests()), lab.file().toString(), lab.task()));
        }
        return lines;
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException(dir.toAbsolutePath() + " already exists and is not empty; a workspace is"
                            + " never written over someone's work: choose another --dir");
                }
            }
        }
    }

    /** Copies {@code from} to {@code to}; with {@code strip}, Java sources lose their LAB regions. */
    private static void copyTree(Path from, Path to, boolean strip) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                if (strip && file.toString().endsWith(".java")) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    Files.write(target, LabMarkers.strip(file, lines), StandardCharsets.UTF_8);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void copyIfPresent(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The checkout's parent pom with its module list cut down to this workspace's modules. */
    private static void writeRootPom(Path root, LabStep step, Path dir) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        StringBuilder modules = new StringBuilder("\n\n  <!-- A kvbook lab workspace for " + step.id()
                + ", made by 'kv lab start'. api, testkit and the steps it\n       builds on are reference code;"
                + " " + step.module() + " holds the labs (see LABS.md). -->\n  <modules>\n");
        for (String module : step.workspaceModules()) {
            modules.append("    <module>").append(module).append("</module>\n");
        }
        modules.append("  </modules>");
        Matcher m = MODULES.matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException(root.resolve("pom.xml") + " has no <modules> list to cut down");
        }
        Files.writeString(dir.resolve("pom.xml"), m.replaceFirst(Matcher.quoteReplacement(modules.toString())));
    }

    private static void copyWrapper(Path root, Path dir) throws IOException {
        for (String script : List.of("mvnw", "mvnw.cmd")) {
            Files.copy(root.resolve(script), dir.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        dir.resolve("mvnw").toFile().setExecutable(true);
        copyTree(root.resolve(".mvn"), dir.resolve(".mvn"), false);
    }
}
