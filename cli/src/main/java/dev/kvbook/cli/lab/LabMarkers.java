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
 * Finds the {@code // LAB:BEGIN <id> — <task>} ... {@code // LAB:END} regions of Java sources (the
 * fill-in labs), and the {@code // BUILD:BEGIN <id> — <task>} ... {@code // BUILD:END} regions (the
 * build labs, {@link LabTier}), and cuts them out for a learner.
 *
 * <p>The rules a marked region follows (checked here, and by the tests that keep labs honest):
 * <ol>
 * <li>Markers are whole-line comments; a BEGIN is closed by the next END of its kind, and every END
 *     has its BEGIN.</li>
 * <li>A LAB region holds no other region. A BUILD region may hold whole LAB regions (the fill-in
 *     labs it subsumes), never another BUILD region.</li>
 * <li>The region is a whole method body, or the statements that end a block, so that the block
 *     still compiles when the region becomes one {@code throw} statement.</li>
 * <li>Ids look like {@code step1.replace}: the step, a dot, lowercase words with dashes. A build
 *     lab's id, and only a build lab's, starts with {@code build-}: {@code step1.build-replace}.
 *     One build id may mark several regions (several methods, several files).</li>
 * </ol>
 */
public final class LabMarkers {

    /** {@code // LAB:BEGIN <id> — <task>}; the dash may be an em dash or {@code --}. */
    static final Pattern BEGIN = Pattern.compile("^\\s*// LAB:BEGIN (\\S+) (?:\u2014|--) (.+)$");
    static final Pattern ANY_BEGIN = Pattern.compile("^\\s*// LAB:BEGIN\\b.*$");
    static final Pattern END = Pattern.compile("^\\s*// LAB:END\\s*$");
    static final Pattern ID = Pattern.compile("step[1-6]\\.[a-z][a-z0-9-]*");
    /** {@code // BUILD:BEGIN <id> — <task>}, as a LAB:BEGIN. */
    static final Pattern BUILD_BEGIN = Pattern.compile("^\\s*// BUILD:BEGIN (\\S+) (?:\u2014|--) (.+)$");
    static final Pattern ANY_BUILD_BEGIN = Pattern.compile("^\\s*// BUILD:BEGIN\\b.*$");
    static final Pattern BUILD_END = Pattern.compile("^\\s*// BUILD:END\\s*$");
    static final Pattern BUILD_ID = Pattern.compile("step[1-6]\\.build-[a-z][a-z0-9-]*");

    private LabMarkers() {
    }

    /** A marker that breaks the rules above, with the file and line. */
    public static final class MarkerException extends IllegalStateException {
        MarkerException(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
        }
    }

    /**
     * The fill-in markers ({@code LAB:BEGIN}) of one source file's lines; {@code file} names it in
     * the results and errors. The BUILD markers are checked too, but left out ({@link #parseBuild}).
     *
     * @throws MarkerException for a malformed, unclosed, nested or unmatched marker of either kind
     */
    public static List<LabMarker> parse(Path file, List<String> lines) {
        return parseAll(file, lines).stream().filter(m -> m.tier() == LabTier.FILL_IN).toList();
    }

    /** The build markers ({@code BUILD:BEGIN}) of one source file's lines, checked as {@link #parse} does. */
    public static List<LabMarker> parseBuild(Path file, List<String> lines) {
        return parseAll(file, lines).stream().filter(m -> m.tier() == LabTier.BUILD).toList();
    }

    /**
     * Every marker of one source file's lines, of both kinds, in the order of their BEGIN lines.
     *
     * @throws MarkerException for a malformed, unclosed or unmatched marker, a LAB inside a LAB, a
     *                         BUILD inside a BUILD or inside a LAB, or a BUILD that ends while a
     *                         LAB inside it is open
     */
    public static List<LabMarker> parseAll(Path file, List<String> lines) {
        List<LabMarker> markers = new ArrayList<>();
        Matcher open = null;
        int openLine = 0;
        Matcher build = null;
        int buildLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (ANY_BEGIN.matcher(line).matches()) {
                Matcher m = BEGIN.matcher(line);
                if (!m.matches() || !ID.matcher(m.group(1)).matches()) {
                    throw new MarkerException(file, i + 1, "a LAB:BEGIN needs an id like step1.replace, a dash and a task");
                }
                if (BUILD_ID.matcher(m.group(1)).matches()) {
                    throw new MarkerException(file, i + 1, "LAB:BEGIN " + m.group(1) + ": ids starting with 'build-' are"
                            + " build labs' and go in a BUILD:BEGIN marker");
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
                markers.add(new LabMarker(open.group(1), open.group(2).strip(), file, openLine, i + 1, LabTier.FILL_IN));
                open = null;
            } else if (line.contains("LAB:END")) {
                throw new MarkerException(file, i + 1, "a LAB:END must be alone on its line as '// LAB:END'");
            } else if (ANY_BUILD_BEGIN.matcher(line).matches()) {
                Matcher m = BUILD_BEGIN.matcher(line);
                if (!m.matches() || !BUILD_ID.matcher(m.group(1)).matches()) {
                    throw new MarkerException(file, i + 1, "a BUILD:BEGIN needs an id like step1.build-replace, a dash and a task");
                }
                if (open != null) {
                    throw new MarkerException(file, i + 1, "BUILD:BEGIN " + m.group(1) + " inside LAB " + open.group(1)
                            + " (begun on line " + openLine + "); a LAB region never holds a BUILD region");
                }
                if (build != null) {
                    throw new MarkerException(file, i + 1, "BUILD:BEGIN " + m.group(1) + " inside BUILD " + build.group(1)
                            + " (begun on line " + buildLine + "); close that one with BUILD:END first");
                }
                build = m;
                buildLine = i + 1;
            } else if (BUILD_END.matcher(line).matches()) {
                if (build == null) {
                    throw new MarkerException(file, i + 1, "BUILD:END without a BUILD:BEGIN");
                }
                if (open != null) {
                    throw new MarkerException(file, i + 1, "BUILD:END while LAB " + open.group(1) + " (begun on line "
                            + openLine + ") is open; a BUILD region holds only whole LAB regions");
                }
                markers.add(new LabMarker(build.group(1), build.group(2).strip(), file, buildLine, i + 1, LabTier.BUILD));
                build = null;
            } else if (line.contains("BUILD:END")) {
                throw new MarkerException(file, i + 1, "a BUILD:END must be alone on its line as '// BUILD:END'");
            }
        }
        if (open != null) {
            throw new MarkerException(file, openLine, "LAB:BEGIN " + open.group(1) + " has no LAB:END");
        }
        if (build != null) {
            throw new MarkerException(file, buildLine, "BUILD:BEGIN " + build.group(1) + " has no BUILD:END");
        }
        markers.sort(java.util.Comparator.comparingInt(LabMarker::beginLine));
        return markers;
    }

