package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabMarkersTest {

    static final Path FILE = Path.of("Demo.java");

    static final List<String> SOURCE = List.of(
            "class Demo {",
            "    /** Doubles {@code x}. */",
            "    int twice(int x) {",
            "        // LAB:BEGIN step1.twice \u2014 Double a \"number\"",
            "        int y = x + x;",
            "        return y;",
            "        // LAB:END",
            "    }",
            "}");

    @Test
    void aRegionIsFoundWithItsIdTaskAndLines() {
        assertThat(LabMarkers.parse(FILE, SOURCE)).containsExactly(
                new LabMarker("step1.twice", "Double a \"number\"", FILE, 4, 7));
    }

    @Test
    void stripKeepsTheSignatureJavadocAndMarkersAndReplacesTheBodyWithAThrow() {
        assertThat(LabMarkers.strip(FILE, SOURCE)).containsExactly(
                "class Demo {",
                "    /** Doubles {@code x}. */",
                "    int twice(int x) {",
                "        // LAB:BEGIN step1.twice \u2014 Double a \"number\"",
                "        // Your code here. The tests that check it: ./mvnw verify, or kv lab check step1",
                "        throw new UnsupportedOperationException(\"LAB step1.twice: Double a \\\"number\\\"\");",
                "        // LAB:END",
                "    }",
                "}");
    }

    @Test
    void aBeginWithoutEndIsRefused() {
        assertThatThrownBy(() -> LabMarkers.parse(FILE, SOURCE.subList(0, 6)))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("has no LAB:END");
    }

    @Test
    void anEndWithoutBeginIsRefused() {
        assertThatThrownBy(() -> LabMarkers.parse(FILE, List.of("x();", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("without a LAB:BEGIN");
    }

    @Test
    void nestedRegionsAreRefused() {
        assertThatThrownBy(() -> LabMarkers.parse(FILE, List.of("// LAB:BEGIN step1.a \u2014 a",
                "// LAB:BEGIN step1.b \u2014 b", "// LAB:END", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("inside LAB step1.a");
    }

    @Test
    void aBeginWithoutIdOrTaskIsRefused() {
        assertThatThrownBy(() -> LabMarkers.parse(FILE, List.of("// LAB:BEGIN replace the file", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("needs an id");
    }

    static final List<String> BUILD = List.of(
            "class Demo {",
            "    int twice(int x) {",
            "        // BUILD:BEGIN step1.build-arith \u2014 Design the arithmetic",
            "        int y = x;",
            "        // LAB:BEGIN step1.add \u2014 Add",
            "        y = y + x;",
            "        // LAB:END",
            "        return y;",
            "        // BUILD:END",
            "    }",
            "    int half(int x) {",
            "        // LAB:BEGIN step1.half \u2014 Halve",
            "        return x / 2;",
            "        // LAB:END",
            "    }",
            "}");

    @Test
    void aBuildRegionHoldingALabRegionIsFoundWithBothInOrder() {
        assertThat(LabMarkers.parseAll(FILE, BUILD)).containsExactly(
                new LabMarker("step1.build-arith", "Design the arithmetic", FILE, 3, 9, LabTier.BUILD),
                new LabMarker("step1.add", "Add", FILE, 5, 7, LabTier.FILL_IN),
                new LabMarker("step1.half", "Halve", FILE, 12, 14, LabTier.FILL_IN));
        assertThat(LabMarkers.parse(FILE, BUILD)).extracting(LabMarker::id).containsExactly("step1.add", "step1.half");
        assertThat(LabMarkers.parseBuild(FILE, BUILD)).extracting(LabMarker::id).containsExactly("step1.build-arith");
    }

    @Test
    void theFillInTierCutsEveryLabRegionAndDropsTheBuildMarkerLines() {
        assertThat(LabMarkers.stripTier(FILE, BUILD, LabTier.FILL_IN, "step1")).containsExactly(
                "class Demo {",
                "    int twice(int x) {",
                "        int y = x;",
                "        // LAB:BEGIN step1.add \u2014 Add",
                "        // Your code here. The tests that check it: ./mvnw verify, or kv lab check step1",
                "        throw new UnsupportedOperationException(\"LAB step1.add: Add\");",
                "        // LAB:END",
                "        return y;",
                "    }",
                "    int half(int x) {",
                "        // LAB:BEGIN step1.half \u2014 Halve",
                "        // Your code here. The tests that check it: ./mvnw verify, or kv lab check step1",
                "        throw new UnsupportedOperationException(\"LAB step1.half: Halve\");",
                "        // LAB:END",
                "    }",
                "}");
    }

    @Test
    void theBuildTierCutsTheBuildRegionWithTheLabInsideAndKeepsTheOtherLabAsReferenceWithoutMarkers() {
        assertThat(LabMarkers.stripTier(FILE, BUILD, LabTier.BUILD, "step1")).containsExactly(
                "class Demo {",
                "    int twice(int x) {",
                "        // BUILD:BEGIN step1.build-arith \u2014 Design the arithmetic",
                "        // Your code here. The tests that check it: ./mvnw verify, or kv lab check step1",
                "        throw new UnsupportedOperationException(\"BUILD step1.build-arith: Design the arithmetic\");",
                "        // BUILD:END",
                "    }",
                "    int half(int x) {",
                "        return x / 2;",
                "    }",
                "}");
        assertThat(LabMarkers.stripTier(FILE, BUILD, LabTier.BUILD, "step2")).as("another step's build region stays, unmarked")
                .doesNotContain("        // BUILD:BEGIN step1.build-arith \u2014 Design the arithmetic").contains("        y = y + x;");
    }

    @Test
    void nestingAndMatchingRulesOfBuildRegionsAreEnforced() {
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// BUILD:BEGIN step1.build-a \u2014 a",
                "// BUILD:BEGIN step1.build-b \u2014 b", "// BUILD:END", "// BUILD:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("inside BUILD step1.build-a");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// LAB:BEGIN step1.a \u2014 a",
                "// BUILD:BEGIN step1.build-b \u2014 b", "// BUILD:END", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("a LAB region never holds a BUILD region");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// BUILD:BEGIN step1.build-b \u2014 b",
                "// LAB:BEGIN step1.a \u2014 a", "// BUILD:END", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("BUILD:END while LAB step1.a");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("x();", "// BUILD:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("BUILD:END without a BUILD:BEGIN");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// BUILD:BEGIN step1.build-b \u2014 b", "x();")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("has no BUILD:END");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// BUILD:BEGIN step1.replace \u2014 b", "// BUILD:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("needs an id like step1.build-replace");
        assertThatThrownBy(() -> LabMarkers.parseAll(FILE, List.of("// LAB:BEGIN step1.build-x \u2014 b", "// LAB:END")))
                .isInstanceOf(LabMarkers.MarkerException.class).hasMessageContaining("go in a BUILD:BEGIN marker");
    }

    @Test
    void aDesignTagOnTheClassIsSeenAndOneOnAMethodIsNot() {
        assertThat(DesignTests.classTags(List.of("import org.junit.jupiter.api.Tag;", "/** Doc. */",
                "@Tag(\"lab:step1.replace\")", "@Tag(\"design:step1.build-replace\")", "class ATest {", "    @Tag(\"slow\")",
                "    void one() {", "    }", "}"))).containsExactly("lab:step1.replace", "design:step1.build-replace");
    }
}
