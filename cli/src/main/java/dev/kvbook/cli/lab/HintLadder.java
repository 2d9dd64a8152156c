package dev.kvbook.cli.lab;

import java.util.List;

/**
 * One lab's hints: a time estimate and three hints, each giving away more than the one before.
 *
 * <ol>
 * <li>a <em>nudge</em>: where to look, which invariant or test to read first;</li>
 * <li>the <em>approach</em>: the steps in words, and the pitfalls;</li>
 * <li>the <em>near-answer</em>: the shape of the code, short of the code itself.</li>
 * </ol>
 * None of them holds the reference code: {@code LabHintsTest} checks that no hint repeats two
 * consecutive lines of any lab's body.
 *
 * @param labId   the lab, {@code step<N>.<name>}
 * @param time    the time estimate as written, such as {@code 45 minutes} or {@code 1.5 hours}: for a
 *                learner who has read the chapter
 * @param minutes the same estimate in minutes
 * @param hints   the three hints, in order, each as Markdown lines (continuation lines unindented)
 */
public record HintLadder(String labId, String time, int minutes, List<String> hints) {

    /** How many hints every ladder has. */
    public static final int RUNGS = 3;

    /** What each hint is, by number from 1: "a nudge", "the approach", "the near-answer". */
    private static final List<String> KINDS = List.of("a nudge", "the approach", "the near-answer");

    /** Keeps its own copy of the hints, and refuses a ladder of any other length. */
    public HintLadder {
        hints = List.copyOf(hints);
        if (hints.size() != RUNGS) {
            throw new IllegalArgumentException(labId + " has " + hints.size() + " hints; a ladder has " + RUNGS);
        }
    }

    /** Hint {@code number}, from 1 to {@value #RUNGS}. */
    public String hint(int number) {
        return hints.get(number - 1);
    }

    /** What hint {@code number} is: "a nudge", "the approach" or "the near-answer". */
    public static String kind(int number) {
        return KINDS.get(number - 1);
    }
}