    /** Every fill-in marker under {@code root}'s {@code <module>/src/main/java}, with paths relative to {@code root}. */
    public static List<LabMarker> scanModule(Path root, String module) {
        return scanAll(root, module).stream().filter(m -> m.tier() == LabTier.FILL_IN).toList();
    }

    /** Every build marker under {@code root}'s {@code <module>/src/main/java} (empty when there is no such directory). */
    public static List<LabMarker> scanModuleBuild(Path root, String module) {
        if (!Files.isDirectory(root.resolve(module).resolve("src/main/java"))) {
            return List.of();
        }
        return scanAll(root, module).stream().filter(m -> m.tier() == LabTier.BUILD).toList();
    }

    private static List<LabMarker> scanAll(Path root, String module) {
        Path sources = root.resolve(module).resolve("src/main/java");
        List<LabMarker> markers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                markers.addAll(parseAll(root.relativize(file), Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sources, e);
        }
        return markers;
    }

    /**
     * The learner's version of a source file in the fill-in tier: every LAB region's lines replaced
     * by the region's throw statement (indented like the region), the two marker lines kept so the
     * learner sees where to write. BUILD marker lines (another tier's) are dropped; every other line
     * is unchanged.
     */
    public static List<String> strip(Path file, List<String> lines) {
        return strip(file, lines, id -> true);
    }

    /** Like {@link #strip(Path, List)}, but cuts only the LAB regions whose id {@code cut} accepts. */
    public static List<String> strip(Path file, List<String> lines, Predicate<String> cut) {
        List<LabMarker> all = parseAll(file, lines);
        List<LabMarker> regions = all.stream().filter(m -> m.tier() == LabTier.FILL_IN && cut.test(m.id())).toList();
        List<LabMarker> dropped = all.stream().filter(m -> m.tier() == LabTier.BUILD).toList();
        return cut(lines, regions, dropped);
    }

    /**
     * The learner's version of a source file in {@code tier} for the step {@code step} (its id,
     * {@code step1}): in the fill-in tier as {@link #strip(Path, List)}; in the build tier every
     * BUILD region of that step becomes its throw (the LAB regions inside it go with it), and every
     * other marker line is dropped: the fill-in labs outside stay as reference code, and a marker
     * would promise a hole that is not there. Works on any module's sources (the testkit may hold a
     * build lab's region, attributed to the step its id names).
     */
    public static List<String> stripTier(Path file, List<String> lines, LabTier tier, String step) {
        if (tier == LabTier.FILL_IN) {
            return strip(file, lines);
        }
        List<LabMarker> all = parseAll(file, lines);
        List<LabMarker> regions = all.stream().filter(m -> m.tier() == LabTier.BUILD && m.step().equals(step)).toList();
        List<LabMarker> dropped = all.stream().filter(m -> regions.stream().noneMatch(r -> r.encloses(m.beginLine()))
                && !regions.contains(m)).toList();
        return cut(lines, regions, dropped);
    }

    /** {@code lines} with each of {@code regions} cut to its throw and the marker lines of {@code dropped} left out. */
    private static List<String> cut(List<String> lines, List<LabMarker> regions, List<LabMarker> dropped) {
        java.util.Set<Integer> drop = new java.util.HashSet<>();
        for (LabMarker marker : dropped) {
            drop.add(marker.beginLine());
            drop.add(marker.endLine());
        }
        List<String> out = new ArrayList<>();
        int line = 1;
        while (line <= lines.size()) {
            int at = line;
            LabMarker region = regions.stream().filter(r -> r.beginLine() == at).findFirst().orElse(null);
            if (region != null) {
                String begin = lines.get(line - 1);
                String indent = begin.substring(0, begin.indexOf("//"));
                out.add(begin);
                out.add(indent + "// Your code here. The tests that check it: ./mvnw verify, or kv lab check " + region.step());
                out.add(indent + region.throwStatement());
                out.add(lines.get(region.endLine() - 1));
                line = region.endLine() + 1;
            } else {
                if (!drop.contains(line)) {
                    out.add(lines.get(line - 1));
                }
                line++;
            }
        }
        return out;
    }
}
