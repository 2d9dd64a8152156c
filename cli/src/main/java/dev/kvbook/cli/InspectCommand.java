package dev.kvbook.cli;

import dev.kvbook.api.Json;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.inspect.Lookup;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kv inspect P}: works out which store the file is (every provider is asked whether it
 * recognizes the magic number) and prints that store's description of its layout: as text, as a
 * Mermaid diagram, or as a JSON object holding both and the structured model
 * ({@link dev.kvbook.api.inspect.StoreModel}), paged by {@code --first} and {@code --limit}, with
 * the path of a {@code get} when {@code --lookup KEY} asks for one.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a store's layout on disk: headers, records or pages, with their offsets.", "",
                "The kind of store is detected from the file's magic number. Read access is enough "
                        + "(read-only media will do), and nothing is changed.", "",
                "--format json adds the structured model (regions, items, links) that pictures and kv web "
                        + "draw; --first and --limit page it, --lookup KEY traces a get."})
final class InspectCommand implements Callable<Integer> {

    /** How to print the inspection. */
    enum Format { text, mermaid, json }

    @Parameters(index = "0", paramLabel = "PATH", description = "The store's file (or directory).")
    private Path path;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), mermaid (a diagram for the book or mermaid.live), "
                    + "or json ({store, path, text, mermaid, model}: model is the structured model, "
                    + "version " + StoreModel.VERSION + ", or null for a store that has none).")
    private Format format;

    @Option(names = "--first", paramLabel = "N", defaultValue = "0",
            description = "The model shows each long region from its item N on (default 0; "
                    + "a window past the end moves back to stay full).")
    private long first;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Window.DEFAULT_LIMIT,
            description = "The model shows at most N items of each long region, 1 to " + Window.MAX_LIMIT
                    + " (default ${DEFAULT-VALUE}); totals say how many were left out.")
    private int limit;

    @Option(names = "--lookup", paramLabel = "KEY",
            description = "Trace get(KEY): the items the store reads to answer it (text or 0x hex, as for get).")
    private String lookup;

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "Inspect as this kind of store even if its magic number is not recognized (a damaged file).")
    private String store;

    @ParentCommand
    private KvCommand kv;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Window window = window();
        StoreLocator.requireExists(path, kv.vfs());
        StoreProvider provider = store == null ? StoreLocator.detect(path, kv.vfs()) : StoreLocator.byName(store);
        Inspection inspection = provider.inspect(path, kv.vfs(), window);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> {
                Text.printBlock(out, inspection.text());
                if (lookup != null) {
                    Text.printBlock(out, lookupText(inspection));
                }
            }
            case mermaid -> out.print(withNewline(inspection.mermaid()));
            case json -> out.println(json(inspection));
        }
        out.flush();
        return 0;
    }

    /**
     * The window the options ask for, checked here so a bad value is a usage error naming the
     * option, before any file is read.
     */
    private Window window() {
        if (first < 0) {
            throw new UsageException("--first must be 0 or more, not " + first);
        }
        if (limit < 1 || limit > Window.MAX_LIMIT) {
            throw new UsageException("--limit must be 1 to " + Window.MAX_LIMIT + ", not " + limit
                    + " (a model stays small enough to draw; page with --first)");
        }
        byte[] key = null;
        if (lookup != null) {
            key = ByteArgs.parse(lookup);
            if (key.length > Limits.MAX_KEY_SIZE) {
                throw new UsageException("--lookup: the key is " + key.length + " bytes; a key is at most "
                        + Limits.MAX_KEY_SIZE + " bytes");
            }
        }
        return new Window(first, limit, key);
    }

    /** One line about the traced get, or why there is none. */
    private static String lookupText(Inspection inspection) {
        if (inspection.model() == null || inspection.model().lookup() == null) {
            return inspection.store() + " has no structured model yet, so no get can be traced\n";
        }
        Lookup l = inspection.model().lookup();
        return "get " + l.key() + ": " + (l.found() ? "found" : "not found")
                + (l.touched().isEmpty() ? "" : ", path " + path(l.touched()))
                + "\n  " + l.note() + "\n";
    }

    /** The ids of a path joined by arrows; a long one (step 2's scan) cut to its ends. */
    private static String path(List<String> ids) {
        if (ids.size() <= 6) {
            return String.join(" -> ", ids);
        }
        return String.join(" -> ", ids.subList(0, 2)) + " -> ... (" + (ids.size() - 4) + " more) -> "
                + String.join(" -> ", ids.subList(ids.size() - 2, ids.size()));
    }

    /**
     * {@code {"store", "path", "text", "mermaid", "model"}} as indented JSON: {@code model} is
     * {@link StoreModel#toMap()}, or null for a store without a structured model.
     */
    static String json(Inspection inspection) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("store", inspection.store());
        json.put("path", String.valueOf(inspection.path()));
        json.put("text", inspection.text());
        json.put("mermaid", inspection.mermaid());
        json.put("model", inspection.model() == null ? null : inspection.model().toMap());
        return Json.write(json);
    }

    private static String withNewline(String text) {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
