package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the student editions honest without running a build: no lab's body appears verbatim in
 * any Markdown an edition carries, for any step, and the check would see one planted there.
 *
 * <p>"Verbatim" is {@link Giveaways}'s definition: three consecutive non-trivial lines of a lab's
 * body (normalised: outer blanks dropped, inner runs of blanks made one, quote marks removed; a
 * line is trivial with fewer than eight letters, digits or underscores) appearing as three
 * consecutive non-trivial lines of the text, fenced or not. Every lab of every step is checked in
 * every edition, not only the edition's own: an edition must not hand out another step's answers
 * either.
 */
class StudentEditionHonestyTest {

    static final Path ROOT = RepoRoot.find();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theReferenceBookPrintsLabBodiesSoTheEditionsMustCutThem() throws IOException {
        List<Giveaways.Body> bodies = Giveaways.bodies(ROOT, LabCatalog.all(ROOT));
        assertThat(Giveaways.findVerbatim(chapter("01-step1-pickled-map.md"), bodies))
                .extracting(Giveaways.Finding::id).contains("step1.replace");
        assertThat(Giveaways.findVerbatim(chapter("05-step5-wal.md"), bodies))
                .extracting(Giveaways.Finding::id).contains("step5.group-commit", "step5.checkpoint-copy");
    }

    @Test
    void noLabBodyAppearsVerbatimInAnyMarkdownOfAnyStepsEdition(@TempDir Path tmp) throws IOException {
        List<Giveaways.Body> bodies = Giveaways.bodies(ROOT, LabCatalog.all(ROOT));
        assertThat(bodies).hasSameSizeAs(LabCatalog.all(ROOT)).allSatisfy(b -> assertThat(b.signature()).hasSizeGreaterThanOrEqualTo(3));
        for (LabStep step : LabStep.values()) {
            Path edition = tmp.resolve(step.id());
            StudentEdition.export(ROOT, step, edition, false);
            List<Path> markdown = markdownOf(edition);
            assertThat(markdown).as("Markdown of the %s edition", step.id()).isNotEmpty();
            for (Path file : markdown) {
                assertThat(Giveaways.findVerbatim(Files.readString(file, StandardCharsets.UTF_8), bodies))
                        .as("lab bodies in %s of the %s edition", edition.relativize(file), step.id()).isEmpty();
            }
        }
    }

    /** The build tier cuts the listings that give a build region away, as the fill-in tier does for its labs. */
    @Test
    void noBuildLabBodyAppearsVerbatimInAnyMarkdownOfABuildTierEdition(@TempDir Path tmp) throws IOException {
        List<Lab> build = LabCatalog.allBuild(ROOT);
        List<Giveaways.Body> bodies = Giveaways.bodies(ROOT, build).stream().filter(b -> !b.signature().isEmpty()).toList();
        for (LabStep step : LabStep.values()) {
            if (LabCatalog.buildLabsOf(ROOT, step).isEmpty()) {
                continue;
            }
            Path edition = tmp.resolve(step.id());
            StudentEdition.export(ROOT, step, LabTier.BUILD, edition, false);
            for (Path file : markdownOf(edition)) {
                assertThat(Giveaways.findVerbatim(Files.readString(file, StandardCharsets.UTF_8), bodies))
                        .as("build lab bodies in %s of the %s build-tier edition", edition.relativize(file), step.id()).isEmpty();
            }
        }
    }

    @Test
    void theCheckCatchesAPlantedCopyReindentedAndCutsItFromAListing(@TempDir Path tmp) throws IOException {
        List<Giveaways.Body> bodies = Giveaways.bodies(ROOT, LabCatalog.all(ROOT));
        Path edition = tmp.resolve("step1");
        StudentEdition.export(ROOT, LabStep.STEP1, edition, false);
        Path chapter = edition.resolve("book/01-step1-pickled-map.md");
        String clean = Files.readString(chapter, StandardCharsets.UTF_8);
        assertThat(Giveaways.findVerbatim(clean, bodies)).isEmpty();

        List<String> replace = regionOf("step1-pickled-map/src/main/java/dev/kvbook/pickled/PickleFile.java", "step1.replace");
        List<String> planted = new ArrayList<>();
        for (String line : replace.subList(2, 7)) {
            planted.add("\t  " + line.strip().replace(" ", "  ")); // other indentation, doubled blanks
        }
        String inProse = clean + "\nA reader's note:\n\n" + String.join("\n", planted) + "\n";
        assertThat(Giveaways.findVerbatim(inProse, bodies)).extracting(Giveaways.Finding::id).containsExactly("step1.replace");

        String inListing = clean + "\n```java\n" + String.join("\n", planted) + "\n```\n";
        String cut = Giveaways.cutListings(inListing, bodies, id -> StudentBook.pointer(id, LabStep.STEP1));
        assertThat(Giveaways.findVerbatim(cut, bodies)).isEmpty();
        assertThat(cut).endsWith("> This listing is lab `step1.replace` in the student edition: see LABS.md.\n");

        String twoLines = clean + "\n" + String.join("\n", planted.subList(0, 2)) + "\n";
        assertThat(Giveaways.findVerbatim(twoLines, bodies)).as("two lines are not a copy").isEmpty();
    }

    @Test
    void aCutListingLeavesAPointerAndNoIncludeMarker(@TempDir Path tmp) throws IOException {
        StudentEdition.export(ROOT, LabStep.STEP5, tmp.resolve("e"), false);
        String chapter = Files.readString(tmp.resolve("e/book/05-step5-wal.md"), StandardCharsets.UTF_8);
        assertThat(chapter).contains("> This listing is lab `step5.group-commit` in the student edition: see LABS.md.",
                "> This listing is lab `step5.checkpoint-copy` in the student edition: see LABS.md.", "> **Student edition.**")
                .doesNotContain("include: step5-wal/src/main/java/dev/kvbook/wal/Checkpointer.java#copyToDataFile")
                .contains("```mermaid");
    }

