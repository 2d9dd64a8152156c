package dev.kvbook.api;

import dev.kvbook.api.inspect.StoreModel;

import java.nio.file.Path;

/**
 * A description of a store's insides, as {@link StoreProvider#inspect} gives it: for a person
 * (text), for a diagram (Mermaid source) and for a program (a structured {@link StoreModel}, which
 * the SVG renderer, {@code kv web} and {@code kv inspect --format json} use).
 *
 * @param store   the store's name, such as {@code "step1"}
 * @param path    the store that was inspected
 * @param text    the layout for a terminal: files, headers, records or pages with their offsets
 * @param mermaid the same as a Mermaid diagram (without the surrounding code fence), for the
 *                book and {@code kv inspect --format mermaid}
 * @param model   the same as data, paged by the {@link dev.kvbook.api.inspect.Window} asked for; null
 *                only from a provider that has none (a test's toy store)
 */
public record Inspection(String store, Path path, String text, String mermaid, StoreModel model) {

    /** An inspection without a structured model: for toy and test providers. */
    public Inspection(String store, Path path, String text, String mermaid) {
        this(store, path, text, mermaid, null);
    }
}
