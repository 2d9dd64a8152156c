package dev.kvbook.cli;

import dev.kvbook.cli.lab.Lab;
import dev.kvbook.cli.lab.LabCatalog;
import dev.kvbook.cli.lab.LabMarkers;
import dev.kvbook.cli.lab.LabRun;
import dev.kvbook.cli.lab.TestOutcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other half of {@link LabTagsCutTest}'s claim: a lab's grade depends on that lab's work (and
 * the labs it needs, as {@code labs/labs.tsv} lists them) and on nothing else. For each lab, in a
 * fresh workspace where every lab region of the step is cut out except this lab's and its needs'
 * (their reference bodies put back), {@code ./mvnw verify -Dgroups=lab:<id>} must select some tests
 * and every one of them must pass. A learner who finished this lab, and only this lab (and what it
 * needs), gets its points. One build per lab, so slow (run with -Pslow).
 */
@Tag("slow")
class LabTagsIsolationTest {

    static Stream<String> labs() {
        return LabCatalog.all(repoRoot()).stream().map(Lab::id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void everyTestTaggedForALabPassesWithOnlyThatLabAndItsNeedsDone(String id, @TempDir Path tmp) throws IOException {
        Path root = repoRoot();
        List<Lab> all = LabCatalog.all(root);
        Lab lab = all.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
        List<Lab> needs = LabCatalog.allNeeds(all, lab);
        Set<String> done = new HashSet<>(List.of(id));
        needs.forEach(need -> done.add(need.id()));

        Path ws = tmp.resolve("ws");
        Kv.Result start = Kv.run("lab", "start", lab.step().id(), "--dir", ws.toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        for (Lab any : LabCatalog.labsOf(root, lab.step())) { // every file with a lab region: cut all but `done`
            List<String> reference = Files.readAllLines(root.resolve(any.file()), StandardCharsets.UTF_8);
            Files.write(ws.resolve(any.file().toString()), LabMarkers.strip(any.file(), reference, cut -> !done.contains(cut)),
                    StandardCharsets.UTF_8);
        }

        LabRun run = LabRun.run(ws.toAbsolutePath(), lab.step(), lab.tag(), true);
        System.out.printf("%s with %s done: %d tests in %d s%n", lab.tag(), needs.isEmpty() ? "only the lab"
                : "the lab and " + needs.stream().map(Lab::id).toList(), run.outcomes().size(), run.seconds());
        assertThat(run.outcomes()).as("tests run by -Dgroups=%s (log %s: %s)", lab.tag(), run.log(), run.buildErrors())
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.status())
                        .as("%s.%s with only %s done: %s", t.simpleClassName(), t.method(), done, t.message())
                        .isEqualTo(TestOutcome.Status.PASSED));
    }

    private static Path repoRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("labs/labs.tsv"))) {
            root = root.getParent();
        }
        return root;
    }
}
