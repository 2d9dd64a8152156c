package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keeps the labs' hints and rubrics honest: every lab has exactly one ladder (a time and three
 * hints) and every ladder names a lab; no hint gives away the reference code, that is, repeats two
 * consecutive lines of any lab's body (whitespace aside), and the check that says so catches a
 * hint planted to fail it; every step has a rubric with a question, marked points that add up, and
 * a model answer.
 */
class LabHintsTest {

    static final Path ROOT = RepoRoot.find();

    /** Shorter than this once normalized ({@link #normalize}), a line is trivial: a brace, {@code return null;}. */
    static final int TRIVIAL_BELOW = 12;

    static Map<String, HintLadder> ladders(LabStep step) {
        return HintsFile.read(ROOT.resolve(HintsFile.inCheckout(step)));
    }

    @Test
    void everyLabHasExactlyOneLadderInItsStepsFileInTheOrderOfTheTable() {
        for (LabStep step : LabStep.values()) {
            List<String> labs = new ArrayList<>(LabCatalog.labsOf(ROOT, step).stream().map(Lab::id).toList());
            LabCatalog.buildLabsOf(ROOT, step).forEach(lab -> labs.add(lab.id())); // the build labs after, as in labs/build.tsv
            assertThat(ladders(step).keySet()).as("the ladders of %s", HintsFile.inCheckout(step))
                    .containsExactlyElementsOf(labs); // a duplicate section is refused by the parser itself
        }
    }

