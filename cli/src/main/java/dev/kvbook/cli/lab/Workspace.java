package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A learner's workspace: a Maven project of its own that builds with {@code ./mvnw verify}.
 *
 * <pre>
 * D/
 *   pom.xml            the kvbook parent pom, listing only this workspace's modules
 *   mvnw, mvnw.cmd, .mvn/   the Maven wrapper, copied from the checkout
 *   LABS.md            the labs of this step: ids, tasks, files, book sections
 *   .github/classroom/autograding.json   GitHub Classroom's grading of each lab ({@link ClassroomConfig})
 *   .kvbook-lab        which step this is, and the tier when it is build (read by kv lab check)
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
    public static final String MARKER_FILE = StepProject.MARKER_FILE;

    /** The workspace's own table of its labs, so that checking needs nothing from the checkout. */
    public static final String LABS_TABLE = StepProject.LABS_TABLE;

    private Workspace() {
    }

    /**
     * Writes the workspace of {@code step} into {@code dir}, which must not exist or be empty.
     * Returns the labs it holds.
     */
    public static List<Lab> generate(Path root, LabStep step, Path dir) {
        return generate(root, step, LabTier.FILL_IN, dir);
    }

    /**
     * Writes the workspace of {@code step} in {@code tier} into {@code dir}, which must not exist or
     * be empty. In the build tier the holes are the step's build labs ({@link LabTier}); the rest is
     * as in the fill-in tier. Returns the labs it holds.
     */
    public static List<Lab> generate(Path root, LabStep step, LabTier tier, Path dir) {
        List<Lab> labs = LabCatalog.labsOf(root, step, tier);
        if (labs.isEmpty()) {
            throw new UsageException(step.id() + " has no " + tier.id() + " labs yet (" + tier.table() + ")");
        }
        try {
            StepProject.requireEmpty(dir, "--dir");
            Files.createDirectories(dir);
            StepProject.writeModules(root, step, tier, dir, step.workspaceModules());
            StepProject.writeRootPom(root, dir, step.workspaceModules(), "A kvbook lab workspace for " + step.id()
                    + ", made by 'kv lab start'. api, testkit and the steps it\n       builds on are reference code; "
                    + step.module() + " holds the labs (see LABS.md).", "");
            StepProject.copyWrapper(root, dir);
            Files.createDirectories(dir.resolve(ClassroomConfig.PATH).getParent());
            Files.writeString(dir.resolve(ClassroomConfig.PATH), ClassroomConfig.render(step, labs));
            StepProject.writeLabFiles(dir, step, tier, labs, tier == LabTier.FILL_IN ? LabsFile.render(step, labs, root)
                    : LabsFile.renderBuild(step, labs, root, false));
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

    /** The tier of the workspace (or edition) at {@code dir}: its marker's {@code tier=}, fill-in when absent. */
    public static LabTier tierOf(Path dir) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(MARKER_FILE), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MARKER_FILE), e);
        }
        return LabTier.parse(properties.getProperty("tier"));
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
}
