package dev.kvbook.cli;

import dev.kvbook.cli.lab.LabStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kv lab export} in the default run: what a student edition holds, that the workflow's
 * checks refuse an edited grader or archive, and, for step 1, the grading promise end to end.
 *
 * <p>The step-1 grading test runs each lab's grader command of the workflow before any work,
 * after the student deleted every test (one Maven build per lab, sharing the compiled modules as
 * the workflow's steps do): each fails, because the grader restored the pinned tests byte for
 * byte. Then, with the reference code copied in, each lab's command passes. Eight builds: 85 s on
 * a busy two-core machine (2026-12-05). Left to the slow test, to keep the default build short:
 * the last command, every test of the step (with the reference code it runs exactly the step's
 * own suite, which step1-pickled-map's build runs in the same {@code ./mvnw verify}), and the proof
 * that the edit would pass if graded by the student's own build. {@code StudentEditionGradingTest}
 * (slow) runs every command of every step, before and after, with hidden tests too.
 */
class StudentEditionTest {

    @Test
    void aStep1EditionIsGradedByItsPinnedTestsAndNotByTheStudentsCopy(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("step1-student");
        Kv.Result export = Kv.run("lab", "export", "step1", "--out", edition.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<Grading.Command> commands = Grading.commands(edition);
        assertThat(commands).extracting(Grading.Command::lab)
                .containsExactly("step1.frame", "step1.integrity", "step1.deserialize", "step1.replace", "all");
        Path tests = edition.resolve("step1-pickled-map/src/test");
        List<String> pinnedTests = Grading.snapshot(tests);
        Path noHiddenTests = tmp.resolve("no-hidden-tests");

        // The student deletes every test (graded by the student's own build, every lab would then pass:
        // StudentEditionGradingTest shows it). With the grader, every lab still fails before any work:
        // it restored the pinned tests.
        Grading.deleteTree(tests);
        for (Grading.Command command : commands.subList(0, commands.size() - 1)) {
            Grading.Outcome before = Grading.run(edition, command.command(), noHiddenTests);
            assertThat(before.exitCode()).as("%s before any work, tests deleted:%n%s", command.lab(), before.tail()).isNotZero();
            assertThat(before.log()).contains("grader: " + command.lab() + " failed");
            assertThat(Grading.snapshot(tests)).as("the tests after grading %s", command.lab()).isEqualTo(pinnedTests);
        }

        // With the reference code in place, every lab's command passes.
        Grading.copyReferenceSources(LabStep.STEP1, edition);
        for (Grading.Command command : commands.subList(0, commands.size() - 1)) {
            Grading.Outcome after = Grading.run(edition, command.command(), noHiddenTests);
            assertThat(after.exitCode()).as("%s with the reference code:%n%s", command.lab(), after.tail()).isZero();
        }
    }

    @Test
    void anEditedGraderOrArchiveIsRefusedBeforeAnyBuild(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("e");
        assertThat(Kv.run("lab", "export", "step1", "--out", edition.toString()).exitCode()).isZero();
        Grading.Command frame = Grading.commands(edition).get(0);
        Path grader = edition.resolve(".grader/grade.sh");
        String original = Files.readString(grader);

        Files.writeString(grader, original.replace("set -eu\n", "set -eu\nexit 0 # always passes\n"));
        Grading.Outcome editedGrader = Grading.run(edition, frame.command(), tmp.resolve("none"));
        assertThat(editedGrader.exitCode()).as(editedGrader.log()).isNotZero();
        assertThat(editedGrader.log()).contains(".grader/grade.sh: FAILED").doesNotContain("./mvnw");

        // A student who rewrites the archive and its checksum file still fails the hash the workflow pins.
        Files.writeString(grader, original);
        Files.write(edition.resolve(".grader/tests.tar"), new byte[1024]);
        Files.writeString(edition.resolve(".grader/tests.tar.sha256"),
                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef  tests.tar\n");
        Grading.Outcome editedArchive = Grading.run(edition, frame.command(), tmp.resolve("none"));
        assertThat(editedArchive.exitCode()).as(editedArchive.log()).isEqualTo(2);
        assertThat(editedArchive.log()).contains("is not the pinned copy of the tests: no grade").doesNotContain("grader: ./mvnw");
    }

    @Test
    void exportingTwiceGivesTheSameArchiveAndWorkflow(@TempDir Path tmp) throws IOException {
        assertThat(Kv.run("lab", "export", "step3", "--out", tmp.resolve("a").toString()).exitCode()).isZero();
        assertThat(Kv.run("lab", "export", "step3", "--out", tmp.resolve("b").toString()).exitCode()).isZero();
        assertThat(tmp.resolve("a/.grader/tests.tar")).hasSameBinaryContentAs(tmp.resolve("b/.grader/tests.tar"));
        assertThat(tmp.resolve("a/.github/workflows/classroom.yml")).hasSameTextualContentAs(tmp.resolve("b/.github/workflows/classroom.yml"));
    }

    @Test
    void aStep3EditionCarriesStep2AsAJarInARepositoryOfItsOwn(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("e");
        assertThat(Kv.run("lab", "export", "step3", "--out", edition.toString()).exitCode()).isZero();
        assertThat(edition.resolve("step2-append-log")).doesNotExist();
        Path version;
        try (Stream<Path> versions = Files.list(edition.resolve("lib/dev/kvbook/kvbook-step2-append-log"))) {
            version = versions.findFirst().orElseThrow();
        }
        String v = version.getFileName().toString();
        assertThat(v).matches("0\\.1\\.0-[0-9a-f]{12}");
        Path jar = version.resolve("kvbook-step2-append-log-" + v + ".jar");
        assertThat(version.resolve("kvbook-step2-append-log-" + v + ".pom")).isRegularFile();
        assertThat(Files.readString(version.resolve("kvbook-step2-append-log-" + v + ".jar.sha1"))).matches("[0-9a-f]{40}");
        try (JarFile classes = new JarFile(jar.toFile())) {
            assertThat(classes.getEntry("dev/kvbook/applog/LogFormat.class")).isNotNull();
            assertThat(classes.getEntry("META-INF/services/dev.kvbook.api.StoreProvider")).isNotNull();
        }
        assertThat(Files.readString(edition.resolve("step3-hash-index/pom.xml"))).contains("<version>" + v + "</version>");
        assertThat(Files.readString(edition.resolve("pom.xml")))
                .contains("<url>file://${maven.multiModuleProjectDirectory}/lib</url>", "<module>step3-hash-index</module>")
                .doesNotContain("<module>step2-append-log</module>");
        assertThat(edition.resolve(".mvn/maven.config")).hasContent("-Daether.offline.protocols=file");
        assertThat(Files.readString(edition.resolve("step3-hash-index/src/main/java/dev/kvbook/hashindex/Merge.java")))
                .contains("throw new UnsupportedOperationException(\"LAB step3.merge-copy: ");
    }

    @Test
    void withSourceTheStepItBuildsOnComesAsReferenceSourceAndNoJar(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("e");
        assertThat(Kv.run("lab", "export", "step5", "--out", edition.toString(), "--with-source").exitCode()).isZero();
        assertThat(edition.resolve("lib")).doesNotExist();
        assertThat(edition.resolve(".mvn/maven.config")).doesNotExist();
        assertThat(Files.readString(edition.resolve("step4-btree/src/main/java/dev/kvbook/btree/FreeList.java")))
                .contains("PageFormat.setLink(page, meta.freeListHead());"); // step 4's own lab, not cut: it is reference code here
        assertThat(Files.readString(edition.resolve("pom.xml"))).contains("<module>step4-btree</module>");
        assertThat(Files.readString(edition.resolve(".grader/grade.sh"))).contains("step4-btree/src").doesNotContain(" lib ");
    }

    @Test
    void anExportHoldsTheGraderTheBookAndNoLegacyAutogradingConfig(@TempDir Path tmp) throws IOException {
        Path edition = tmp.resolve("e");
        Kv.Result r = Kv.run("lab", "export", "step1", "--out", edition.toString());
        assertThat(r.out()).containsPattern("sha256 of \\.grader/grade\\.sh +[0-9a-f]{64}")
                .containsPattern("sha256 of \\.grader/tests\\.tar +[0-9a-f]{64}");
        assertThat(edition.resolve(".grader/grade.sh")).isExecutable();
        assertThat(edition.resolve(".grader/tests.tar.sha256")).content(StandardCharsets.UTF_8).matches("[0-9a-f]{64}  tests\\.tar\\n");
        assertThat(edition.resolve(".github/classroom/autograding.json")).doesNotExist();
        assertThat(edition.resolve("book/01-step1-pickled-map.md")).isRegularFile();
        assertThat(edition.resolve("book/06-durability-testing.md")).isRegularFile();
        assertThat(edition.resolve(".kvbook-lab")).isRegularFile();
        assertThat(Files.readString(edition.resolve("LABS.md"))).contains("sh .grader/grade.sh step1.frame", "| `step1.replace` |");
        assertThat(Files.readString(edition.resolve("README.md"))).contains("[01-step1-pickled-map.md](book/01-step1-pickled-map.md)");
        // Hints are for students; the rubric's model answers and the instructor's guide are not.
        assertThat(Files.readString(edition.resolve(".kvbook-lab-hints.md"))).contains("## step1.replace", "time:");
        assertThat(Files.readString(edition.resolve("LABS.md"))).contains(".kvbook-lab-hints.md");
        try (var files = Files.walk(edition)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> edition.relativize(f).toString()))
                    .noneMatch(f -> f.contains("rubric") || f.contains("instructors-guide"));
        }
    }

    @Test
    void exportRefusesAFullDirectoryAndADirectoryInsideTheCheckout(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        Kv.Result full = Kv.run("lab", "export", "step1", "--out", tmp.toString());
        assertThat(full.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(full.err()).contains("already exists and is not empty", "--out");
        Path inside = Path.of("").toAbsolutePath().resolve("step1-student-refused");
        Kv.Result refused = Kv.run("lab", "export", "step1", "--out", inside.toString());
        assertThat(refused.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(refused.err()).contains("is inside the kvbook checkout");
        assertThat(inside).doesNotExist();
    }
}
