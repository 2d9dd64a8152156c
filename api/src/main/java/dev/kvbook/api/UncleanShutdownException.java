package dev.kvbook.api;

import java.nio.file.Path;

/**
 * The store was not closed cleanly and cannot prove its file is consistent, so it refuses to
 * open. Step 4 throws this: it updates pages in place and has no log to repair a half-finished
 * write with, so after a crash it detects the damage instead of guessing (step 5 repairs it).
 *
 * <p>It is a {@link CorruptionException}: code that handles damage handles this too. Tools that
 * want to tell "refused after a crash" from "found damaged bytes" (the crash-lab) test for it.
 */
public class UncleanShutdownException extends CorruptionException {

    public UncleanShutdownException(Path file, String explanation) {
        super(file, 0, explanation, null);
    }
}
