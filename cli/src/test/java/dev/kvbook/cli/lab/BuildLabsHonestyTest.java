package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the build labs honest without running a build: {@code labs/build.tsv} and the BUILD markers
 * agree, every book section exists, every build lab has tests tagged with its tag in the classes the
 * table names, every design tag names a build lab of its step and sits on a class, every class that
 * tags single methods with a fill-in lab that a build lab subsumes also carries that build lab's tag
 * (so the slow {@code BuildLabsTest} judges it), every build lab has a hint ladder, a rubric paragraph
 * and at least one wrong design whose regions exist and whose caught-by classes carry its tag, and
 * each step's sources compile with its build labs cut out. That the tests fail cut, pass with the
 * reference and reject the wrong designs is {@code BuildLabsTest}'s claim (slow).
 */
class BuildLabsHonestyTest {

    static final Path ROOT = RepoRoot.find();

    @Test
    void everyBuildMarkerHasARowAndEveryRowItsMarkersInItsStep() {
        Map<String, LabCatalog.Row> table = LabCatalog.readTable(ROOT, LabCatalog.BUILD_TABLE);
        Set<String> marked = new HashSet<>();
        for (LabStep step : LabStep.values()) {
            for (LabMarker marker : LabCatalog.buildMarkersOf(ROOT, step)) { // throws on a bad marker
                assertThat(marker.step()).as(marker.file() + ":" + marker.beginLine()).isEqualTo(step.id());
                assertThat(table).as("%s has a line in labs/build.tsv", marker.id()).containsKey(marker.id());
                assertThat(marker.endLine()).as("%s:%d holds code", marker.file(), marker.beginLine())
                        .isGreaterThan(marker.beginLine() + 1);
                marked.add(marker.id());
            }
            for (LabMarker marker : LabMarkers.scanModuleBuild(ROOT, step.module())) {
                assertThat(marker.step()).as("%s:%d: a BUILD region of %s names its step", marker.file(), marker.beginLine(),
                        step.module()).isEqualTo(step.id());
            }
        }
        assertThat(table.keySet()).as("every line of labs/build.tsv has its markers").isEqualTo(marked);
        assertThat(LabCatalog.readTable(ROOT).keySet()).as("a build lab's id is no fill-in lab's").doesNotContainAnyElementsOf(marked);
    }

    @Test
    void theRowsAreInStepOrderNamingBooksThatExistAndTestClassesTaggedWithTheLab() throws IOException {
        List<String> order = new ArrayList<>(LabCatalog.readTable(ROOT, LabCatalog.BUILD_TABLE).keySet());
        assertThat(order).as("labs/build.tsv in step order").isSortedAccordingTo(
                (a, b) -> a.substring(0, a.indexOf('.')).compareTo(b.substring(0, b.indexOf('.'))));
        for (Lab lab : LabCatalog.allBuild(ROOT)) {
            String[] parts = lab.book().split("#", 2);
            assertThat(ROOT.resolve(parts[0])).as("book file of %s", lab.id()).isRegularFile();
            if (parts.length == 2) {
                assertThat(LabsHonestyTest.anchors(ROOT.resolve(parts[0]))).as("anchor of %s", lab.id()).contains(parts[1]);
            }
            assertThat(lab.needs()).as("needs of %s: earlier build labs of its step", lab.id())
                    .allSatisfy(need -> assertThat(order.indexOf(need)).isBetween(0, order.indexOf(lab.id()) - 1));
            // A build lab's judges live in its step's tests, even when its regions lie in the testkit: a
            // workspace carries the testkit without its tests, so tests there would never grade the lab.
            LabTags tags = LabTags.scan(ROOT.resolve(lab.step().module()).resolve("src/test/java"));
            assertThat(tags.count(lab.id())).as("tests tagged %s", lab.tag()).isPositive();
            assertThat(lab.tests()).as("tests of %s", lab.id()).isNotEmpty();
            assertThat(tags.classes(lab.id())).as("classes tagged %s hold the ones labs/build.tsv names", lab.tag())
                    .containsAll(lab.tests());
            for (String test : lab.tests()) {
                assertThat(DesignTests.of(ROOT, lab.step()).leavesOut(testFile(lab.step(), test)))
                        .as("%s, a test class of %s, stays in the build tier", test, lab.id()).isFalse();
            }
        }
    }

