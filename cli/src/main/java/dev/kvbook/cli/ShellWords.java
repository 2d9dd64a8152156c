package dev.kvbook.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into words: spaces separate words, double quotes keep spaces inside one
 * ({@code put greeting "hello world"}), and inside quotes a backslash escapes a quote or a
 * backslash. {@code ""} is the empty word, which is how to give an empty key or value. A line
 * starting with {@code #} is a comment and has no words.
 */
public final class ShellWords {

    private ShellWords() {
    }

    /** The words of {@code line}; throws {@link UsageException} on an unterminated quote. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        if (line.strip().startsWith("#")) {
            return words;
        }
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                if (c == '"') {
                    quoted = true;
                } else {
                    word.append(c);
                }
            }
        }
        if (quoted) {
            throw new UsageException("unterminated quote in: " + line + "; close it with \"");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