    @Test
    void everyRelativeLinkOfAnEditionLandsInsideIt(@TempDir Path tmp) throws IOException {
        for (LabStep step : List.of(LabStep.STEP1, LabStep.STEP5)) {
            Path edition = tmp.resolve(step.id());
            StudentEdition.export(ROOT, step, edition, false);
            for (Path file : markdownOf(edition)) {
                boolean fenced = false;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    fenced ^= line.strip().startsWith("```");
                    Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                    while (!fenced && link.find()) {
                        String target = link.group(1).split("#", 2)[0];
                        if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
                            continue;
                        }
                        Path resolved = file.getParent().resolve(target).normalize();
                        assertThat(resolved).as("link %s in %s", link.group(1), edition.relativize(file)).exists();
                        assertThat(resolved.startsWith(edition)).as("link %s stays inside the edition", link.group(1)).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theCheckedInClassroomWorkflowIsWhatAStep1EditionGets(@TempDir Path tmp) throws IOException {
        StudentEdition.export(ROOT, LabStep.STEP1, tmp.resolve("e"), false);
        String generated = Files.readString(tmp.resolve("e").resolve(ClassroomWorkflow.PATH), StandardCharsets.UTF_8);
        // The hashes change with every edit of step 1's tests, the testkit or the poms; the rest may not drift.
        assertThat(withoutHashes(Files.readString(ROOT.resolve("labs/classroom/classroom.yml"), StandardCharsets.UTF_8)))
                .as("labs/classroom/classroom.yml; refresh it with kv lab export step1 (see labs/README.md)")
                .isEqualTo(withoutHashes(generated));
    }

    @Test
    void theWorkflowHasOneGraderStepPerLabAndTheReporterReadsEachResult(@TempDir Path tmp) throws IOException {
        StudentEdition.Export export = StudentEdition.export(ROOT, LabStep.STEP4, tmp.resolve("e"), false);
        String workflow = Files.readString(tmp.resolve("e").resolve(ClassroomWorkflow.PATH), StandardCharsets.UTF_8);
        assertThat(workflow).startsWith("# ").contains("name: Autograding Tests\n", "on: [push, workflow_dispatch]\n",
                "  checks: write\n  actions: read\n  contents: read\n", "  run-autograding-tests:\n    runs-on: ubuntu-latest\n",
                "    if: github.actor != 'github-classroom[bot]'\n", "uses: actions/checkout@v4", "uses: actions/setup-java@v4",
                "distribution: temurin", "java-version: '17'", "cache: maven");
        List<String> ids = new ArrayList<>();
        for (Lab lab : export.labs()) {
            String id = lab.id().replace('.', '-');
            ids.add(id);
            assertThat(workflow).contains("      - name: " + lab.id() + "\n        id: " + id + "\n"
                    + "        uses: classroom-resources/autograding-command-grader@v1\n        with:\n"
                    + "          test-name: " + lab.id() + "\n          command: \"echo '" + export.pins().grader()
                    + "  .grader/grade.sh' | sha256sum --check --quiet && sh .grader/grade.sh " + lab.id() + " "
                    + export.pins().tests() + "\"\n          timeout: 10\n          max-score: 10\n");
            assertThat(workflow).contains("          " + id.toUpperCase() + "_RESULTS: \"${{steps." + id + ".outputs.result}}\"\n");
        }
        ids.add("step4-all");
        assertThat(workflow).contains("uses: classroom-resources/autograding-grading-reporter@v1",
                "STEP4-ALL_RESULTS: \"${{steps.step4-all.outputs.result}}\"", "          runners: " + String.join(",", ids) + "\n");
        assertThat(ids).allMatch(id -> id.matches("[a-z][a-z0-9-]*"));
    }

    @Test
    void theArchiveIsPlainUstarThatTarReads(@TempDir Path tmp) throws IOException, InterruptedException {
        TarWriter tar = new TarWriter();
        String longPath = "a".repeat(60) + "/" + "b".repeat(60) + "/c.txt";
        tar.add("mvnw", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), true);
        tar.add(longPath, "x".repeat(513).getBytes(StandardCharsets.UTF_8), false);
        Files.write(tmp.resolve("t.tar"), tar.finish());
        Process untar = new ProcessBuilder("tar", "-xf", "t.tar").directory(tmp.toFile()).inheritIO().start();
        assertThat(untar.waitFor()).isZero();
        assertThat(tmp.resolve(longPath)).hasContent("x".repeat(513));
        assertThat(tmp.resolve("mvnw")).isExecutable().hasContent("#!/bin/sh");
        assertThat(Files.getLastModifiedTime(tmp.resolve("mvnw")).toMillis()).isEqualTo(TarWriter.MTIME * 1000);
    }

    private static String withoutHashes(String text) {
        return text.replaceAll("[0-9a-f]{64}", "<sha256>");
    }

    private static String chapter(String name) throws IOException {
        return Files.readString(ROOT.resolve("book").resolve(name), StandardCharsets.UTF_8);
    }

    private static List<String> regionOf(String file, String id) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(file), StandardCharsets.UTF_8);
        LabMarker marker = LabMarkers.parse(Path.of(file), lines).stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        return lines.subList(marker.beginLine(), marker.endLine() - 1);
    }

    private static List<Path> markdownOf(Path edition) throws IOException {
        try (Stream<Path> files = Files.walk(edition)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
    }
}
