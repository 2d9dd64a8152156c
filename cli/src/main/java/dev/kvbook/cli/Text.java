package dev.kvbook.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Text for a terminal: every line {@code kv} prints as text fits in {@value #WIDTH} columns, so a
 * learner's 100-column window, a printed handout and a pasted CI log all show it unbroken. Long
 * sentences are wrapped at spaces; a word longer than the line (a long path) keeps its own line.
 * JSON and Mermaid output is for programs and is never wrapped.
 */
public final class Text {

    /** The widest line {@code kv} prints as text. */
    public static final int WIDTH = 100;

    private Text() {
    }

    /**
     * {@code text} wrapped to {@value #WIDTH} columns: the first line starts with {@code first},
     * the others with {@code rest} (usually spaces, so a wrapped sentence reads as one item).
     */
    public static List<String> wrap(String text, String first, String rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true; // whether the line holds no word yet, only its indent
        // Split on single spaces, so a run of spaces inside a line ("step1  pickled map") is kept:
        // it comes back as empty words, each one space wide.
        for (String word : text.strip().split(" ")) {
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                empty = true;
                if (word.isEmpty()) {
                    continue; // extra spaces at a line break are dropped
                }
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }

    /** Prints {@code text} wrapped, its continuation lines indented two spaces more than {@code indent}. */
    public static void print(PrintWriter out, String indent, String text) {
        wrap(text, indent, indent + "  ").forEach(out::println);
    }

    /**
     * Prints a block of lines that a store or a library produced (an inspection, a report), each
     * wrapped on its own: a continuation line keeps the original line's indent plus two spaces,
     * so a long list of page ids still reads as one item.
     */
    public static void printBlock(PrintWriter out, String block) {
        for (String line : block.lines().toList()) {
            if (line.length() <= WIDTH) {
                out.println(line);
                continue;
            }
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            wrap(line, indent, indent + "  ").forEach(out::println);
        }
    }
}
