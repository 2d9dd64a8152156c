package dev.kvbook.cli;

import dev.kvbook.cli.lab.LabStep;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The student edition's grading promise for every step, each command of its workflow run on this
 * machine in the workflow's order ({@link Grading}):
 * <ol>
 * <li>the edition builds offline, the step it builds on read from its own {@code lib/} (Maven's copy
 *     in {@code ~/.m2} deleted first), and before any work every command fails: each lab, and the
 *     whole step;</li>
 * <li>a student's edit of the tests and the build does not change that: with every test file deleted
 *     and the tests switched off in the parent pom, the student's own build passes, and every
 *     grader command still fails;</li>
 * <li>with the reference code copied in, every command passes;</li>
 * <li>an instructor's hidden test (here one that always fails, tagged with the first lab) is added
 *     by the grader: that lab's command fails, and passes again once the hidden test is gone.</li>
 * </ol>
 * Two to three Maven builds per lab and step, so slow (run with -Pslow).
 */
@Tag("slow")
class StudentEditionGradingTest {

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void everyGraderCommandFailsBeforeTheWorkWhateverTheStudentEditsAndPassesWithTheReferenceCode(LabStep step,
            @TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("edition");
        Kv.Result export = Kv.run("lab", "export", step.id(), "--out", edition.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<Grading.Command> commands = Grading.commands(edition);
        Path noHiddenTests = tmp.resolve("no-hidden-tests");
        Path tests = edition.resolve(step.module()).resolve("src/test");
        List<String> pinnedTests = Grading.snapshot(tests);
        List<Path> cachedJars = forgetCachedJars(edition);

        for (Grading.Command command : commands) {
            Grading.Outcome before = Grading.run(edition, command.command(), noHiddenTests);
            assertThat(before.exitCode()).as("%s before any work:%n%s", command.lab(), before.tail()).isNotZero();
            assertThat(before.log()).as(command.lab()).contains("grader: " + command.lab() + " failed");
        }
        assertThat(cachedJars).as("the jars of lib/, resolved offline from lib/ itself into ~/.m2").allSatisfy(jar ->
                assertThat(jar).isRegularFile());

        Grading.deleteTree(tests);
        Path pom = edition.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replaceFirst("<properties>", "<properties>\n    <skipTests>true</skipTests>"));
        Grading.Outcome unguarded = Grading.run(edition, "./mvnw -B -q verify -pl " + step.module() + " -am", noHiddenTests);
        assertThat(unguarded.exitCode()).as("the edits, graded by the student's own build:%n%s", unguarded.tail()).isZero();
        for (Grading.Command command : commands) {
            Grading.Outcome edited = Grading.run(edition, command.command(), noHiddenTests);
            assertThat(edited.exitCode()).as("%s before any work, tests deleted and skipped:%n%s", command.lab(), edited.tail())
                    .isNotZero();
            assertThat(Grading.snapshot(tests)).as("the tests after grading %s", command.lab()).isEqualTo(pinnedTests);
        }

        Grading.copyReferenceSources(step, edition);
        for (Grading.Command command : commands) {
            Grading.Outcome after = Grading.run(edition, command.command(), noHiddenTests);
            assertThat(after.exitCode()).as("%s with the reference code:%n%s", command.lab(), after.tail()).isZero();
        }

        Grading.Command first = commands.get(0);
        Path hidden = tmp.resolve("hidden");
        Path hiddenTest = hidden.resolve(step.module()).resolve("src/test/java/hidden/InstructorsHiddenTest.java");
        Files.createDirectories(hiddenTest.getParent());
        Files.writeString(hiddenTest, String.join("\n", "package hidden;", "",
                "import org.junit.jupiter.api.Tag;", "import org.junit.jupiter.api.Test;", "",
                "import static org.junit.jupiter.api.Assertions.fail;", "",
                "class InstructorsHiddenTest {", "    @Test", "    @Tag(\"lab:" + first.lab() + "\")",
                "    void aCheckTheStudentNeverSaw() {", "        fail(\"the instructor's hidden test\");", "    }", "}", ""));
        Grading.Outcome withHidden = Grading.run(edition, first.command(), hidden);
        assertThat(withHidden.exitCode()).as("%s with a failing hidden test:%n%s", first.lab(), withHidden.tail()).isNotZero();
        assertThat(withHidden.log()).contains("adding the hidden tests", "the instructor's hidden test");
        Grading.Outcome withoutHidden = Grading.run(edition, first.command(), noHiddenTests);
        assertThat(withoutHidden.exitCode()).as("%s once the hidden test is gone:%n%s", first.lab(), withoutHidden.tail()).isZero();
    }

    /**
     * Deletes from {@code ~/.m2} the copies Maven kept of the edition's {@code lib/} jars (if this
     * machine's repository is there), so that the first offline build must read them from
     * {@code lib/} itself. Returns where Maven will keep them again. Only these versions go: they
     * are named after the jar's content, and nothing else ever has them.
     */
    private static List<Path> forgetCachedJars(Path edition) throws IOException {
        Path lib = edition.resolve("lib");
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository");
        if (!Files.isDirectory(lib) || !Files.isDirectory(local)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(lib)) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).map(f -> local.resolve(lib.relativize(f).toString())).toList();
            for (Path jar : jars) {
                if (Files.isDirectory(jar.getParent())) {
                    Grading.deleteTree(jar.getParent());
                }
            }
            return jars;
        }
    }
}
