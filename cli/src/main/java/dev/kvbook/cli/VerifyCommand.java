package dev.kvbook.cli;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code kv verify P}: runs the store's own checker and prints what it checked and every problem
 * it found. Exit code 0 when the store is clean, 1 when there are problems, so scripts can rely
 * on it.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a store with its own checker: exit code 0 when clean, 1 with the problems.", "",
                "Every checksum, length and structural rule the store's checker knows. The kind of store "
                        + "is detected from the file's magic number. The store must not be open for writing "
                        + "elsewhere; read access is enough (read-only media will do), and nothing is changed."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "The store's file (or directory).")
    private Path path;

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "Check as this kind of store even if its magic number is not recognized (a damaged header).")
    private String store;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        StoreLocator.requireExists(path, kv.vfs());
        StoreProvider provider = store == null ? StoreLocator.detect(path, kv.vfs()) : StoreLocator.byName(store);
        PrintWriter out = spec.commandLine().getOut();
        try {
            VerifyReport report = provider.verify(path, kv.vfs());
            Text.printBlock(out, report.toString());
            out.flush();
            return report.isClean() ? 0 : Errors.FINDINGS;
        } catch (CorruptionException e) {
            // A checker should list damage rather than throw it; if it throws, the damage is still a finding.
            Text.print(out, "", provider.name() + " " + path + ": the checker stopped at damage");
            Text.print(out, "  ", "PROBLEM: " + Errors.oneLine(e.getMessage()));
            out.flush();
            return Errors.FINDINGS;
        }
    }
}
