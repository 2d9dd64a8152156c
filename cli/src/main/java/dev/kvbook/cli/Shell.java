package dev.kvbook.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kv shell: reads commands a line at a time and runs them on one open store.
 *
 * <p>At a terminal it is a JLine line editor with history (kept in {@code ~/.kv_history}) and
 * completion of the command words. Without one (a script piped in, a test) it reads plain lines
 * and prints only results, and each failing line is reported on stderr with its number. Either
 * way an error in one line is reported and the shell goes on.
 */
final class Shell {

    private final Session session;
    private final PrintWriter out;
    private final boolean debug;

    /** A shell on {@code session}, printing results to {@code out}. */
    Shell(Session session, PrintWriter out, boolean debug) {
        this.session = session;
        this.out = out;
        this.debug = debug;
    }

    /**
     * Runs every line of {@code script} until its end or {@code quit}. Returns 0, or
     * {@link Errors#BAD_INPUT} when any line failed (each failure is printed to {@code err}), or
     * when the script ended with a transaction still open: nobody is there to ask, so it is
     * rolled back, never committed, and {@code err} says how many writes were lost.
     */
    int runScript(BufferedReader script, PrintWriter err) throws IOException {
        int failures = 0;
        int number = 0;
        for (String line = script.readLine(); line != null; line = script.readLine()) {
            number++;
            try {
                if (!execute(line)) {
                    break;
                }
            } catch (RuntimeException e) {
                failures++;
                out.flush();
                printFailure(err, "line " + number + ": ", e);
            }
            out.flush();
        }
        if (session.inTransaction()) {
            int lost = session.transactionWrites();
            session.rollback();
            out.flush();
            err.println("kv: the script ended with a transaction open: rolled back, so its " + Units.count(lost, "write")
                    + " were not committed (end it with 'commit')");
            err.flush();
            return Errors.BAD_INPUT;
        }
        return failures == 0 ? 0 : Errors.BAD_INPUT;
    }

