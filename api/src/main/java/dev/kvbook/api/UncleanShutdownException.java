package dev.kvbook.api;

import java.nio.file.Path;

/**
 * The store was not closed cleanly and cannot prove its file is consistent, so it refuses to
 * open. Step 4 throws this: it updates pages in place and has no log to repair a half-finished
 * write with, so after a crash it detects the damage instead of guessing (step 5 repairs it).
 *
 * <p>It is a {@link CorruptionException}: code that handles damage handles this too. Tools that
 * want to tell "refused after a crash" from "found damaged bytes" (the crash-lab) test for it.
 *
 * <p>The message is the explanation followed by the remedy, which tells a program how to open the
 * file anyway to look at it, naming the library's option. A tool that offers the same in its own
 * words (kv's {@code --unclean-read-only}) shows {@link #explanation()} and its own remedy instead.
 */
public class UncleanShutdownException extends CorruptionException {

    private final String explanation;
    private final String remedy;

    /** The store at {@code file} refuses to open; {@code explanation} says what happened and why. */
    public UncleanShutdownException(Path file, String explanation) {
        this(file, explanation, null);
    }

    /**
     * @param file        the file that was not closed cleanly
     * @param explanation what happened and why the store refuses, for anyone
     * @param remedy      how a program opens the file anyway to look at it (the option to set), or
     *                    {@code null} when there is no such way
     */
    public UncleanShutdownException(Path file, String explanation, String remedy) {
        super(file, 0, remedy == null ? explanation : explanation + " " + remedy, null);
        this.explanation = explanation;
        this.remedy = remedy;
    }

    /** What happened and why the store refuses, without the remedy. */
    public String explanation() {
        return explanation;
    }

    /** How a program opens the file anyway, in the library's terms; {@code null} when there is no way. */
    public String remedy() {
        return remedy;
    }
}
