package dev.kvbook.cli.lab;

import java.nio.file.Path;

/**
 * One marked region of the reference sources:
 * <pre>
 *     // LAB:BEGIN step1.replace — Replace the file atomically: ...
 *     ... the reference code a learner writes ...
 *     // LAB:END
 * </pre>
 * or, for a build lab ({@link LabTier#BUILD}), the same with {@code BUILD:BEGIN} and {@code BUILD:END}.
 *
 * @param id        the lab's id, {@code step<N>.<name>} ({@code step<N>.build-<name>} for a build lab)
 * @param task      the one-line task after the dash
 * @param file      the source file, relative to the repository (or workspace) root
 * @param beginLine the 1-based line of {@code LAB:BEGIN} (or {@code BUILD:BEGIN})
 * @param endLine   the 1-based line of {@code LAB:END} (or {@code BUILD:END})
 * @param tier      which kind of marker: a fill-in lab's or a build lab's
 */
public record LabMarker(String id, String task, Path file, int beginLine, int endLine, LabTier tier) {

    /** A fill-in lab's marker ({@code LAB:BEGIN}). */
    public LabMarker(String id, String task, Path file, int beginLine, int endLine) {
        this(id, task, file, beginLine, endLine, LabTier.FILL_IN);
    }

    /** The step the id names: {@code step1} for {@code step1.replace}. */
    public String step() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }

    /** Whether line {@code line} (1-based) lies strictly between this region's two marker lines. */
    public boolean encloses(int line) {
        return line > beginLine && line < endLine;
    }

    /** The statement a learner's workspace has in place of the region. */
    public String throwStatement() {
        String message = (tier.word() + " " + id + ": " + task).replace("\\", "\\\\").replace("\"", "\\\"");
        return "throw new UnsupportedOperationException(\"" + message + "\");";
    }
}
