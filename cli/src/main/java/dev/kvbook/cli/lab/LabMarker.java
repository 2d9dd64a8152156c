package dev.kvbook.cli.lab;

import java.nio.file.Path;

/**
 * One marked region of the reference sources:
 * <pre>
 *     // LAB:BEGIN step1.replace — Replace the file atomically: ...
 *     ... the reference code a learner writes ...
 *     // LAB:END
 * </pre>
 *
 * @param id        the lab's id, {@code step<N>.<name>}
 * @param task      the one-line task after the dash
 * @param file      the source file, relative to the repository (or workspace) root
 * @param beginLine the 1-based line of {@code LAB:BEGIN}
 * @param endLine   the 1-based line of {@code LAB:END}
 */
public record LabMarker(String id, String task, Path file, int beginLine, int endLine) {

    /** The step the id names: {@code step1} for {@code step1.replace}. */
    public String step() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** The statement a learner's workspace has in place of the region. */
    public String throwStatement() {
        String message = ("LAB " + id + ": " + task).replace("\\", "\\\\").replace("\"", "\\\"");
        return "throw new UnsupportedOperationException(\"" + message + "\");";
    }
}
