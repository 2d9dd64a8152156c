package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestTag;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keeps the labs honest without running any build: every marker is well formed and closed, every
 * lab has its line in {@code labs/labs.tsv} with a book section that exists, every lab it needs is
 * an earlier lab of its step, every lab has tests tagged with its JUnit tag and every lab tag names
 * a lab, and every step's main sources still compile once every marked region is cut out (compiled
 * in this JVM with javac). That a lab's tagged tests fail once its region is cut is
 * {@code LabTagsCutTest}'s claim, and that they pass with only the lab and its needs in place
 * {@code LabTagsIsolationTest}'s (both slow: a build per lab).
 */
class LabsHonestyTest {

    static final Path ROOT = RepoRoot.find();

    @Test
    void everyLabBeginHasItsEndAndALineInTheTable() {
        Map<String, LabCatalog.Row> table = LabCatalog.readTable(ROOT);
        Set<String> marked = new HashSet<>();
        for (LabStep step : LabStep.values()) {
            List<LabMarker> markers = LabMarkers.scanModule(ROOT, step.module()); // throws on a bad or unclosed marker
            assertThat(markers).as("labs of %s", step.id()).hasSizeBetween(3, 8);
            for (LabMarker marker : markers) {
                assertThat(marker.step()).as(marker.file() + ":" + marker.beginLine()).isEqualTo(step.id());
                assertThat(marked.add(marker.id())).as("lab id %s used twice", marker.id()).isTrue();
                assertThat(table).as("%s has a line in labs/labs.tsv", marker.id()).containsKey(marker.id());
                assertThat(marker.endLine()).isGreaterThan(marker.beginLine() + 1);
            }
        }
        assertThat(table.keySet()).as("every line of labs/labs.tsv has its marker").isEqualTo(marked);
    }

    /** So a workspace holds every lab a lab needs, and doing the labs in the table's order never waits on a later one. */
    @Test
    void everyNeededLabIsAnEarlierLabOfTheSameStep() {
        List<String> order = new ArrayList<>(LabCatalog.readTable(ROOT).keySet());
        for (LabCatalog.Row row : LabCatalog.readTable(ROOT).values()) {
            for (String need : row.needs()) {
                assertThat(order).as("%s needs %s, a lab of labs/labs.tsv", row.id(), need).contains(need);
                assertThat(order.indexOf(need)).as("%s needs %s, listed before it", row.id(), need)
                        .isLessThan(order.indexOf(row.id()));
                assertThat(need.substring(0, need.indexOf('.'))).as("%s needs %s, of the same step", row.id(), need)
                        .isEqualTo(row.id().substring(0, row.id().indexOf('.')));
            }
            assertThat(row.needs()).as("needs of %s, each once", row.id()).doesNotHaveDuplicates();
        }
    }

    @Test
    void aLineOfTheTableMayLeaveOutTheNeedsAndAFifthCellIsRefused(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("labs"));
        Files.writeString(tmp.resolve(LabCatalog.TABLE), String.join("\n",
                "# id\tbook section\ttests\tneeds",
                "step1.a\tbook/x.md\tATest",
                "step1.b\tbook/x.md\tBTest,CTest\t",
                "step1.c\tbook/x.md\tCTest\tstep1.a, step1.b", ""));
        Map<String, LabCatalog.Row> rows = LabCatalog.readTable(tmp);
        assertThat(rows.keySet()).containsExactly("step1.a", "step1.b", "step1.c");
        assertThat(rows.get("step1.a").needs()).isEmpty();
        assertThat(rows.get("step1.b").needs()).isEmpty();
        assertThat(rows.get("step1.b").tests()).containsExactly("BTest", "CTest");
        assertThat(rows.get("step1.c").needs()).containsExactly("step1.a", "step1.b");

