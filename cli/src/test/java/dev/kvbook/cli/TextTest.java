package dev.kvbook.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrapping to 100 columns: words kept whole, indents kept, spacing inside a line kept. */
class TextTest {

    @Test
    void wrapsAtSpacesWithTheContinuationIndent() {
        String sentence = "word ".repeat(30).strip();
        assertThat(Text.wrap(sentence, "  lesson: ", "          "))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Text.WIDTH))
                .satisfies(lines -> assertThat(lines.get(1)).startsWith("          word"));
    }

    @Test
    void keepsRunsOfSpacesAndShortLinesAsTheyAre() {
        assertThat(Text.wrap("step1  pickled map", "", "  ")).containsExactly("step1  pickled map");
    }

    @Test
    void aWordLongerThanTheLineGetsALineOfItsOwn() {
        String path = "/" + "x".repeat(150);
        assertThat(Text.wrap("see " + path + " now", "", "  ")).containsExactly("see", "  " + path, "  now");
    }

    @Test
    void aBlockKeepsEachLineIndentWhenItWraps() {
        StringWriter text = new StringWriter();
        Text.printBlock(new PrintWriter(text, true), "title\n    children " + "123 ".repeat(40).strip() + "\n");
        assertThat(text.toString().lines().toList()).hasSize(3)
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Text.WIDTH))
                .satisfies(lines -> assertThat(lines.get(2)).startsWith("      123"));
    }
}