    @Test
    void theHintsFolderHoldsOneFilePerStepAndNothingElse() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("labs/hints"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("step1.md", "step2.md", "step3.md", "step4.md", "step5.md", "step6.md");
        }
    }

    @Test
    void everyLadderHasAPlausibleTimeAndThreeHintsOnlyTheLastShowingTheShapeOfCode() {
        for (LabStep step : LabStep.values()) {
            for (HintLadder ladder : ladders(step).values()) {
                assertThat(ladder.minutes()).as("time of %s", ladder.labId()).isBetween(10, 4 * 60);
                for (int n = 1; n <= HintLadder.RUNGS; n++) {
                    assertThat(ladder.hint(n)).as("hint %d of %s", n, ladder.labId()).isNotBlank();
                }
                for (int n = 1; n < HintLadder.RUNGS; n++) {
                    assertThat(ladder.hint(n)).as("hint %d of %s: words, not code", n, ladder.labId()).doesNotContain("```");
                }
            }
        }
    }

    @Test
    void noHintRepeatsTwoConsecutiveLinesOfAnyLabsBody() {
        Map<String, List<String>> bodies = bodies();
        assertThat(bodies.keySet().stream().filter(id -> !id.contains("#"))).hasSize(LabCatalog.readTable(ROOT).size());
        for (LabStep step : LabStep.values()) {
            for (HintLadder ladder : ladders(step).values()) {
                for (int n = 1; n <= HintLadder.RUNGS; n++) {
                    assertThat(leaks(ladder.hint(n), bodies)).as("lines of a lab body in hint %d of %s", n, ladder.labId())
                            .isEmpty();
                }
            }
        }
    }

    /** The check above can fail: two consecutive lines of each lab's body, planted in a hint, are caught. */
    @Test
    void theVerbatimCheckCatchesTwoBodyLinesPlantedInAHintHoweverTheyAreSpaced() {
        Map<String, List<String>> bodies = bodies();
        for (Map.Entry<String, List<String>> body : bodies.entrySet()) {
            List<String> code = body.getValue().stream().filter(l -> !trivial(normalize(l)))
                    .map(l -> l.replaceFirst("\\s//\\s.*$", "").strip()).toList(); // as a copy would have them
            if (body.getKey().contains("#") && code.size() < 2) {
                continue; // a build region of one line (a name, a return) has no pair to plant
            }
            assertThat(code).as("non-trivial lines of %s", body.getKey()).hasSizeGreaterThanOrEqualTo(2);
            String planted = "3. The shape, almost:\n\n   ```java\n   " + code.get(0) + "\n   }\n"
                    + "      " + code.get(1).replace(" ", "  ") + "\n   ```";
            assertThat(leaks(planted, bodies)).as("planted lines of %s", body.getKey()).isNotEmpty();
            String onOneLine = "Write `" + code.get(0) + " " + code.get(1) + "` and you are done.";
            assertThat(leaks(onOneLine, bodies)).as("planted on one line, %s", body.getKey()).isNotEmpty();
        }
        String leafSearch = "   int middle = (low+high) >>> 1;\n   int order=compare(middle, key);";
        assertThat(leaks(leafSearch, bodies)).as("a hand-planted pair from step4.leaf-search").isNotEmpty();
        assertThat(leaks("   }\n   return null;\n   } else {", bodies)).as("trivial lines are no leak").isEmpty();
        assertThat(leaks("   int middle = (low+high) >>> 1;", bodies)).as("one line alone is no leak").isEmpty();
    }

    @Test
    void theParserRefusesALadderThatIsIncompleteRepeatedOrOutOfOrder() {
        Path file = Path.of("labs/hints/step9.md");
        String ok = "## step1.frame\ntime: 30 minutes\n1. a\n2. b\n3. c\n";
        assertThat(HintsFile.parse(file, ok.lines().toList()).get("step1.frame").hints()).containsExactly("a", "b", "c");
        assertRefused(file, ok + ok, ":6: a second section for step1.frame");
        assertRefused(file, "## step1.frame\n1. a\n2. b\n3. c\n", ":2: step1.frame needs its time first");
        assertRefused(file, "## step1.frame\ntime: 30 minutes\n1. a\n2. b\n", "step1.frame has 2 hints; a ladder has 3");
        assertRefused(file, "## step1.frame\ntime: 30 minutes\n1. a\n3. c\n", ":4: step1.frame: hint 3 where hint 2 should be");
        assertRefused(file, "## step1.frame\ntime: 30 minutes\n1. a\n2. b\n3. c\n4. d\n", ":6: step1.frame: hint 4");
        assertRefused(file, "## step1.frame\ntime: 30 minutes\n1. a\nnot indented\n", ":4: step1.frame: a line outside any hint");
        assertRefused(file, "## frame\ntime: 30 minutes\n", ":1: a section heading is '## <lab id>'");
        assertRefused(file, "## step1.frame\ntime: half an hour\n", ":2: step1.frame needs its time first");
    }

    @Test
    void aHintGoesOnInIndentedLinesAndKeepsItsCodeFence() {
        List<String> lines = List.of("# Title", "", "Intro.", "", "## step2.checksum", "time: 1.5 hours", "",
                "1. first", "   more of it", "", "2. second", "3. shape:", "", "   ```text", "   x := y", "   ```", "");
        HintLadder ladder = HintsFile.parse(Path.of("x.md"), lines).get("step2.checksum");
        assertThat(ladder.minutes()).isEqualTo(90);
        assertThat(ladder.time()).isEqualTo("1.5 hours");
        assertThat(ladder.hint(1)).isEqualTo("first\nmore of it");
        assertThat(ladder.hint(3)).isEqualTo("shape:\n\n```text\nx := y\n```");
    }

    @Test
    void everyStepHasARubricWithAQuestionMarkedPointsThatAddUpAndAModelAnswer() throws IOException {
        for (LabStep step : LabStep.values()) {
            Path file = ROOT.resolve("labs/rubric").resolve(step.id() + ".md");
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).as("title of %s", file).startsWith("# Rubric: step " + step.id().substring(4) + ", ");
            Map<String, List<String>> sections = sections(lines);
            List<String> buildLabs = LabCatalog.buildLabsOf(ROOT, step).stream().map(Lab::id).toList();
            List<String> expected = new ArrayList<>(List.of("", "Question", "What a full answer mentions (10 marks)", "Model answer"));
            if (!buildLabs.isEmpty()) {
                expected.add("Build lab");
                String build = String.join(" ", sections.getOrDefault("Build lab", List.of()));
                for (String id : buildLabs) {
                    assertThat(build).as("the 'Build lab' section of %s has a paragraph on %s", file, id).contains("`" + id + "`");
                }
            }
            assertThat(sections.keySet()).as("sections of %s", file).containsExactlyElementsOf(expected);
            assertThat(String.join(" ", sections.get("Question"))).as("question of %s", file).contains("?");

            List<String> points = sections.get("What a full answer mentions (10 marks)").stream()
                    .filter(l -> l.startsWith("- ")).toList();
            assertThat(points).as("points of %s", file).hasSizeBetween(3, 5);
            int marks = 0;
            for (String point : points) {
                Matcher m = Pattern.compile("^- \\((\\d+) marks?\\) \\S").matcher(point);
                assertThat(m.find()).as("'- (N marks) ...' in %s: %s", file, point).isTrue();
                marks += Integer.parseInt(m.group(1));
            }
            assertThat(marks).as("marks of %s", file).isEqualTo(10);

            String answer = String.join(" ", sections.get("Model answer"));
            assertThat(answer.split("\\s+")).as("words of the model answer in %s", file).hasSizeGreaterThan(150);

            Matcher read = Pattern.compile("^Read with: \\[[^]]+]\\(\\.\\./\\.\\./(book/[^)#]+)#([^)]+)\\)$")
                    .matcher(sections.get("").stream().filter(l -> l.startsWith("Read with:")).findFirst().orElse(""));
            assertThat(read.matches()).as("a 'Read with: [..](../../book/<chapter>.md#<anchor>)' line in %s", file).isTrue();
            assertThat(LabsHonestyTest.anchors(ROOT.resolve(read.group(1)))).as("anchor of %s", file).contains(read.group(2));
        }
    }

    @Test
    void theRubricsSayTheyAreInstructorMaterialLeftOutOfTheStudentEdition() throws IOException {
        String readme = Files.readString(ROOT.resolve("labs/rubric/README.md"));
        assertThat(readme).contains("Instructor material").contains("out of the student edition");
    }

    private static void assertRefused(Path file, String text, String message) {
        assertThatThrownBy(() -> HintsFile.parse(file, text.lines().toList()))
                .isInstanceOf(HintsFile.FormatException.class)
                .hasMessageStartingWith(file.toString() + ":")
                .hasMessageContaining(message);
    }

    /** A rubric's lines by its {@code ## } sections, in order; the key "" holds what comes before the first. */
    private static Map<String, List<String>> sections(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        sections.put("", current);
        for (String line : lines) {
            if (line.startsWith("## ")) {
                current = new ArrayList<>();
                sections.put(line.substring(3).strip(), current);
            } else if (!line.isBlank()) {
                current.add(line);
            }
        }
        return sections;
    }

    // ---- the verbatim check ---------------------------------------------------------------

    /**
     * Every lab's body in the reference sources: the lines between its two markers; a build lab's
     * regions each under {@code <id>#<n>} (1-based, in the order of {@link LabCatalog#buildMarkersOf}).
     */
    static Map<String, List<String>> bodies() {
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        for (LabStep step : LabStep.values()) {
            Map<String, Integer> regions = new java.util.HashMap<>();
            for (LabMarker marker : LabCatalog.buildMarkersOf(ROOT, step)) {
                try {
                    List<String> lines = Files.readAllLines(ROOT.resolve(marker.file()), StandardCharsets.UTF_8);
                    bodies.put(marker.id() + "#" + regions.merge(marker.id(), 1, Integer::sum),
                            lines.subList(marker.beginLine(), marker.endLine() - 1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (LabMarker marker : LabMarkers.scanModule(ROOT, step.module())) {
                try {
                    List<String> lines = Files.readAllLines(ROOT.resolve(marker.file()), StandardCharsets.UTF_8);
                    bodies.put(marker.id(), lines.subList(marker.beginLine(), marker.endLine() - 1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return bodies;
    }

    /**
     * A line as the check compares it: a whole-line or trailing {@code //} comment dropped, then
     * every blank, semicolon and backtick removed. So re-indenting, re-spacing, joining two lines
     * into one or putting them in backticks does not hide a copied line.
     */
    static String normalize(String line) {
        String code = line.strip().startsWith("//") ? "" : line.replaceFirst("\\s//\\s.*$", "");
        return code.replaceAll("[\\s;`]", "");
    }

    static boolean trivial(String normalized) {
        return normalized.length() < TRIVIAL_BELOW;
    }

    /**
     * The pairs of consecutive non-trivial lines of {@code bodies} that {@code hint} holds, joined,
     * both normalized: empty when the hint copies no two lines of code in a row. Trivial lines are
     * skipped on both sides, so a copied pair is found with or without the braces between.
     */
    static List<String> leaks(String hint, Map<String, List<String>> bodies) {
        String text = String.join("", hint.lines().map(LabHintsTest::normalize).filter(l -> !trivial(l)).toList());
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, List<String>> body : bodies.entrySet()) {
            List<String> code = body.getValue().stream().map(LabHintsTest::normalize).filter(l -> !trivial(l)).toList();
            for (int i = 0; i + 1 < code.size(); i++) {
                if (text.contains(code.get(i) + code.get(i + 1))) {
                    found.add(body.getKey() + ": " + code.get(i) + " / " + code.get(i + 1));
                }
            }
        }
        return found;
    }

    @Test
    void normalizingDropsCommentsAndBlanksButKeepsTheCode() {
        assertThat(normalize("        return -(low + 1);")).isEqualTo("return-(low+1)");
        assertThat(normalize("    // Invariant: the header is exactly HEADER_SIZE bytes")).isEmpty();
        assertThat(normalize("    temp.sync();                            // step 2")).isEqualTo("temp.sync()");
        assertThat(normalize("    url = \"https://example.org\";")).isEqualTo("url=\"https://example.org\"");
        assertThat(Arrays.asList(trivial("}"), trivial("returnnull"), trivial("return-(low+1)"))).containsExactly(true, true, false);
    }
}
