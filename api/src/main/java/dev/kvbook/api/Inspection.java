package dev.kvbook.api;

import java.nio.file.Path;

/**
 * A description of a store's insides, as {@link StoreProvider#inspect} gives it.
 *
 * @param store   the store's name, such as {@code "step1"}
 * @param path    the store that was inspected
 * @param text    the layout for a terminal: files, headers, records or pages with their offsets
 * @param mermaid the same as a Mermaid diagram (without the surrounding code fence), for the
 *                book, the notebooks and {@code kv inspect --format mermaid}
 */
public record Inspection(String store, Path path, String text, String mermaid) {
}