    /** Reads and runs lines from {@code terminal} with history and completion until quit or Ctrl-D. */
    int runInteractive(Terminal terminal) {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("kv")
                .completer(new ArgumentCompleter(new StringsCompleter(verbs()), NullCompleter.INSTANCE))
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".kv_history"))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        out.println("kv shell on the " + session.provider().name() + " store at " + session.path()
                + ": 'help' lists the commands, 'quit' (or Ctrl-D) leaves");
        while (true) {
            out.flush();
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed
            } catch (EndOfFileException e) {
                line = "quit";
            }
            try {
                if (!execute(line) && mayLeave(prompt -> ask(reader, prompt))) {
                    out.flush();
                    return 0;
                }
            } catch (RuntimeException e) {
                printFailure(out, "", e);
            }
        }
    }

    /**
     * Whether the shell may quit: yes, unless a transaction is open; then {@code ask} (a prompt,
     * answered by the user: null for Ctrl-C or Ctrl-D) says whether to commit it, roll it back, or
     * stay in the shell. Never commits without being told to.
     */
    boolean mayLeave(java.util.function.UnaryOperator<String> ask) {
        while (session.inTransaction()) {
            String answer = ask.apply("a transaction with " + Units.count(session.transactionWrites(), "write")
                    + " is open: commit, rollback, or stay? ");
            switch (answer == null ? "stay" : answer.trim()) {
                case "commit", "c" -> session.commit();
                case "rollback", "r" -> session.rollback();
                case "stay", "s", "" -> {
                    return false;
                }
                default -> out.println("answer commit, rollback or stay");
            }
        }
        return true;
    }

    /** One line typed at {@code prompt}, or null for Ctrl-C or Ctrl-D. */
    private static String ask(LineReader reader, String prompt) {
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    /** Runs one command line. Returns false when it asks to quit. */
    boolean execute(String line) {
        List<String> words = ShellWords.split(line);
        if (words.isEmpty()) {
            return true;
        }
        String verb = words.get(0);
        List<String> args = words.subList(1, words.size());
        switch (verb) {
            case "put" -> {
                expect(args, 2, 2, "put KEY VALUE");
                session.put(ByteArgs.parse(args.get(0)), ByteArgs.parse(args.get(1)));
                out.println("ok");
            }
            case "get" -> {
                expect(args, 1, 1, "get KEY");
                byte[] value = session.get(ByteArgs.parse(args.get(0)));
                out.println(value == null ? "(not found)" : ByteArgs.format(value));
            }
            case "del", "delete" -> {
                expect(args, 1, 1, "del KEY");
                out.println(session.delete(ByteArgs.parse(args.get(0))) ? "deleted" : "(not found)");
            }
            case "scan" -> {
                expect(args, 0, 2, "scan [FROM [TO]]");
                session.scan(args.isEmpty() ? null : ByteArgs.parse(args.get(0)),
                        args.size() < 2 ? null : ByteArgs.parse(args.get(1)));
            }
            case "stats" -> run(args, "stats", session::stats);
            case "sync" -> run(args, "sync", session::sync);
            case "inspect" -> run(args, "inspect", session::inspect);
            case "verify" -> run(args, "verify", session::verify);
            case "begin" -> run(args, "begin", session::begin);
            case "commit" -> run(args, "commit", session::commit);
            case "rollback" -> run(args, "rollback", session::rollback);
            case "help", "?" -> help();
            case "quit", "exit" -> {
                return false;
            }
            default -> {
                if (!session.provider().maintenanceOperations().contains(verb)) {
                    throw new UsageException("unknown command '" + verb + "'; 'help' lists the commands");
                }
                run(args, verb, () -> session.maintenance(verb));
            }
        }
        return true;
    }

    /** The command words this store understands, for completion and help. */
    List<String> verbs() {
        List<String> verbs = new ArrayList<>(List.of("put", "get", "del", "scan", "stats", "sync", "inspect", "verify"));
        verbs.addAll(session.provider().maintenanceOperations());
        if (session.transactional()) {
            verbs.addAll(List.of("begin", "commit", "rollback"));
        }
        verbs.addAll(List.of("help", "quit"));
        return verbs;
    }

    private void help() {
        out.println("Keys and values are text, \"quoted text\" (for spaces or the empty \"\"), or hex bytes after 0x.");
        row("put KEY VALUE", "store VALUE under KEY");
        row("get KEY", "print the value under KEY");
        row("del KEY", "delete KEY");
        row("scan [FROM [TO]]", session.ordered() ? "print the entries with FROM <= key < TO, in key order"
                : "print every entry (this store keeps no key order, so no range)");
        row("stats", "the store's figures: keys, files, bytes on disk, garbage, its own counters");
        row("sync", "make every write so far durable");
        row("inspect", "the store's layout on disk");
        row("verify", "run the store's checker");
        for (String operation : session.provider().maintenanceOperations()) {
            row(operation, "the store's own '" + operation + "' operation");
        }
        if (session.transactional()) {
            row("begin / commit / rollback", "group writes into one transaction");
        }
        row("help", "this list");
        row("quit", "leave: the store is closed, which makes every write durable; an open transaction is"
                + " not committed (you are asked; a script's is rolled back)");
    }

    private void row(String command, String what) {
        Text.wrap(what, String.format("  %-26s ", command), " ".repeat(29)).forEach(out::println);
    }

    private String prompt() {
        return "kv:" + session.provider().name() + (session.inTransaction() ? " (transaction)" : "") + "> ";
    }

    private static void run(List<String> args, String usage, Runnable verb) {
        expect(args, 0, 0, usage);
        verb.run();
    }

    private static void expect(List<String> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new UsageException("usage: " + usage + (max >= 2 ? " (quote words with spaces: \"like this\")" : ""));
        }
    }

    private void printFailure(PrintWriter to, String prefix, RuntimeException e) {
        if (debug) {
            e.printStackTrace(to);
        }
        to.println(prefix + "error: " + Errors.describe(e).message());
        to.flush();
    }
}
