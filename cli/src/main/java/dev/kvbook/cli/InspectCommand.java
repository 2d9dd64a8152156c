package dev.kvbook.cli;

import dev.kvbook.api.Json;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.StoreProvider;
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
 * {@code kv inspect P}: works out which store the file is (every provider is asked whether it
 * recognizes the magic number) and prints that store's description of its layout: as text, as a
 * Mermaid diagram, or as a JSON object holding both.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a store's layout on disk: headers, records or pages, with their offsets.", "",
                "The kind of store is detected from the file's magic number. Read access is enough "
                        + "(read-only media will do), and nothing is changed."})
final class InspectCommand implements Callable<Integer> {

    /** How to print the inspection. */
    enum Format { text, mermaid, json }

    @Parameters(index = "0", paramLabel = "PATH", description = "The store's file (or directory).")
    private Path path;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), mermaid (a diagram for the book or mermaid.live), "
                    + "or json ({store, path, text, mermaid}).")
    private Format format;

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "Inspect as this kind of store even if its magic number is not recognized (a damaged file).")
    private String store;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        StoreLocator.requireExists(path, kv.vfs());
        StoreProvider provider = store == null ? StoreLocator.detect(path, kv.vfs()) : StoreLocator.byName(store);
        Inspection inspection = provider.inspect(path, kv.vfs());
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> Text.printBlock(out, inspection.text());
            case mermaid -> out.print(withNewline(inspection.mermaid()));
            case json -> out.println(json(inspection));
        }
        out.flush();
        return 0;
    }

    /** {@code {"store": ..., "path": ..., "text": ..., "mermaid": ...}}, its strings escaped by {@link Json#string}. */
    static String json(Inspection inspection) {
        return "{\"store\": " + Json.string(inspection.store())
                + ", \"path\": " + Json.string(String.valueOf(inspection.path()))
                + ", \"text\": " + Json.string(inspection.text())
                + ", \"mermaid\": " + Json.string(inspection.mermaid()) + "}";
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