    @Test
    void designTagsNameABuildLabOfTheirStepAndSitOnAClass() throws IOException {
        Set<String> build = LabCatalog.readTable(ROOT, LabCatalog.BUILD_TABLE).keySet();
        for (LabStep step : LabStep.values()) {
            for (Path file : testFiles(step)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                Set<String> classTags = DesignTests.classTags(lines);
                long designTags = lines.stream().filter(l -> l.strip().startsWith("@Tag(\"" + DesignTests.PREFIX)).count();
                assertThat(classTags.stream().filter(t -> t.startsWith(DesignTests.PREFIX)).count())
                        .as("design tags of %s sit on its class", file.getFileName()).isEqualTo(designTags);
                for (String tag : classTags) {
                    if (tag.startsWith(DesignTests.PREFIX)) {
                        String id = tag.substring(DesignTests.PREFIX.length());
                        assertThat(build).as("%s in %s names a build lab", tag, file.getFileName()).contains(id);
                        assertThat(id).as("%s in %s names a lab of its step", tag, file.getFileName()).startsWith(step.id() + ".");
                    }
                }
            }
        }
    }

    /**
     * The rule for method-level tags of a subsumed fill-in lab ({@link DesignTests}): such a class
     * stays in the build tier, so it must be judged against any design, and it is only judged when
     * it carries the build lab's tag too (else the slow test never runs it against a cut or a wrong design).
     */
    @Test
    void aClassKeptInTheBuildTierThatTestsSubsumedCodeCarriesTheBuildLabsTag() throws IOException {
        for (LabStep step : LabStep.values()) {
            Set<String> subsumed = DesignTests.subsumed(ROOT, step);
            if (subsumed.isEmpty()) {
                continue;
            }
            DesignTests design = DesignTests.of(ROOT, step);
            LabTags tags = LabTags.scan(ROOT.resolve(step.module()).resolve("src/test/java"));
            List<String> buildIds = LabCatalog.buildLabsOf(ROOT, step).stream().map(Lab::id).toList();
            for (String lab : subsumed) {
                for (String cls : tags.classes(lab)) {
                    if (design.leavesOut(testFile(step, cls))) {
                        continue;
                    }
                    assertThat(buildIds.stream().anyMatch(id -> tags.classes(id).contains(cls)))
                            .as("%s tags methods lab:%s, a lab inside a BUILD region, and stays in the build tier: it needs"
                                    + " the build lab's tag, or a class-level design tag", cls, lab).isTrue();
                }
            }
        }
    }

    @Test
    void everyBuildLabHasAtLeastOneWrongDesignWhoseRegionsExistAndWhoseCatchersCarryItsTag() throws IOException {
        for (Lab lab : LabCatalog.allBuild(ROOT)) {
            List<WrongDesign> designs = WrongDesign.of(ROOT, lab.id());
            assertThat(designs).as("wrong designs under labs/wrong/%s/", lab.id()).isNotEmpty();
            LabTags tags = LabTags.scan(ROOT.resolve(lab.step().module()).resolve("src/test/java"));
            for (WrongDesign design : designs) {
                assertThat(design.description().split("\\s+")).as("the paragraph of %s", design.slug()).hasSizeGreaterThan(20);
                assertThat(tags.classes(lab.id())).as("caught-by classes of %s carry lab:%s", design.slug(), lab.id())
                        .containsAll(design.caughtBy());
                for (WrongDesign.Replacement r : design.replacements()) {
                    List<String> lines = Files.readAllLines(ROOT.resolve(r.file()), StandardCharsets.UTF_8);
                    List<String> replaced = WrongDesign.replaceRegion(r.file(), lines, lab.id(), r.region(), r.body());
                    assertThat(replaced).as("%s changes region %d of %s", design.slug(), r.region(), r.file()).isNotEqualTo(lines);
                }
            }
        }
        try (Stream<Path> dirs = Files.list(ROOT.resolve(WrongDesign.DIR))) {
            Set<String> build = LabCatalog.readTable(ROOT, LabCatalog.BUILD_TABLE).keySet();
            assertThat(dirs.map(d -> d.getFileName().toString()).toList()).as("folders of labs/wrong").isSubsetOf(build);
        }
    }

