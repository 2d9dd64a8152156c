package dev.kvbook.pickled;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The pickled object itself: the whole map as two parallel arrays, sorted by key, written with
 * Java object serialization (Java's analogue of Python's {@code pickle}). It is the payload of a
 * step-1 file; {@link PickledFormat} frames it with a header and checksums.
 *
 * <h2>Why a record</h2>
 * Ordinary classes are rebuilt by {@link ObjectInputStream} without running any constructor: the
 * fields are poked in from the stream, so a damaged or crafted stream can produce an object that
 * no constructor would ever have allowed. A record is different: its fields are read from the
 * stream first and then passed to the <em>canonical constructor</em>, so the checks below run on
 * every deserialized snapshot. A snapshot with unsorted keys, mismatched arrays or an oversized
 * value simply cannot come into existence.
 *
 * <h2>Why a filter</h2>
 * A stream names the classes it wants instantiated. {@link #deserialize} installs an
 * {@link ObjectInputFilter} that admits exactly three classes ({@code Snapshot}, {@code byte[][]},
 * {@code byte[]}) and bounds the depth of the object graph, the number of objects and every
 * array length, so a hostile file can neither run code from some other class on the class path
 * nor make the reader allocate gigabytes or recurse until the stack overflows.
 *
 * <p>Invariant (relied on by {@link PickledMapStore}): the arrays are never modified after
 * construction, so the store may keep them as its own and share them with iterator snapshots.
 *
 * @param keys   every key, strictly ascending in unsigned byte order
 * @param values {@code values[i]} is the value of {@code keys[i]}
 */
record Snapshot(byte[][] keys, byte[][] values) implements Serializable {

    /** Written into every stream; frozen, because it is part of the file format. */
    @Serial
    private static final long serialVersionUID = 1L;

    /** Legitimate nesting is Snapshot (1) → byte[][] (2) → byte[] (3); anything deeper is hostile. */
    static final int MAX_DEPTH = 3;

    /** How many problems a validation failure lists before it stops counting. */
    private static final int MAX_PROBLEMS_REPORTED = 10;

    /**
     * The canonical constructor, run both when the store builds a snapshot and when one is
     * deserialized. Checks every rule; O(total key bytes).
     *
     * @throws IllegalArgumentException listing up to ten broken rules
     */
    Snapshot {
        List<String> problems = problems(keys, values);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid snapshot: " + String.join("; ", problems));
        }
    }

    /** Every broken rule, up to {@link #MAX_PROBLEMS_REPORTED}; empty when the arrays are valid. */
    private static List<String> problems(byte[][] keys, byte[][] values) {
        List<String> problems = new ArrayList<>();
        if (keys == null || values == null) {
            problems.add((keys == null ? "keys" : "values") + " array is missing");
            return problems;
        }
        if (keys.length != values.length) {
            problems.add(keys.length + " keys but " + values.length + " values");
            return problems;
        }
        for (int i = 0; i < keys.length && problems.size() < MAX_PROBLEMS_REPORTED; i++) {
            String problem = entryProblem(keys, values, i);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** The first rule entry {@code i} breaks, or {@code null}. */
    private static String entryProblem(byte[][] keys, byte[][] values, int i) {
        if (keys[i] == null || values[i] == null) {
            return "entry " + i + " has a null " + (keys[i] == null ? "key" : "value");
        }
        if (keys[i].length > Limits.MAX_KEY_SIZE) {
            return "key " + i + " is " + keys[i].length + " bytes; the limit is " + Limits.MAX_KEY_SIZE;
        }
        if (values[i].length > Limits.MAX_VALUE_SIZE) {
            return "value " + i + " is " + values[i].length + " bytes; the limit is " + Limits.MAX_VALUE_SIZE;
        }
        if (i > 0 && keys[i - 1] != null && Keys.COMPARATOR.compare(keys[i - 1], keys[i]) >= 0) {
            return "key " + i + " " + Keys.toDisplay(keys[i]) + " is not after key " + (i - 1) + " "
                    + Keys.toDisplay(keys[i - 1]) + " (keys must be strictly ascending, unsigned)";
        }
        return null;
    }

    /** Builds the snapshot of a sorted map, sharing its arrays (they are never modified). O(N). */
    static Snapshot of(NavigableMap<byte[], byte[]> map) {
        byte[][] keys = new byte[map.size()][];
        byte[][] values = new byte[map.size()][];
        int i = 0;
        for (Map.Entry<byte[], byte[]> entry : map.entrySet()) {
            keys[i] = entry.getKey();
            values[i] = entry.getValue();
            i++;
        }
        return new Snapshot(keys, values);
    }

    /**
     * Builds the snapshot of the entries of {@code map} with keys in {@code [from, to)}
     * ({@code null} = unbounded), sharing their arrays. O(range). A range whose start is not
     * before its end is empty.
     */
    static Snapshot of(NavigableMap<byte[], byte[]> map, byte[] from, byte[] to) {
        if (from != null && to != null && Keys.COMPARATOR.compare(from, to) >= 0) {
            return of(Collections.emptyNavigableMap());
        }
        if (from == null) {
            return of(to == null ? map : map.headMap(to, false));
        }
        return of(to == null ? map.tailMap(from, true) : map.subMap(from, true, to, false));
    }

    /** The number of entries. */
    int size() {
        return keys.length;
    }

    /**
     * Iterates over the entries in key order, handing out copies of the arrays (the snapshot
     * keeps its own). Holds no resources. O(1) to start, O(entry size) per entry.
     */
    CloseableIterator<Entry> entries() {
        return CloseableIterator.of(IntStream.range(0, keys.length)
                .mapToObj(i -> new Entry(keys[i].clone(), values[i].clone())).iterator());
    }

    /** The entries as a sorted map (unsigned byte order) sharing this snapshot's arrays. O(N log N). */
    NavigableMap<byte[], byte[]> toMap() {
        NavigableMap<byte[], byte[]> map = new TreeMap<>(Keys.COMPARATOR);
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        return map;
    }

    /** Serializes this snapshot: the pickle. O(total bytes). */
    byte[] serialize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            // Writing to memory cannot fail; if it ever does, it is an environment problem.
            throw new UncheckedIOException("cannot serialize a snapshot of " + size() + " entries", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes the snapshot in {@code bytes[offset, offset + length)} behind the allow-list
     * filter. O(length).
     *
     * <p>Whatever goes wrong, from a class the filter refuses to a stream cut short or keys out of
     * order, is damage and comes back as {@link CorruptionException} naming {@code file} and
     * {@code offset}. {@code RuntimeException} is caught on purpose: a hostile stream can make
     * {@code ObjectInputStream} throw almost anything ({@code ClassCastException},
     * {@code NegativeArraySizeException}, ...), and the contract is that bad bytes never surface
     * as any other type. Errors are not caught; the filter's bounds keep the stream from causing one.
     */
    static Snapshot deserialize(Path file, byte[] bytes, int offset, int length) {
        // LAB:BEGIN step1.deserialize — Deserialize the snapshot behind the allow-list filter; every kind of bad byte becomes a CorruptionException
        ByteArrayInputStream source = new ByteArrayInputStream(bytes, offset, length);
        try (ObjectInputStream in = new ObjectInputStream(source)) {
            in.setObjectInputFilter(filter(length));
            Object object = in.readObject();
            if (!(object instanceof Snapshot snapshot)) {
                throw new CorruptionException(file, offset, "payload object", "a Snapshot",
                        object == null ? "null" : object.getClass().getName());
            }
            // Ask the byte source, not `in`: back in block-data mode, `in.read()` reports -1 at
            // any byte that does not start a data block, so it would miss trailing objects.
            if (source.available() > 0) {
                throw new CorruptionException(file, offset, "payload",
                        "nothing after the snapshot", "more bytes after it");
            }
            return snapshot;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof CorruptionException corruption) {
                throw corruption;
            }
            throw new CorruptionException(file, offset, "payload is not a valid serialized snapshot ("
                    + length + " bytes): " + e, e);
        }
        // LAB:END
    }

    /**
     * The allow-list filter for a payload of {@code streamLength} bytes.
     *
     * <p>Bounds first, then classes. A declared array length is believed only if the stream could
     * hold it (every element takes at least one byte), and never beyond the value limit; the same
     * goes for the number of objects. So the largest allocation a damaged stream can cause is a
     * small multiple of the payload's real size.
     */
    static ObjectInputFilter filter(int streamLength) {
        long maxArrayLength = Math.min(streamLength, Limits.MAX_VALUE_SIZE);
        return info -> {
            if (info.depth() > MAX_DEPTH || info.references() > streamLength
                    || info.arrayLength() > maxArrayLength || info.streamBytes() > streamLength) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED; // a bounds-only check, passed above
            }
            boolean allowed = c == Snapshot.class || c == byte[][].class || c == byte[].class;
            return allowed ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        };
    }
}
