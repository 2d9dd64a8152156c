package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code kv shell --store S --path P}: opens one store and runs commands on it, typed at a
 * terminal or read from standard input (see {@link Shell}).
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Open a store and type commands at it.", "",
                "put, get, del, scan, stats, sync, inspect, verify, the store's own operations (compact, "
                        + "merge, checkpoint...) and begin/commit/rollback where it has transactions; 'help' "
                        + "lists them. Without a terminal, reads the commands from standard input. The store "
                        + "is created when the path does not exist yet."})
final class ShellCommand implements Callable<Integer> {

    @Mixin
    private StoreOptions where;

    @Mixin
    private UncleanReadOnlyOption unclean;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        StoreProvider provider = where.provider(kv.vfs(), false);
        if (!kv.terminal()) {
            PrintWriter out = spec.commandLine().getOut();
            try (Session session = Session.open(provider, where.path, kv.vfs(), unclean.enabled, out)) {
                BufferedReader script = new BufferedReader(new InputStreamReader(kv.stdin(), StandardCharsets.UTF_8));
                return new Shell(session, out, kv.debug()).runScript(script, spec.commandLine().getErr());
            } finally {
                out.flush();
            }
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build();
             Session session = Session.open(provider, where.path, kv.vfs(), unclean.enabled, terminal.writer())) {
            return new Shell(session, terminal.writer(), kv.debug()).runInteractive(terminal);
        }
    }
}
