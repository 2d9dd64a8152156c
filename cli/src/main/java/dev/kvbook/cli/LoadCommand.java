package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code kv load --store S --path P --count N}: puts N keys ({@code key-000000000000},
 * {@code key-000000000001}, ...: 16 bytes each) with values of printable letters, with a progress
 * bar, then prints the rate and the store's figures. Loading again overwrites the same keys.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Bulk-load N keys with a progress bar, and print the rate.", "",
                "The keys are key-000000000000, key-000000000001, ... (16 bytes). The store is created when "
                        + "the path does not exist; loading again overwrites the same keys."})
final class LoadCommand implements Callable<Integer> {

    @Mixin
    private StoreOptions where;

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "N", description = "How many keys to put.")
    private long count;

    @Option(names = {"--value-size"}, paramLabel = "BYTES", defaultValue = "100",
            description = "The size of each value in bytes (default ${DEFAULT-VALUE}).")
    private int valueSize;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (count < 0) {
            throw new UsageException("--count must be 0 or more, not " + count);
        }
        if (valueSize < 0) {
            throw new UsageException("--value-size must be 0 or more, not " + valueSize);
        }
        StoreProvider provider = where.provider(kv.vfs(), false);
        PrintWriter out = spec.commandLine().getOut();
        long nanos;
        try (KeyValueStore store = provider.open(where.path, kv.vfs())) {
            long start = System.nanoTime();
            try (Progress.Bar bar = Progress.forTerminal(kv.terminal()).bar("load " + provider.name(), count)) {
                for (long i = 0; i < count; i++) {
                    store.put(TourKeys.digits(i), TourKeys.value(i, 0, valueSize));
                    bar.step();
                }
            }
            nanos = System.nanoTime() - start;
            long userBytes = count * (16L + valueSize);
            Text.print(out, "", "loaded " + Units.count(count, "key") + " (" + Units.bytes(userBytes)
                    + " of keys and values) into " + provider.name() + " at " + where.path + " in " + Units.duration(nanos)
                    + ": " + Units.rate(count, nanos).replace("/s", " puts/s"));
            Text.print(out, "", StatsText.summary(store.stats()) + " ('kv stats' for more)");
        }
        out.flush();
        return 0;
    }
}
