package dev.kvbook.cli;

import dev.kvbook.api.vfs.Vfs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;


import java.io.InputStream;
import java.time.Clock;

/**
 * {@code kv}: the command a learner runs to meet the stores. Every subcommand works with every
 * registered store (found through {@link dev.kvbook.api.Stores}), so a step that lands later
 * shows up everywhere without a change here.
 *
 * <p>This object also carries what the subcommands need from the outside world beyond their
 * output writers: the standard input (the shell reads its script from it), whether a person
 * is at a terminal (which decides between JLine and plain lines, progress bars and silence), and
 * the file system the commands that work on one store reach it through (the real disk, or in a
 * test a {@link Vfs} that plays read-only media or a file nobody may read).
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
                MapCommand.class,
                InspectCommand.class,
                VerifyCommand.class,
                LoadCommand.class,
                CrashLabCommand.class,
                EnvelopeCommand.class,
                dev.kvbook.cli.web.WebCommand.class,
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
    private final Vfs vfs;
    private final Clock clock;

    /** {@code kv} on the real standard input, with a terminal when the JVM has a console. */
    public KvCommand() {
        this(System.in, System.console() != null);
    }

    /**
     * {@code kv} reading {@code stdin}; {@code terminal} says whether a person is at a terminal
     * (interactive shell, progress bars) or not (scripts, pipes, tests). On the real disk.
     */
    public KvCommand(InputStream stdin, boolean terminal) {
        this(stdin, terminal, Vfs.local());
    }

    /**
     * As {@link #KvCommand(InputStream, boolean)}, with the stores reached through {@code vfs}:
     * how a test runs {@code kv} on a file system it controls.
     */
    public KvCommand(InputStream stdin, boolean terminal, Vfs vfs) {
        this(stdin, terminal, vfs, Clock.systemUTC());
    }

    /**
     * As {@link #KvCommand(InputStream, boolean, Vfs)}, with {@code clock} as the time that
     * {@code kv map} judges expiry by: how a test shows an entry expiring without waiting for it.
     */
    public KvCommand(InputStream stdin, boolean terminal, Vfs vfs, Clock clock) {
        this.stdin = stdin;
        this.terminal = terminal;
        this.vfs = vfs;
        this.clock = clock;
    }

    /** The standard input: where the shell reads commands when there is no terminal. */
    InputStream stdin() {
        return stdin;
    }

    /** Whether a person is at a terminal. */
    boolean terminal() {
        return terminal;
    }

    /**
     * The file system that {@code put}, {@code get}, {@code del}, {@code scan}, {@code stats},
     * {@code shell}, {@code load}, {@code inspect} and {@code verify} reach their store through,
     * detection included. (The tour and the crash-lab make their own: counting, or simulated.)
     */
    Vfs vfs() {
        return vfs;
    }

    /**
     * The time {@code kv map} judges expiry by and {@code kv lab hint} stamps a reveal with: the
     * system clock, or a test's.
     */
    public Clock clock() {
        return clock;
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
