package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What every Maven project made from one step has, whether a learner's workspace
 * ({@link Workspace}, {@code kv lab start}) or an instructor's student edition
 * ({@link StudentEdition}, {@code kv lab export}): the step's module with every lab region cut
 * out and all its tests, the reference modules it builds on (main sources only), the parent pom
 * cut down to those modules, the Maven wrapper, and the files {@code kv lab check} reads.
 *
 * <p>The two differ only in what they add around this: a workspace carries the steps it builds
 * on as source and grades with its own tests; a student edition carries them as a jar, its book
 * chapters, and a grader that restores pinned tests. Keeping the shared part here means a change
 * to how a step is cut (a new marker rule, a new file a build needs) reaches both.
 */
final class StepProject {

    /** The file that marks a directory as a lab project and names its step. */
    static final String MARKER_FILE = ".kvbook-lab";

    /** The project's own table of its labs, so that checking needs nothing from the checkout. */
    static final String LABS_TABLE = "labs.tsv";

    /** The {@code <modules>} list of the parent pom, with the comment just above it. */
    private static final Pattern MODULES = Pattern.compile("(?s)(\\s*<!--(?:(?!-->).)*-->)?\\s*<modules>.*?</modules>");

    private StepProject() {
    }

    /**
     * Refuses {@code dir} unless it is absent or empty: a project is never written over someone's
     * work. {@code option} names the command-line option that chose it, for the message.
     */
    static void requireEmpty(Path dir, String option) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException(dir.toAbsolutePath() + " already exists and is not empty; a lab project is"
                            + " never written over someone's work: choose another " + option);
                }
            }
        }
    }

    /**
     * Copies {@code modules} from the checkout {@code root} into {@code dir}: each module's pom and
     * main sources; for the step's own module also its tests and README, with every lab region of
     * its Java sources cut out ({@link LabMarkers#strip}).
     */
    static void writeModules(Path root, LabStep step, Path dir, List<String> modules) throws IOException {
        writeModules(root, step, LabTier.FILL_IN, dir, modules);
    }

    /**
     * Like {@link #writeModules(Path, LabStep, Path, List)}, for {@code tier}. In the build tier the
     * step's BUILD regions are cut instead (in its module and in the shared modules that hold some,
     * such as the testkit), its fill-in labs stay as reference code, and the test classes that pin the
     * reference's design are left out ({@link DesignTests}), with the test resources under
     * {@code src/test/resources/design/<build-id>/}.
     */
    static void writeModules(Path root, LabStep step, LabTier tier, Path dir, List<String> modules) throws IOException {
        DesignTests design = tier == LabTier.BUILD ? DesignTests.of(root, step) : null;
        for (String module : modules) {
            boolean theStep = module.equals(step.module());
            Files.createDirectories(dir.resolve(module));
            Files.copy(root.resolve(module).resolve("pom.xml"), dir.resolve(module).resolve("pom.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
            // The testkit goes through the cut in both tiers: the fill-in tier drops its BUILD marker lines.
            boolean cut = theStep || LabCatalog.SHARED_BUILD_MODULES.contains(module);
            copyTree(root.resolve(module).resolve("src/main"), dir.resolve(module).resolve("src/main"),
                    cut ? (file, lines) -> LabMarkers.stripTier(file, lines, tier, step.id()) : null,
                    design == null || !theStep ? f -> true : f -> !design.leavesOut(f));
            if (theStep) {
                copyTree(root.resolve(module).resolve("src/test"), dir.resolve(module).resolve("src/test"), null,
                        design == null ? f -> true : f -> !design.leavesOut(f));
                Path readme = root.resolve(module).resolve("README.md");
                if (Files.isRegularFile(readme)) {
                    Files.copy(readme, dir.resolve(module).resolve("README.md"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Writes the checkout's parent pom into {@code dir} with its module list cut down to
     * {@code modules}, under {@code comment}; {@code afterModules} (XML, may be empty) goes right
     * after the list.
     */
    static void writeRootPom(Path root, Path dir, List<String> modules, String comment, String afterModules)
            throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        StringBuilder replacement = new StringBuilder("\n\n  <!-- ").append(comment).append(" -->\n  <modules>\n");
        for (String module : modules) {
            replacement.append("    <module>").append(module).append("</module>\n");
        }
        replacement.append("  </modules>").append(afterModules);
        Matcher m = MODULES.matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException(root.resolve("pom.xml") + " has no <modules> list to cut down");
        }
        Files.writeString(dir.resolve("pom.xml"), m.replaceFirst(Matcher.quoteReplacement(replacement.toString())));
    }

    /** The checkout's Maven wrapper: {@code mvnw}, {@code mvnw.cmd} and {@code .mvn/}. */
    static void copyWrapper(Path root, Path dir) throws IOException {
        for (String script : List.of("mvnw", "mvnw.cmd")) {
            Files.copy(root.resolve(script), dir.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        dir.resolve("mvnw").toFile().setExecutable(true);
        copyTree(root.resolve(".mvn"), dir.resolve(".mvn"), false);
    }

    /**
     * The files a learner and {@code kv lab check} read: {@code .gitignore}, the
     * {@value #MARKER_FILE} marker, the {@value #LABS_TABLE} table and {@code LABS.md}.
     */
    static void writeLabFiles(Path dir, LabStep step, List<Lab> labs, String labsMarkdown) throws IOException {
        writeLabFiles(dir, step, LabTier.FILL_IN, labs, labsMarkdown);
    }

    /** Like {@link #writeLabFiles(Path, LabStep, List, String)}; the marker names the tier when it is not fill-in. */
    static void writeLabFiles(Path dir, LabStep step, LabTier tier, List<Lab> labs, String labsMarkdown) throws IOException {
        Files.writeString(dir.resolve(".gitignore"), "target/\n.jqwik-database\n"); // jqwik rewrites it on every run
        Files.writeString(dir.resolve(MARKER_FILE), "step=" + step.id() + "\nmodule=" + step.module() + "\n"
                + (tier == LabTier.FILL_IN ? "" : "tier=" + tier.id() + "\n"));
        Files.writeString(dir.resolve("LABS.md"), labsMarkdown);
        Files.write(dir.resolve(LABS_TABLE), labTable(labs), StandardCharsets.UTF_8);
    }

    private static List<String> labTable(List<Lab> labs) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by kv lab start or export; kv lab check reads it. id, book section, tests, file, task; tab-separated.");
        for (Lab lab : labs) {
            lines.add(String.join("\t", lab.id(), lab.book(), String.join(",", lab.tests()), lab.file().toString(), lab.task()));
        }
        return lines;
    }

    /** Copies {@code from} to {@code to}; with {@code strip}, Java sources lose their LAB regions. */
    static void copyTree(Path from, Path to, boolean strip) throws IOException {
        copyTree(from, to, strip ? LabMarkers::strip : null, f -> true);
    }

    /**
     * Copies the files under {@code from} that {@code keep} accepts to {@code to}; Java sources go
     * through {@code cut} (their lines in, the learner's lines out) unless it is null.
     */
    static void copyTree(Path from, Path to, java.util.function.BiFunction<Path, List<String>, List<String>> cut,
                         java.util.function.Predicate<Path> keep) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).filter(keep).sorted().toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                if (cut != null && file.toString().endsWith(".java")) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    Files.write(target, cut.apply(file, lines), StandardCharsets.UTF_8);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
