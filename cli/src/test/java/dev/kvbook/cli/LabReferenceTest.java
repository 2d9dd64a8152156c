package dev.kvbook.cli;

import dev.kvbook.cli.lab.LabStep;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labs' promise, step by step: a fresh workspace fails its tests, and the same workspace with
 * the reference sources copied back in passes every one. Two full test runs per step, so slow
 * (run with -Pslow).
 */
@Tag("slow")
class LabReferenceTest {

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void aWorkspaceFailsBeforeTheLabsAndPassesWithTheReferenceCode(LabStep step, @TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ws");
        assertThat(Kv.run("lab", "start", step.id(), "--dir", dir.toString()).exitCode()).isZero();

        Kv.Result before = Kv.run("lab", "check", step.id(), "--dir", dir.toString(), "--offline");
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(Errors.FINDINGS);
        assertThat(before.out()).as(before.toString()).contains("[ ] " + step.id() + ".").doesNotContain("[x] " + step.id() + ".");

        copyReferenceSources(step, dir);
        Kv.Result after = Kv.run("lab", "check", step.id(), "--dir", dir.toString(), "--offline");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).as(after.toString()).contains("Every test passes.", " 0 failed, 0 not started")
                .doesNotContain("[ ]", "[~]");
    }

    /** What a learner who wrote exactly the reference code would have: the checkout's main sources. */
    private static void copyReferenceSources(LabStep step, Path dir) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("labs/labs.tsv"))) {
            root = root.getParent();
        }
        Path from = root.resolve(step.module()).resolve("src/main/java");
        Path to = dir.resolve(step.module()).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
