package dev.kvbook.api.inspect;

import java.util.List;

/**
 * The path of one {@code get}: the items the store reads, in the order it reads them, to answer
 * for {@code key} — the pages from the root to a leaf, the keydir slot and then the record, the
 * memtable and the tables whose filters let the search in.
 *
 * @param key     the key, printable
 * @param found   whether the get finds a value
 * @param touched the ids of the items read, in order (all of them are in the model, window or not)
 * @param note    one line for a person: why the path is what it is ("a filter ruled out 2 tables")
 */
public record Lookup(String key, boolean found, List<String> touched, String note) {
    public Lookup {
        touched = List.copyOf(touched);
        note = note == null ? "" : note;
    }
}
