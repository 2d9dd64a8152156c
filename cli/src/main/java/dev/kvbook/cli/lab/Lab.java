package dev.kvbook.cli.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One lab: a marked region of a step's reference code, the book section that explains it, and
 * the test classes that exercise it most directly. Its own tests carry its JUnit tag ({@link #tag()}):
 * they are the ones {@code kv lab check} and the autograding config grade it by.
 *
 * @param id    {@code step<N>.<name>}, as in the marker
 * @param step  the step it belongs to
 * @param task  the one-line task, as in the marker
 * @param file  the source file holding the region, relative to the repository root
 * @param book  the book section: {@code book/<chapter>.md} or {@code book/<chapter>.md#<anchor>}
 * @param tests simple names of the test classes that hold most of its tagged tests (where to read first)
 */
public record Lab(String id, LabStep step, String task, Path file, String book, List<String> tests) {

    /** The JUnit tag on this lab's own tests: {@code lab:<id>} ({@link LabTags#of}). */
    public String tag() {
        return LabTags.of(id);
    }
}
