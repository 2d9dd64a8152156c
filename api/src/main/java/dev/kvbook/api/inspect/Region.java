package dev.kvbook.api.inspect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A row of a picture: a file, a segment, a tree level, the keydir, a level of tables (the kinds
 * are listed in the {@linkplain dev.kvbook.api.inspect package documentation}).
 *
 * @param id    unique in the model: {@code file}, {@code seg:3}, {@code level:2}, {@code keydir}, {@code L0}
 * @param kind  what it is: {@code file}, {@code segment}, {@code tree-level}, ...
 * @param label a caption, such as {@code "segment 3 (active)"}
 * @param facts what a person should know about it, by name (file name, bytes, live and dead counts)
 * @param total how many items the region holds in full; {@code items} may show fewer
 * @param items the items in the window, in the region's order, each with its index in the full list
 */
public record Region(String id, String kind, String label, Map<String, String> facts, long total, List<Item> items) {

    public Region {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        label = label == null ? "" : label;
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        items = List.copyOf(items);
        if (total < items.size()) {
            throw new IllegalArgumentException("region " + id + " shows " + items.size() + " items of " + total);
        }
    }

    /** How many of the region's items the window left out. */
    public long elided() {
        return total - items.size();
    }
}
