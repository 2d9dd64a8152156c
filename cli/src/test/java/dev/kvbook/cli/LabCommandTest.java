package dev.kvbook.cli;

import dev.kvbook.cli.lab.LabStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kv lab} end to end on step 1, in the default run: list, start, and check of a fresh
 * workspace, which compiles and fails every lab before any is done. One Maven build of the
 * workspace (offline: the dependencies are in ~/.m2 once the repository has been built).
 */
class LabCommandTest {

    @Test
    void listShowsEveryLabWithItsTaskAndBookSection() {
        Kv.Result r = Kv.run("lab", "list");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (LabStep step : LabStep.values()) {
            assertThat(r.out()).contains(step.id() + " (" + step.module() + ")");
        }
        assertThat(r.out()).contains("step1.replace", "book/01-step1-pickled-map.md#the-four-steps-of-an-atomic-replace",
                "step5.recovery-scan", "step3.merge-copy");
    }

    @Test
    void aFreshStep1WorkspaceCompilesAndFailsEveryLabBeforeAnyIsDone(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ws");
        Kv.Result start = Kv.run("lab", "start", "step1", "--dir", dir.toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(dir.resolve("mvnw")).isExecutable();
        assertThat(dir.resolve(".mvn/wrapper/maven-wrapper.properties")).isRegularFile();
        assertThat(Files.readString(dir.resolve("pom.xml"))).contains("<module>step1-pickled-map</module>")
                .doesNotContain("<module>step2-append-log</module>", "<module>cli</module>");
        assertThat(Files.readString(dir.resolve("step1-pickled-map/src/main/java/dev/kvbook/pickled/PickleFile.java")))
                .contains("throw new UnsupportedOperationException(\"LAB step1.replace: ")
                .doesNotContain("vfs.rename(tempPath, path);");

        Kv.Result check = Kv.run("lab", "check", "step1", "--dir", dir.toString(), "--offline");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(Errors.FINDINGS);
        assertThat(check.out()).as(check.toString())
                .containsPattern("kv lab check step1: \\d+ tests in \\d+ s: \\d+ passed, \\d+ failed, [1-9]\\d* not started")
                .contains("[ ] step1.replace", "[ ] step1.frame", "[ ] step1.integrity", "[ ] step1.deserialize",
                        "waiting on step1.frame", "basic operations", "crash");
    }

    @Test
    void startRefusesToWriteOverAnExistingDirectory(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("my-work.txt"), "precious");
        Kv.Result r = Kv.run("lab", "start", "step2", "--dir", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("already exists and is not empty");
        assertThat(tmp.resolve("my-work.txt")).hasContent("precious");
    }

    @Test
    void checkRefusesADirectoryThatIsNoWorkspace(@TempDir Path tmp) {
        Kv.Result r = Kv.run("lab", "check", "step1", "--dir", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("is not a lab workspace");
    }

    @Test
    void anUnknownStepIsBadInput() {
        Kv.Result r = Kv.run("lab", "start", "step9");
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("no step 'step9'; the steps are step1, step2, step3, step4, step5, step6");
    }

    @Test
    void startRefusesAWorkspaceInsideTheCheckout() {
        Path inside = Path.of("").toAbsolutePath().resolve("kvbook-lab-refused");
        Kv.Result r = Kv.run("lab", "start", "step1", "--dir", inside.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("is inside the kvbook checkout").contains("kvbook-lab-step1");
        assertThat(inside).doesNotExist();
    }

    @Test
    void aWorkspaceIgnoresJqwiksDatabaseAndItsLabsFileGivesAKvThatRunsThere(@TempDir Path tmp) throws IOException {
        assertThat(Kv.run("lab", "start", "step2", "--dir", tmp.resolve("w").toString()).exitCode()).isZero();
        assertThat(Files.readString(tmp.resolve("w/.gitignore"))).contains("target/").contains(".jqwik-database");
        String labs = Files.readString(tmp.resolve("w/LABS.md"));
        assertThat(labs).containsPattern("    /\\S+/kv lab check step2 --dir \\.");
    }
}
