package dev.kvbook.api.inspect;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing in a region: a record, a page, a frame, a keydir entry, a table (the kinds are listed
 * in the {@linkplain dev.kvbook.api.inspect package documentation}).
 *
 * @param id     names the item's place, stable while the place exists: {@code page:12}, {@code seg:3@1024}
 * @param kind   what it is: {@code record}, {@code leaf}, {@code frame}, ...
 * @param index  its position in its region's full list (a window shows only some)
 * @param label  a short caption for a picture, such as {@code "page 12 leaf"}
 * @param offset where it starts in its file, in bytes, or -1 for something that lives in memory
 * @param length how many bytes it takes in its file (0 for something in memory)
 * @param state  {@code live}, {@code dead}, {@code uncommitted}, {@code free}, {@code damaged}, or empty
 * @param keys   the keys it holds, printable ({@link dev.kvbook.api.Keys#toDisplay}); a table holds its
 *               smallest and largest; a page with many keys may list some and say so in {@code fields}
 * @param fields other facts, by name, in the order a person should read them (value size, sequence, checksum ...)
 */
public record Item(String id, String kind, long index, String label, long offset, long length, String state,
                   List<String> keys, Map<String, String> fields) {

    public Item {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        label = label == null ? "" : label;
        state = state == null ? "" : state;
        keys = List.copyOf(keys == null ? List.of() : keys);
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** The item's id for the keydir (or log index) slot of {@code key}: {@code key:} and its bytes in hex. */
    public static String keyId(byte[] key) {
        return "key:" + java.util.HexFormat.of().formatHex(key);
    }
}