        Files.writeString(tmp.resolve(LabCatalog.TABLE), "step1.a\tbook/x.md\tATest\tstep1.b\tmore\n");
        assertThatThrownBy(() -> LabCatalog.readTable(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("labs.tsv:1: expected 3 or 4 tab-separated cells");
    }

    @Test
    void allNeedsFollowsTheNeedsOfNeededLabsAndKeepsTheTablesOrder() {
        List<Lab> step4 = LabCatalog.labsOf(ROOT, LabStep.STEP4);
        Lab settle = step4.stream().filter(l -> l.id().equals("step4.settle")).findFirst().orElseThrow();
        assertThat(LabCatalog.allNeeds(step4, settle)).extracting(Lab::id)
                .containsExactly("step4.freelist-allocate", "step4.freelist-free", "step4.redistribute");

        Lab a = new Lab("step9.a", LabStep.STEP1, "a", Path.of("A.java"), "book/x.md", List.of("ATest"));
        Lab b = new Lab("step9.b", LabStep.STEP1, "b", Path.of("B.java"), "book/x.md", List.of("BTest"), List.of("step9.a"));
        Lab c = new Lab("step9.c", LabStep.STEP1, "c", Path.of("C.java"), "book/x.md", List.of("CTest"), List.of("step9.b"));
        assertThat(LabCatalog.allNeeds(List.of(a, b, c), c)).containsExactly(a, b);
        assertThat(LabCatalog.allNeeds(List.of(a, b, c), a)).isEmpty();
        assertThatThrownBy(() -> LabCatalog.allNeeds(List.of(b, c), c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step9.a");
    }

    @Test
    void labsMdTellsWhichLabsToDoFirst() {
        String md = LabsFile.render(LabStep.STEP4, LabCatalog.labsOf(ROOT, LabStep.STEP4), ROOT);
        assertThat(md).contains("| `step4.descend` | Descend from the root to the leaf that may hold a key, checking each"
                        + " page's type on the way (do `step4.branch-search` first) |")
                .contains("(do `step4.freelist-allocate`, `step4.freelist-free` and `step4.redistribute` first)")
                .contains("| `step4.leaf-search` | Binary-search a leaf page for a key: its index, or -(insertion point) - 1 |");
    }

    @Test
    void noMarkerLivesOutsideTheStepSources() throws IOException {
        for (String module : List.of("api", "testkit", "cli")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    assertThat(Files.readAllLines(file)).as(file.toString())
                            .noneMatch(l -> LabMarkers.ANY_BEGIN.matcher(l).matches() || LabMarkers.END.matcher(l).matches());
                }
            }
        }
    }

    @Test
    void theLabsGuideListsEveryLabWithItsTaskAndNeedsInTheTablesOrder() throws IOException {
        List<String> guide = Files.readAllLines(ROOT.resolve("book/08-labs-guide.md"));
        int previous = -1;
        for (Lab lab : LabCatalog.all(ROOT)) {
            String start = "| `" + lab.id() + "` | " + lab.task() + " | `" + lab.file() + "` |";
            List<String> rows = guide.stream().filter(line -> line.startsWith(start)).toList();
            assertThat(rows).as("book/08-labs-guide.md lists %s", lab.id()).hasSize(1);
            String needs = String.join(", ", lab.needs().stream().map(id -> "`" + id + "`").toList());
            assertThat(rows.get(0)).as("the last column of %s: what to do first", lab.id())
                    .endsWith(needs.isEmpty() ? " | |" : " | " + needs + " |");
            assertThat(guide.indexOf(rows.get(0))).as("%s in the order of labs/labs.tsv", lab.id()).isGreaterThan(previous);
            previous = guide.indexOf(rows.get(0));
        }
    }

    @Test
    void theCheckedInClassroomConfigIsWhatAStep1WorkspaceGets() throws IOException {
        assertThat(Files.readString(ROOT.resolve("labs/classroom/autograding.json")))
                .isEqualTo(ClassroomConfig.render(LabStep.STEP1, LabCatalog.labsOf(ROOT, LabStep.STEP1)));
    }

    @Test
    void everyLabNamesABookSectionThatExists() throws IOException {
        for (LabCatalog.Row row : LabCatalog.readTable(ROOT).values()) {
            String[] parts = row.book().split("#", 2);
            Path chapter = ROOT.resolve(parts[0]);
            assertThat(chapter).as("book file of %s", row.id()).isRegularFile();
            if (parts.length == 2) {
                assertThat(anchors(chapter)).as("anchor of %s in %s", row.id(), parts[0]).contains(parts[1]);
            }
        }
    }

    @Test
    void everyLabNamesTestClassesOfItsStep() {
        for (LabCatalog.Row row : LabCatalog.readTable(ROOT).values()) {
            LabStep step = LabStep.parse(row.id().substring(0, row.id().indexOf('.')));
            assertThat(row.tests()).as("tests of %s", row.id()).isNotEmpty();
            for (String test : row.tests()) {
                try (Stream<Path> files = Files.walk(ROOT.resolve(step.module()).resolve("src/test/java"))) {
                    assertThat(files.anyMatch(f -> f.getFileName().toString().equals(test + ".java")))
                            .as("%s names test class %s of %s", row.id(), test, step.module()).isTrue();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void everyLabHasTestsOfItsStepTaggedWithAValidJUnitTag() {
        for (Lab lab : LabCatalog.all(ROOT)) {
            assertThat(TestTag.isValid(lab.tag())).as("%s is a valid JUnit tag", lab.tag()).isTrue();
            LabTags tags = LabTags.scan(ROOT.resolve(lab.step().module()).resolve("src/test/java"));
            assertThat(tags.count(lab.id())).as("tests of %s tagged @Tag(\"%s\")", lab.step().module(), lab.tag())
                    .isPositive();
            assertThat(tags.classes(lab.id())).as("classes with tests tagged %s hold the ones labs/labs.tsv names", lab.tag())
                    .containsAll(lab.tests());
        }
    }

    @Test
    void everyLabTagNamesALabOfTheModuleItSitsIn() throws IOException {
        Set<String> labs = new HashSet<>(LabCatalog.readTable(ROOT).keySet());
        labs.addAll(LabCatalog.readTable(ROOT, LabCatalog.BUILD_TABLE).keySet()); // build labs' tags: BuildLabsHonestyTest
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test/java"))).toList()) {
                for (String tagged : LabTags.scan(module.resolve("src/test/java")).labs()) {
                    assertThat(labs).as("@Tag(\"lab:%s\") in %s names a lab of labs/labs.tsv or labs/build.tsv", tagged,
                                    module.getFileName())
                            .contains(tagged);
                    assertThat(module.getFileName().toString()).as("module of the tests tagged lab:%s", tagged)
                            .isEqualTo(LabStep.parse(tagged.substring(0, tagged.indexOf('.'))).module());
                }
            }
        }
    }

    @Test
    void theTagScannerSeesClassAndMethodTagsAndInheritance(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("ATest.java"), String.join("\n",
                "@Tag(\"lab:step1.frame\")", "class ATest extends BaseTest {", "    @Test", "    @Tag(\"lab:step1.replace\")",
                "    @Tag(\"slow\")", "    void one() {", "    }", "    @Test", "    void two() {", "    }", "}"));
        Files.writeString(tmp.resolve("BaseTest.java"), String.join("\n",
                "abstract class BaseTest {", "    @Tag(\"lab:step1.integrity\")", "    @ParameterizedTest",
                "    void three(int n) {", "    }", "}"));
        LabTags tags = LabTags.scan(tmp);
        assertThat(tags.labs()).containsExactly("step1.frame", "step1.integrity", "step1.replace");
        assertThat(tags.has("x.ATest", "two", "step1.frame")).isTrue();
        assertThat(tags.has("x.ATest", "one", "step1.replace")).isTrue();
        assertThat(tags.has("x.ATest", "two", "step1.replace")).isFalse();
        assertThat(tags.has("x.ATest", "three(int)[2]", "step1.integrity")).isTrue();
        assertThat(tags.has("x.BaseTest", "three", "step1.frame")).isFalse();
    }

    @Test
    void everyStepsMainSourcesCompileWithEveryLabCutOut(@TempDir Path tmp) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (LabStep step : LabStep.values()) {
            Path sources = tmp.resolve(step.id()).resolve("src");
            List<String> files = new ArrayList<>();
            int throwsWritten = 0;
            Path main = ROOT.resolve(step.module()).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(main)) {
                for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> stripped = LabMarkers.strip(file, Files.readAllLines(file, StandardCharsets.UTF_8));
                    throwsWritten += (int) stripped.stream().filter(l -> l.contains("throw new UnsupportedOperationException(\"LAB ")).count();
                    Path target = sources.resolve(main.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.write(target, stripped, StandardCharsets.UTF_8);
                    files.add(target.toString());
                }
            }
            assertThat(throwsWritten).isEqualTo(LabMarkers.scanModule(ROOT, step.module()).size());
            List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-d",
                    tmp.resolve(step.id()).resolve("classes").toString(), "-cp", classpath));
            args.addAll(files);
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int code = javac.run(null, errors, errors, args.toArray(String[]::new));
            assertThat(code).as("javac of %s with its labs cut out:%n%s", step.id(), errors.toString(StandardCharsets.UTF_8))
                    .isZero();
        }
    }

    /** The anchors of a Markdown file's headings, as GitHub and the book's site make them. */
    static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
