package dev.kvbook.cli;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.UncleanShutdownException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Turns every failure into one line on stderr and an exit code, so a person sees what went wrong
 * and what to do, never a stack trace (unless they ask with {@code --debug}).
 *
 * <p>The exit codes:
 * <ul>
 * <li>0: done, nothing wrong;</li>
 * <li>1: the command worked and found problems ({@code verify} findings, a crash-lab promise
 *     broken, a tour read that returned the wrong bytes);</li>
 * <li>2: bad input or a store that cannot be used: unknown store, missing path, malformed hex,
 *     another kind of store at the path, a damaged or locked store, an I/O error;</li>
 * <li>3: a bug in kvbook: an exception nobody expected.</li>
 * </ul>
 */
public final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** The command ran and found problems. */
    public static final int FINDINGS = 1;
    /** The input was bad, or the store could not be used. */
    public static final int BAD_INPUT = 2;
    /** An unexpected exception: a bug. */
    public static final int BUG = 3;

    /** A failure as a person should see it. */
    public record Problem(String message, int exitCode) {
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        return report(cmd, ex, parseResult.originalArgs().contains("--debug"), storePathOf(parseResult));
    }

    /** The {@code --path} the command was given (the store, as the user named it), or null. */
    static Path storePathOf(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--path")) {
                return r.matchedOptionValue("--path", null);
            }
        }
        return null;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String suggestion = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            suggestion = "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        PrintWriter err = cmd.getErr();
        if (Arrays.asList(args).contains("--debug")) {
            ex.printStackTrace(err);
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()) + suggestion
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return BAD_INPUT;
    }

    /** Prints {@code failure} for {@code cmd} (with its stack trace when {@code debug}) and returns the exit code. */
    static int report(CommandLine cmd, Throwable failure, boolean debug) {
        return report(cmd, failure, debug, null);
    }

    /** As {@link #report(CommandLine, Throwable, boolean)}; {@code store} (may be null) is the store the command was given. */
    static int report(CommandLine cmd, Throwable failure, boolean debug, Path store) {
        PrintWriter err = cmd.getErr();
        if (debug) {
            failure.printStackTrace(err);
        }
        Problem problem = describe(failure, store);
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + problem.message());
        err.flush();
        return problem.exitCode();
    }

    /** What to tell a person about {@code failure}: one line, and the exit code. */
    public static Problem describe(Throwable failure) {
        return describe(failure, null);
    }

    /**
     * As {@link #describe(Throwable)}, pointing {@code kv verify} at {@code store}, the store the
     * user named, when known: damage is found in one of its files (a step-3 segment, a step-5 log),
     * and verify wants the store, not the file.
     */
    static Problem describe(Throwable failure, Path store) {
        if (failure instanceof UsageException) {
            return bad(failure.getMessage());
        }
        if (failure instanceof UncleanShutdownException e) {
            return bad(uncleanShutdown(e, store));
        }
        if (failure instanceof CorruptionException e) {
            Path verifyThis = store != null ? store : e.file();
            String hint = verifyThis == null ? "" : "; 'kv verify " + verifyThis + "' lists every problem";
            return bad("the store is damaged: " + e.getMessage() + hint);
        }
        if (failure instanceof StoreLockedException e) {
            return bad(e.getMessage());
        }
        if (failure instanceof StoreFailedException e) {
            return bad("a write or fsync failed, so the store stopped: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; check the disk and reopen");
        }
        if (failure instanceof UncheckedIOException e) {
            return bad(describeIo(e.getCause()));
        }
        if (failure instanceof IOException e) {
            return bad(describeIo(e));
        }
        if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            return bad(failure.getMessage());
        }
        return new Problem("unexpected error " + failure + "; this is a bug in kvbook: run again with --debug "
                + "to see where, and please report it", BUG);
    }

    /**
     * The refusal of a store that was not closed cleanly, with advice a person at the command line
     * can follow. The store's own remedy names the library's option
     * ({@code Options.withOpenUncleanReadOnly}), which is no use here, so this gives the flag that
     * does the same ({@link UncleanReadOnlyOption}) in its place, and {@code kv verify} to list the
     * damage.
     */
    static String uncleanShutdown(UncleanShutdownException e, Path store) {
        Path verifyThis = store != null ? store : e.file();
        return "the store " + (e.file() == null ? "" : e.file() + " ") + e.explanation()
                + " To look at what is there, add " + UncleanReadOnlyOption.NAME + " to kv get, scan, stats or shell,"
                + " which then open it read-only" + (verifyThis == null ? "" : "; 'kv verify " + verifyThis + "' lists the damage");
    }

    /** Names the file and what was wrong with it, for the common I/O failures. */
    static String describeIo(Throwable cause) {
        if (cause instanceof NoSuchFileException e) {
            return "no such file or directory: " + e.getFile() + "; check the path";
        }
        if (cause instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile() + "; check its permissions";
        }
        if (cause instanceof NotDirectoryException e) {
            return "not a directory: " + e.getFile();
        }
        if (cause instanceof FileSystemException e) {
            return "cannot use " + e.getFile() + ": " + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason());
        }
        return "I/O error: " + cause;
    }

    private static Problem bad(String message) {
        return new Problem(oneLine(message), BAD_INPUT);
    }

    /** Joins a multi-line message into one line. */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return String.join(" ", lines);
    }
}