    @Test
    void aWrongDesignFileIsParsedAndAMalformedOneRefused() {
        WrongDesign design = WrongDesign.parse("step1.build-x", "slug", Path.of("x.txt"), List.of(
                "# The paragraph,", "# on two lines.", "# caught-by: ATest, BTest", "--- m/A.java 2", "        int a = 1;",
                "", "--- m/B.java 1", "        return;"));
        assertThat(design.description()).isEqualTo("The paragraph, on two lines.");
        assertThat(design.caughtBy()).containsExactly("ATest", "BTest");
        assertThat(design.replacements()).containsExactly(
                new WrongDesign.Replacement(Path.of("m/A.java"), 2, List.of("        int a = 1;", "")),
                new WrongDesign.Replacement(Path.of("m/B.java"), 1, List.of("        return;")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WrongDesign.parse("step1.build-x", "s", Path.of("x.txt"),
                List.of("# no catcher", "--- m/A.java 1", "x();"))).hasMessageContaining("caught-by");
    }

    @Test
    void everyStepsMainSourcesCompileWithItsBuildLabsCutOut(@TempDir Path tmp) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (LabStep step : LabStep.values()) {
            List<LabMarker> markers = LabCatalog.buildMarkersOf(ROOT, step);
            if (markers.isEmpty()) {
                continue;
            }
            List<String> modules = new ArrayList<>(List.of(step.module()));
            markers.stream().map(m -> m.file().getName(0).toString()).distinct().filter(m -> !modules.contains(m))
                    .forEach(modules::add);
            List<String> files = new ArrayList<>();
            int throwsWritten = 0;
            for (String module : modules) {
                Path main = ROOT.resolve(module).resolve("src/main/java");
                try (Stream<Path> walk = Files.walk(main)) {
                    for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                        List<String> cut = LabMarkers.stripTier(file, Files.readAllLines(file, StandardCharsets.UTF_8),
                                LabTier.BUILD, step.id());
                        throwsWritten += (int) cut.stream().filter(l -> l.contains("throw new UnsupportedOperationException(\"BUILD ")).count();
                        assertThat(cut).as("%s keeps no LAB marker in the build tier", file).noneMatch(l -> LabMarkers.ANY_BEGIN.matcher(l).matches());
                        Path target = tmp.resolve(step.id()).resolve(module).resolve(main.relativize(file).toString());
                        Files.createDirectories(target.getParent());
                        Files.write(target, cut, StandardCharsets.UTF_8);
                        files.add(target.toString());
                    }
                }
            }
            assertThat(throwsWritten).isEqualTo(markers.size());
            List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-nowarn", "-d",
                    tmp.resolve(step.id()).resolve("classes").toString(), "-cp", classpath));
            args.addAll(files);
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int code = javac.run(null, errors, errors, args.toArray(String[]::new));
            assertThat(code).as("javac of %s with its build labs cut out:%n%s", step.id(), errors.toString(StandardCharsets.UTF_8))
                    .isZero();
        }
    }

    private static Path testFile(LabStep step, String simpleName) {
        return testFiles(step).stream().filter(f -> f.getFileName().toString().equals(simpleName + ".java")).findFirst()
                .orElseThrow(() -> new AssertionError("no test class " + simpleName + " in " + step.module()));
    }

    private static List<Path> testFiles(LabStep step) {
        try (Stream<Path> walk = Files.walk(ROOT.resolve(step.module()).resolve("src/test/java"))) {
            return walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
