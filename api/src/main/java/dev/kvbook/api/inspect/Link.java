package dev.kvbook.api.inspect;

import java.util.Objects;

/**
 * An arrow from one item to another, by id: {@code child} (a branch page to a child, in order),
 * {@code next} (a leaf to its right sibling), {@code overflow} (to the next page of a long value),
 * {@code free-next}, {@code points-to} (a keydir or log-index entry to what it locates),
 * {@code frame-of} (a log frame to the page it is an image of). A link may name an item outside
 * the window; a drawing leaves such an arrow out or points it off the edge.
 */
public record Link(String from, String to, String kind) {
    public Link {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
    }
}
