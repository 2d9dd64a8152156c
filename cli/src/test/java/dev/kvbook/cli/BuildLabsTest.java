package dev.kvbook.cli;

import dev.kvbook.cli.lab.Lab;
import dev.kvbook.cli.lab.LabCatalog;
import dev.kvbook.cli.lab.LabMarker;
import dev.kvbook.cli.lab.LabRun;
import dev.kvbook.cli.lab.LabStep;
import dev.kvbook.cli.lab.LabTier;
import dev.kvbook.cli.lab.TestOutcome;
import dev.kvbook.cli.lab.WrongDesign;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every build lab is honest: in one build-tier workspace per step ({@code kv lab start <step>
 * --tier build}), as written (every build lab cut), each lab's tagged tests compile, and every test
 * class labs/build.tsv names for it has a test that fails or hits the lab's throw (not every test: a
 * build lab's judges are whole suites, some of whose tests pass whatever the design); with
 * the reference's regions put back, they pass; and with each of the lab's wrong designs
 * ({@code labs/wrong/<id>/}, {@link WrongDesign}) in place of the reference, at least one test of a
 * caught-by class fails. With the reference, the reference's own golden files
 * ({@code <module>/src/main/golden/<id>/}, which the tier leaves out) are put back too. A build per
 * lab and per design, so slow (run with -Pslow; {@code -Dkvbook.buildlabs.steps=step2} runs one
 * step). It prints what it ran and what each run said.
 */
@Tag("slow")
class BuildLabsTest {

    /** Set to a comma-separated list of steps ({@code -Dkvbook.buildlabs.steps=step2}) to run only those. */
    static final String STEPS_PROPERTY = "kvbook.buildlabs.steps";

    static Stream<LabStep> stepsWithBuildLabs() {
        String only = System.getProperty(STEPS_PROPERTY, "");
        List<LabStep> steps = Stream.of(LabStep.values()).filter(step -> !LabCatalog.buildLabsOf(repoRoot(), step).isEmpty())
                .filter(step -> only.isBlank() || List.of(only.split(",")).contains(step.id())).toList();
        return steps.stream();
    }

    @ParameterizedTest
    @MethodSource("stepsWithBuildLabs")
    void eachBuildLabFailsCutPassesWithTheReferenceAndRejectsItsWrongDesigns(LabStep step, @TempDir Path tmp)
            throws IOException {
        Path root = repoRoot();
        Path ws = tmp.resolve("ws");
        Kv.Result start = Kv.run("lab", "start", step.id(), "--tier", "build", "--dir", ws.toString());
        assertThat(start.exitCode()).as(start.err()).isZero();
        List<Lab> labs = LabCatalog.buildLabsOf(root, step);
        List<Path> files = LabCatalog.buildMarkersOf(root, step).stream().map(LabMarker::file).distinct().toList();

        for (Lab lab : labs) { // 1. as written: every build lab of the step cut
            LabRun run = run(ws, step, lab, "cut");
            assertThat(run.outcomes()).as("tests of %s with it cut compile and run (log %s: %s)", lab.id(), run.log(),
                    run.buildErrors()).isNotEmpty();
            // A build lab is judged by whole suites (a contract test, a crash test), some of whose tests (a put
            // and a get on a fresh store) pass whatever the design: so every judging class that labs/build.tsv
            // names must notice the cut, not every test in it.
            for (String judge : lab.tests()) {
                assertThat(run.outcomes()).as("%s, a judge of %s, notices the cut (log %s)", judge, lab.id(), run.log())
                        .anySatisfy(t -> {
                            assertThat(t.simpleClassName()).isEqualTo(judge);
                            assertThat(t.status()).isIn(TestOutcome.Status.FAILED, TestOutcome.Status.NOT_STARTED);
                        });
            }
        }
        for (Path file : files) { // 2. the reference's regions back, and its own golden files (the tier left them out)
            Files.copy(root.resolve(file), ws.resolve(file.toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Lab lab : labs) {
            copyTree(root.resolve(step.module()).resolve("src/main/golden").resolve(lab.id()),
                    ws.resolve(step.module()).resolve("src/main/golden").resolve(lab.id()));
        }
        for (Lab lab : labs) {
            LabRun run = run(ws, step, lab, "reference");
            assertThat(run.outcomes()).as("tests of %s with the reference (log %s: %s)", lab.id(), run.log(), run.buildErrors())
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.status()).as("%s.%s with the reference: %s", t.simpleClassName(), t.method(),
                            t.message()).isIn(TestOutcome.Status.PASSED, TestOutcome.Status.SKIPPED));
        }
        for (Lab lab : labs) { // 3. each wrong design in place of the reference
            List<WrongDesign> designs = WrongDesign.of(root, lab.id());
            assertThat(designs).as("wrong designs of %s under labs/wrong/%s/", lab.id(), lab.id()).isNotEmpty();
            for (WrongDesign design : designs) {
                for (WrongDesign.Replacement r : design.replacements()) {
                    Path target = ws.resolve(r.file().toString());
                    List<String> lines = Files.readAllLines(target, StandardCharsets.UTF_8);
                    Files.write(target, WrongDesign.replaceRegion(r.file(), lines, lab.id(), r.region(), r.body()),
                            StandardCharsets.UTF_8);
                }
                LabRun run = run(ws, step, lab, "wrong design " + design.slug());
                assertThat(run.outcomes()).as("tests of %s with the wrong design %s compile and run (log %s: %s)", lab.id(),
                        design.slug(), run.log(), run.buildErrors()).isNotEmpty();
                List<TestOutcome> caught = run.outcomes().stream().filter(t -> design.caughtBy().contains(t.simpleClassName()))
                        .filter(t -> t.status() == TestOutcome.Status.FAILED).toList();
                assertThat(caught).as("a test of %s fails with the wrong design %s of %s", design.caughtBy(), design.slug(),
                        lab.id()).isNotEmpty();
                for (Path file : files) {
                    Files.copy(root.resolve(file), ws.resolve(file.toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Runs the tests tagged with {@code lab}'s tag in {@code ws}, offline, and prints what they said. */
    private static LabRun run(Path ws, LabStep step, Lab lab, String state) {
        LabRun run = LabRun.run(ws.toAbsolutePath(), step, lab.tag(), true);
        String counts = Stream.of(TestOutcome.Status.values())
                .map(s -> run.outcomes().stream().filter(t -> t.status() == s).count() + " " + s.name().toLowerCase())
                .collect(Collectors.joining(", "));
        String failed = run.outcomes().stream().filter(t -> t.status() == TestOutcome.Status.FAILED)
                .map(TestOutcome::simpleClassName).distinct().sorted().collect(Collectors.joining(","));
        System.out.printf("BuildLabsTest %s (%s): %s in %d s: %s%s%n", lab.id(), LabTier.BUILD.id(), state, run.seconds(),
                counts, failed.isEmpty() ? "" : "; failing: " + failed);
        return run;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Path repoRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("labs/labs.tsv"))) {
            root = root.getParent();
        }
        return root;
    }
}
