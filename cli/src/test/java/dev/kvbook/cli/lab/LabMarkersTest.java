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
}
