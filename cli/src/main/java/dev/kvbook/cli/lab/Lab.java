package dev.kvbook.cli.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One lab: a marked region of a step's reference code, the book section that explains it, the
 * test classes that exercise it most directly, and the labs whose work its tests also need. Its
 * own tests carry its JUnit tag ({@link #tag()}): they are the ones {@code kv lab check} and the
 * autograding config grade it by, and they pass once this lab and its {@link #needs()} are done,
 * whatever state the step's other labs are in.
 *
 * @param id    {@code step<N>.<name>}, as in the marker
 * @param step  the step it belongs to
 * @param task  the one-line task, as in the marker
 * @param file  the source file holding the region, relative to the repository root
 * @param book  the book section: {@code book/<chapter>.md} or {@code book/<chapter>.md#<anchor>}
 * @param tests simple names of the test classes that hold most of its tagged tests (where to read first)
 * @param needs ids of the labs of the same step, listed earlier, whose code its tests run too
 *              ("do these first"); empty for most labs. Only the direct ones: a needed lab's own
 *              needs are needed too ({@link LabCatalog#allNeeds}).
 */
public record Lab(String id, LabStep step, String task, Path file, String book, List<String> tests, List<String> needs) {

    public Lab {
        tests = List.copyOf(tests);
        needs = List.copyOf(needs);
    }

    /** A lab that needs no other (a workspace's own table does not record needs). */
    public Lab(String id, LabStep step, String task, Path file, String book, List<String> tests) {
        this(id, step, task, file, book, tests, List.of());
    }

    /** Which tier the lab belongs to: a build lab's id starts with {@code build-} after the step ({@code step1.build-replace}). */
    public LabTier tier() {
        return id.substring(id.indexOf('.') + 1).startsWith("build-") ? LabTier.BUILD : LabTier.FILL_IN;
    }

    /** The JUnit tag on this lab's own tests: {@code lab:<id>} ({@link LabTags#of}). */
    public String tag() {
        return LabTags.of(id);
    }
}
