package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the {@code // LAB:BEGIN <id> — <task>} ... {@code // LAB:END} regions of Java sources,
 * and cuts them out for a learner.
 *
 * <p>The rules a marked region follows (checked here, and by the tests that keep labs honest):
 * <ol>
 * <li>Markers are whole-line comments; a BEGIN is closed by the next END, before any other BEGIN
 *     (no nesting), and every END has its BEGIN.</li>
 * <li>The region is a whole method body, or the statements that end a block, so that the block
 *     still compiles when the region becomes one {@code throw} statement.</li>
 * <li>Ids look like {@code step1.replace}: the step, a dot, lowercase words with dashes.</li>
 * </ol>
 */
public final class LabMarkers {

    /** {@code // LAB:BEGIN <id> — <task>}; the dash may be an em dash or {@code --}. */
    static final Pattern BEGIN = Pattern.compile("^\\s*// LAB:BEGIN (\\S+) (?:\u2014|--) (.+)$");
    static final Pattern ANY_BEGIN = Pattern.compile("^\\s*// LAB:BEGIN\\b.*$");
    static final Pattern END = Pattern.compile("^\\s*// LAB:END\\s*$");
    static final Pattern ID = Pattern.compile("step[1-6]\\.[a-z][a-z0-9-]*");

    private LabMarkers() {
    }

    /** A marker that breaks the rules above, with the file and line. */
    public static final class MarkerException extends IllegalStateException {
        MarkerException(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
        }
    }

    /**
     * The markers of one source file's lines; {@code file} names it in the results and errors.
     *
     * @throws MarkerException for a malformed, unclosed, nested or unmatched marker
     */
    public static List<LabMarker> parse(Path file, List<String> lines) {
        List<LabMarker> markers = new ArrayList<>();
        Matcher open = null;
        int openLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (ANY_BEGIN.matcher(line).matches()) {
                Matcher m = BEGIN.matcher(line);
                if (!m.matches() || !ID.matcher(m.group(1)).matches()) {
                    throw new MarkerException(file, i + 1, "a LAB:BEGIN needs an id like step1.replace, a dash and a task");
                }
                if (open != null) {
                    throw new MarkerException(file, i + 1, "LAB:BEGIN " + m.group(1) + " inside LAB " + open.group(1)
                            + " (begun on line " + openLine + "); close that one with LAB:END first");
                }
                open = m;
                openLine = i + 1;
            } else if (END.matcher(line).matches()) {
                if (open == null) {
                    throw new MarkerException(file, i + 1, "LAB:END without a LAB:BEGIN");
                }
                markers.add(new LabMarker(open.group(1), open.group(2).strip(), file, openLine, i + 1));
                open = null;
            } else if (line.contains("LAB:END")) {
                throw new MarkerException(file, i + 1, "a LAB:END must be alone on its line as '// LAB:END'");
            }
        }
        if (open != null) {
            throw new MarkerException(file, openLine, "LAB:BEGIN " + open.group(1) + " has no LAB:END");
        }
        return markers;
    }

    /** Every marker under {@code root}'s {@code <module>/src/main/java}, with paths relative to {@code root}. */
    public static List<LabMarker> scanModule(Path root, String module) {
        Path sources = root.resolve(module).resolve("src/main/java");
        List<LabMarker> markers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                markers.addAll(parse(root.relativize(file), Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sources, e);
        }
        return markers;
    }

    /**
     * The learner's version of a source file: every marked region's lines replaced by the region's
     * throw statement (indented like the region), the two marker lines kept so the learner sees
     * where to write. Lines outside the regions are unchanged.
     */
    public static List<String> strip(Path file, List<String> lines) {
        return strip(file, lines, id -> true);
    }

    /** Like {@link #strip(Path, List)}, but cuts only the regions whose id {@code cut} accepts. */
    public static List<String> strip(Path file, List<String> lines, Predicate<String> cut) {
        List<LabMarker> markers = parse(file, lines).stream().filter(m -> cut.test(m.id())).toList();
        List<String> out = new ArrayList<>();
        int next = 0;
        for (LabMarker marker : markers) {
            out.addAll(lines.subList(next, marker.beginLine()));
            String begin = lines.get(marker.beginLine() - 1);
            String indent = begin.substring(0, begin.indexOf("//"));
            out.add(indent + "// Your code here. The tests that check it: ./mvnw verify, or kv lab check " + marker.step());
            out.add(indent + marker.throwStatement());
            next = marker.endLine() - 1; // keeps the LAB:END line
        }
        out.addAll(lines.subList(next, lines.size()));
        return out;
    }
}
