package dev.kvbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.InputStream;

/**
 * {@code kv}: the command a learner runs to meet the stores. Every subcommand works with every
 * registered store (found through {@link dev.kvbook.api.Stores}), so a step that lands later
 * shows up everywhere without a change here.
 *
 * <p>This object also carries what the subcommands need from the outside world beyond their
 * output writers: the standard input (the shell reads its script from it) and whether a person
 * is at a terminal (which decides between JLine and plain lines, progress bars and silence).
 */
@Command(name = "kv", mixinStandardHelpOptions = true, version = "kv (kvbook) 0.1.0",
        description = {"Run, read, break and measure the kvbook stores.", "",
                "Start with 'kv tour': the same workload on every store, with what to notice."},
        subcommands = {
                TourCommand.class,
                StoresCommand.class,
                ShellCommand.class,
                OneShotCommands.Put.class,
                OneShotCommands.Get.class,
                OneShotCommands.Del.class,
                OneShotCommands.Scan.class,
                OneShotCommands.Stats.class,
                InspectCommand.class,
                VerifyCommand.class,
                LoadCommand.class,
                CrashLabCommand.class,
                dev.kvbook.cli.lab.LabCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done; 1 the command found problems (verify, crash-lab, tour, lab check); "
                + "2 bad input or an unusable store; 3 a bug in kvbook."})
public final class KvCommand implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace as well as the one-line message.")
    boolean debug;

    @Spec
    private CommandSpec spec;

    private final InputStream stdin;
    private final boolean terminal;

    /** {@code kv} on the real standard input, with a terminal when the JVM has a console. */
    public KvCommand() {
        this(System.in, System.console() != null);
    }

    /**
     * {@code kv} reading {@code stdin}; {@code terminal} says whether a person is at a terminal
     * (interactive shell, progress bars) or not (scripts, pipes, tests).
     */
    public KvCommand(InputStream stdin, boolean terminal) {
        this.stdin = stdin;
        this.terminal = terminal;
    }

    /** The standard input: where the shell reads commands when there is no terminal. */
    InputStream stdin() {
        return stdin;
    }

    /** Whether a person is at a terminal. */
    boolean terminal() {
        return terminal;
    }

    /** Whether {@code --debug} was given. */
    boolean debug() {
        return debug;
    }

    /** With no subcommand: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
