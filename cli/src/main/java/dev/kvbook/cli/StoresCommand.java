package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code kv stores}: the registered stores, each with its one-line description. */
@Command(name = "stores", mixinStandardHelpOptions = true,
        description = "List the registered stores with their one-line descriptions.")
final class StoresCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (StoreProvider provider : StoreLocator.providers()) {
            Text.wrap(provider.name() + "  " + provider.description(), "", "       ").forEach(out::println);
            if (!provider.maintenanceOperations().isEmpty()) {
                out.println("       its own operations: " + String.join(", ", provider.maintenanceOperations()));
            }
        }
        out.flush();
        return 0;
    }
}
