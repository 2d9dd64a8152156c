package dev.kvbook.notebooks;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs a notebook's code cells in order in one JShell, as a Java kernel would, and reports the
 * first compile error or exception with the notebook, the cell and the line in the cell.
 *
 * <p>Each cell is cut into snippets the way JShell itself cuts input
 * ({@link SourceCodeAnalysis#analyzeCompletion}), and each snippet is evaluated in turn. JShell is
 * built from its API, not the {@code jshell} tool, so nothing is imported for the notebook: a
 * cell that forgets an import fails here, as it would in a kernel that pre-imports less than
 * another.
 *
 * <p>Snippets run in this JVM ({@code executionEngine("local")}) on the test's class path, so
 * the stores and their service-loader registrations are the ones the build just made.
 */
final class CellRunner implements AutoCloseable {

    /** What went wrong, where; {@code null} fields when a notebook ran clean. */
    record Failure(String notebook, int cell, int line, String what, String output) {
        @Override
        public String toString() {
            return notebook + ", cell " + cell + ", line " + line + " of the cell: " + what
                    + (output.isBlank() ? "" : "\n--- the cell's last output ---\n" + output);
        }
    }

    private final JShell shell;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream outputStream = new PrintStream(output, true, StandardCharsets.UTF_8);

    CellRunner(String classPath) {
        shell = JShell.builder()
                .executionEngine("local")
                .out(outputStream)
                .err(outputStream)
                .build();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
    }

    /** Runs every code cell of {@code notebook}; returns the first failure, if any. */
    Optional<Failure> run(Notebook notebook) {
        String name = notebook.file().getFileName().toString();
        for (Notebook.CodeCell cell : notebook.cells()) {
            output.reset();
            PrintStream out = System.out;
            PrintStream err = System.err;
            // Local execution writes straight to System.out; keep it, to show with a failure.
            System.setOut(outputStream);
            System.setErr(outputStream);
            Optional<Failure> failure;
            try {
                failure = runCell(name, cell);
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private Optional<Failure> runCell(String notebook, Notebook.CodeCell cell) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String text = cell.source();
        int consumed = 0;
        while (!text.substring(consumed).isBlank()) {
            String remaining = text.substring(consumed);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;    // only comments are left
            }
            int start = consumed + startOf(remaining, info.source());
            int startLine = lineAt(text, start);
            if (!info.completeness().isComplete()) {
                return failure(notebook, cell, startLine, "incomplete code (" + info.completeness()
                        + "): a missing brace, parenthesis or semicolon from here on");
            }
            consumed = text.length() - info.remaining().length();
            for (SnippetEvent event : shell.eval(info.source())) {
                Optional<Failure> failure = check(notebook, cell, startLine, event);
                if (failure.isPresent()) {
                    return failure;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Failure> check(String notebook, Notebook.CodeCell cell, int startLine, SnippetEvent event) {
        Snippet snippet = event.snippet();
        if (event.causeSnippet() != null) {
            return Optional.empty();   // a knock-on update of an earlier snippet
        }
        if (event.status() == Snippet.Status.REJECTED) {
            List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).toList();
            if (errors.isEmpty()) {
                return failure(notebook, cell, startLine, "rejected: " + snippet.source().strip());
            }
            Diag first = errors.get(0);
            int line = startLine + lineAt(snippet.source(), (int) Math.max(0, first.getStartPosition())) - 1;
            String all = errors.stream().map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("; "));
            return failure(notebook, cell, line, "does not compile: " + all);
        }
        if (snippet instanceof DeclarationSnippet declaration
                && (event.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED)) {
            String missing = shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "));
            return failure(notebook, cell, startLine, "refers to what is not defined: " + missing);
        }
        JShellException exception = event.exception();
        if (exception != null) {
            // JShell's stack frames do not always give the line inside a multi-line statement, so the
            // line named is where the statement that threw begins (or the frame's line when it has one).
            return failure(notebook, cell, lineOf(exception, startLine), describe(exception));
        }
        return Optional.empty();
    }

    /** The line in the cell where the exception was thrown, from the snippet's stack frame. */
    private static int lineOf(JShellException exception, int startLine) {
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getFileName() != null && frame.getFileName().startsWith("#") && frame.getLineNumber() > 1) {
                return startLine + frame.getLineNumber() - 1;
            }
        }
        return startLine;
    }

    private static String describe(JShellException exception) {
        if (exception instanceof EvalException eval) {
            StringBuilder text = new StringBuilder("threw " + eval.getExceptionClassName()
                    + (eval.getMessage() == null ? "" : ": " + eval.getMessage()));
            for (StackTraceElement frame : eval.getStackTrace()) {
                text.append("\n    at ").append(frame);
            }
            for (Throwable cause = eval.getCause(); cause != null; cause = cause.getCause()) {
                text.append("\n  caused by ").append(cause instanceof EvalException e
                        ? e.getExceptionClassName() + ": " + e.getMessage() : cause.toString());
            }
            return text.toString();
        }
        if (exception instanceof UnresolvedReferenceException unresolved) {
            return "calls " + unresolved.getSnippet().source().strip() + ", which refers to what is not defined";
        }
        return "threw " + exception;
    }

    private Optional<Failure> failure(String notebook, Notebook.CodeCell cell, int line, String what) {
        String shown = output.toString(StandardCharsets.UTF_8);
        if (shown.length() > 2000) {
            shown = "..." + shown.substring(shown.length() - 2000);
        }
        return Optional.of(new Failure(notebook, cell.number(), line, what, shown));
    }

    /** Where {@code snippetSource} (which JShell may have trimmed) begins in {@code remaining}. */
    private static int startOf(String remaining, String snippetSource) {
        String head = snippetSource.strip();
        head = head.substring(0, Math.min(head.length(), 24));
        int found = head.isEmpty() ? -1 : remaining.indexOf(head);
        if (found >= 0) {
            return found;
        }
        int i = 0;
        while (i < remaining.length() && Character.isWhitespace(remaining.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The 1-based line of {@code offset} in {@code text}. */
    private static int lineAt(String text, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    @Override
    public void close() {
        shell.close();
    }
}
