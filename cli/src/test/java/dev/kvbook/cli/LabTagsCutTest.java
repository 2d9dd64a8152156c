package dev.kvbook.cli;

import dev.kvbook.cli.lab.Lab;
import dev.kvbook.cli.lab.LabCatalog;
import dev.kvbook.cli.lab.LabMarkers;
import dev.kvbook.cli.lab.LabRun;
import dev.kvbook.cli.lab.LabStep;
import dev.kvbook.cli.lab.TestOutcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Points per lab are honest only if a lab's tag catches that lab alone being missing: in a workspace
 * holding the reference code, cut out one lab's region, run {@code ./mvnw verify -Dgroups=lab:<id>},
 * and every test the tag selects must fail or hit the lab's throw; none may pass. The other half,
 * that they pass with only the lab and its needs done, is {@link LabTagsIsolationTest}'s. One build
 * per lab, so slow (run with -Pslow).
 */
@Tag("slow")
class LabTagsCutTest {

    @ParameterizedTest
    @EnumSource(LabStep.class)
    void everyTestTaggedForALabFailsWhenOnlyThatLabIsCutOut(LabStep step, @TempDir Path tmp) throws IOException {
        Path ws = tmp.resolve("ws");
        assertThat(Kv.run("lab", "start", step.id(), "--dir", ws.toString()).exitCode()).isZero();
        Path root = repoRoot();
        Path main = root.resolve(step.module()).resolve("src/main/java");
        copyTree(main, ws.resolve(step.module()).resolve("src/main/java"));
        for (Lab lab : LabCatalog.labsOf(root, step)) {
            Path reference = root.resolve(lab.file());
            Path inWorkspace = ws.resolve(lab.file().toString());
            List<String> lines = Files.readAllLines(reference, StandardCharsets.UTF_8);
            Files.write(inWorkspace, LabMarkers.strip(lab.file(), lines, lab.id()::equals), StandardCharsets.UTF_8);

            LabRun run = LabRun.run(ws.toAbsolutePath(), step, lab.tag(), true);
            assertThat(run.outcomes()).as("tests run by -Dgroups=%s (log %s: %s)", lab.tag(), run.log(), run.buildErrors())
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.status()).as("%s.%s with %s cut out", t.simpleClassName(), t.method(), lab.id())
                            .isIn(TestOutcome.Status.FAILED, TestOutcome.Status.NOT_STARTED));
            Files.copy(reference, inWorkspace, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path repoRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("labs/labs.tsv"))) {
            root = root.getParent();
        }
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
