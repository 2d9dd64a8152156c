package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A plausible wrong design of a build lab, which the lab's tests must reject: the proof that they
 * judge the design and not only that something was written. One file per design,
 * {@code labs/wrong/<build-id>/<slug>.txt}:
 * <pre>
 * # one paragraph: the wrong design, why a student might write it, why it is wrong
 * # caught-by: PickleFileTest,PickledMapStoreCrashTest
 * --- step1-pickled-map/src/main/java/dev/kvbook/pickled/PickleFile.java 3
 * ... the Java lines that replace the body of the 3rd (1-based) BUILD region of this lab in that file
 * --- next/File.java 1
 * ...
 * </pre>
 * Regions not listed keep the reference code. The slow {@code BuildLabsTest} applies each design
 * to a build-tier workspace holding the reference and requires at least one test of a caught-by
 * class to fail; {@code BuildLabsHonestyTest} checks that the regions exist and that the caught-by
 * classes carry the lab's tag.
 *
 * @param lab          the build lab's id (the folder's name)
 * @param slug         the file's name without {@code .txt}
 * @param description  the paragraph of {@code #} lines, joined
 * @param caughtBy     simple names of the test classes of which at least one must fail
 * @param replacements the region bodies it replaces
 */
public record WrongDesign(String lab, String slug, String description, List<String> caughtBy, List<Replacement> replacements) {

    /** Where the wrong designs live, relative to the repository root. */
    public static final Path DIR = Path.of("labs", "wrong");

    private static final Pattern FILE_LINE = Pattern.compile("^--- (\\S+) (\\d+)\\s*$");
    private static final String CAUGHT_BY = "# caught-by:";

    /**
     * One replaced region.
     *
     * @param file   the Java file, relative to the repository root
     * @param region which BUILD region of the lab in that file, 1-based, in file order
     * @param body   the lines that stand between its markers instead of the reference's
     */
    public record Replacement(Path file, int region, List<String> body) {
    }

    /** The wrong designs of build lab {@code id} under the checkout {@code root}, by slug (none when the folder is missing). */
    public static List<WrongDesign> of(Path root, String id) {
        Path dir = root.resolve(DIR).resolve(id);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<WrongDesign> designs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                String name = file.getFileName().toString();
                designs.add(parse(id, name.substring(0, name.length() - ".txt".length()), file,
                        Files.readAllLines(file, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the wrong designs under " + dir, e);
        }
        return designs;
    }

    /**
     * Parses one design's lines; {@code file} names it in errors.
     *
     * @throws IllegalStateException when the description, the caught-by line or a region is missing or malformed
     */
    static WrongDesign parse(String lab, String slug, Path file, List<String> lines) {
        List<String> description = new ArrayList<>();
        List<String> caughtBy = null;
        List<Replacement> replacements = new ArrayList<>();
        Path current = null;
        int region = 0;
        List<String> body = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = FILE_LINE.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    replacements.add(new Replacement(current, region, body));
                }
                current = Path.of(m.group(1));
                region = Integer.parseInt(m.group(2));
                body = new ArrayList<>();
            } else if (current != null) {
                body.add(line);
            } else if (line.startsWith(CAUGHT_BY)) {
                caughtBy = Arrays.stream(line.substring(CAUGHT_BY.length()).split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
            } else if (line.startsWith("#")) {
                description.add(line.substring(1).strip());
            } else if (!line.isBlank()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": before the first '--- <file> <n>' line only '#'"
                        + " lines (the paragraph, then '# caught-by: TestA,TestB')");
            }
        }
        if (current != null) {
            replacements.add(new Replacement(current, region, body));
        }
        if (description.isEmpty() || caughtBy == null || caughtBy.isEmpty() || replacements.isEmpty()) {
            throw new IllegalStateException(file + ": a wrong design needs a '#' paragraph, a '# caught-by: TestA,TestB'"
                    + " line and at least one '--- <file> <n>' region");
        }
        return new WrongDesign(lab, slug, String.join(" ", description), caughtBy, replacements);
    }

    /**
     * {@code lines} (a source file holding regions of {@code lab}) with the body of its
     * {@code region}-th BUILD region of {@code lab} replaced by {@code body}; the marker lines stay.
     *
     * @throws IllegalStateException when the file has fewer such regions
     */
    public static List<String> replaceRegion(Path file, List<String> lines, String lab, int region, List<String> body) {
        List<LabMarker> regions = LabMarkers.parseBuild(file, lines).stream().filter(m -> m.id().equals(lab)).toList();
        if (region < 1 || region > regions.size()) {
            throw new IllegalStateException(file + " has " + regions.size() + " BUILD regions of " + lab + ", not a "
                    + region + "th");
        }
        LabMarker marker = regions.get(region - 1);
        List<String> out = new ArrayList<>(lines.subList(0, marker.beginLine()));
        out.addAll(body);
        out.addAll(lines.subList(marker.endLine() - 1, lines.size()));
        return out;
    }
}
