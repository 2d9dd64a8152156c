package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a step's tests a build-tier workspace or edition leaves out: those that pin the
 * reference's design rather than judge behaviour. A build lab lets the learner choose the design, so
 * a test that compares golden bytes, checks an exact sequence of calls or calls a helper another
 * design would not have is not a fair judge of it.
 *
 * <p>A test file is left out when, before its class declaration, it carries
 * <ul>
 * <li>{@code @Tag("design:<build-id>")} for a build lab of the step: the author said it pins the
 *     design; or</li>
 * <li>{@code @Tag("lab:<id>")} for a fill-in lab whose region lies inside one of the step's BUILD
 *     regions: a class wholly about subsumed code calls that code's helpers and pins its shape.</li>
 * </ul>
 * Method-level tags of a subsumed lab leave the class in: such a class must compile and pass
 * against any correct design. {@code BuildLabsHonestyTest} holds every class to this rule (a class
 * with method tags of a subsumed lab must also carry the build lab's tag, so the slow
 * {@code BuildLabsTest} runs it against the cut and the wrong designs). Also left out: every
 * test resource under {@code src/test/resources/design/<build-id>/} (a reference golden file, say),
 * and every file under {@code src/main/golden/<build-id>/} ({@link #OWN_GOLDEN}).
 */
final class DesignTests {

    /** What every design tag starts with. */
    static final String PREFIX = "design:";

    /** Where a build lab's design-only test resources live in a step module. */
    static final String RESOURCES = "src/test/resources/design/";

    /**
     * Where a build lab keeps the golden files of a learner's own design, in a step module: in
     * kvbook the reference's, which the build tier leaves out so the learner records their own.
     * Under {@code src/main}, which the grader never restores: the files are the learner's work.
     */
    static final String OWN_GOLDEN = "src/main/golden/";

    private static final Pattern TAG = Pattern.compile("^\\s*@Tag\\(\"([^\"]*)\"\\)");
    private static final Pattern TYPE = Pattern.compile("^\\s*(?:public\\s+|abstract\\s+|final\\s+)*(?:class|interface|record|enum)\\s+\\w+");

    private final Set<String> leaveOutTags;
    private final Set<String> buildIds;

    private DesignTests(Set<String> leaveOutTags, Set<String> buildIds) {
        this.leaveOutTags = leaveOutTags;
        this.buildIds = buildIds;
    }

    /** The rule for {@code step}'s build tier, from the markers of the checkout {@code root}. */
    static DesignTests of(Path root, LabStep step) {
        Set<String> tags = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        for (LabMarker build : LabCatalog.buildMarkersOf(root, step)) {
            ids.add(build.id());
            tags.add(PREFIX + build.id());
        }
        subsumed(root, step).forEach(id -> tags.add(LabTags.of(id)));
        return new DesignTests(tags, ids);
    }

    /** The fill-in labs of {@code step} whose regions lie inside one of its BUILD regions. */
    static Set<String> subsumed(Path root, LabStep step) {
        Set<String> ids = new LinkedHashSet<>();
        for (LabMarker build : LabCatalog.buildMarkersOf(root, step)) {
            try {
                List<String> lines = Files.readAllLines(root.resolve(build.file()), StandardCharsets.UTF_8);
                LabMarkers.parse(build.file(), lines).stream().filter(lab -> build.encloses(lab.beginLine()))
                        .forEach(lab -> ids.add(lab.id()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + build.file(), e);
            }
        }
        return ids;
    }

    /** Whether the build tier leaves out {@code file}, a path in a step module's {@code src/test} or {@code src/main}. */
    boolean leavesOut(Path file) {
        String path = file.toString().replace('\\', '/');
        for (String id : buildIds) {
            if (path.contains("/" + RESOURCES + id + "/") || path.contains("/" + OWN_GOLDEN + id + "/")) {
                return true;
            }
        }
        if (!path.endsWith(".java")) {
            return false;
        }
        try {
            return classTags(Files.readAllLines(file, StandardCharsets.UTF_8)).stream().anyMatch(leaveOutTags::contains);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The {@code @Tag} values on the first type declared in a Java file's {@code lines} (its class-level tags). */
    static Set<String> classTags(List<String> lines) {
        Set<String> tags = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher tag = TAG.matcher(line);
            if (tag.find()) {
                tags.add(tag.group(1));
            } else if (TYPE.matcher(line).find()) {
                return tags;
            }
        }
        return tags;
    }
}
