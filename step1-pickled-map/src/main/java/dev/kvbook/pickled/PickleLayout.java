package dev.kvbook.pickled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each key and value sits inside a step-1 payload: the byte spans of the elements of the
 * snapshot's two arrays, found by walking the Java serialization stream. Only the inspector uses
 * it, to give each entry an offset in the file ({@link PickleInspector}); the store itself never
 * needs to know, since it reads the whole payload back with {@code ObjectInputStream}.
 *
 * <p>The walk understands exactly the grammar {@code ObjectOutputStream} writes for a
 * {@link Snapshot} (the worked example in {@link PickledFormat} shows every byte): the stream
 * magic, {@code TC_OBJECT} with the {@code Snapshot} class description, then one array per field
 * in the order the description lists them ({@code keys}, {@code values}), each array a
 * {@code TC_ARRAY} of {@code TC_ARRAY} elements, or {@code TC_REFERENCE}s to an array already
 * written (when two entries share one byte array). Anything else gives {@code null}: the
 * inspector then reports it as a problem rather than guessing. Runs after
 * {@link Snapshot#deserialize} accepted the payload, so the shape is already known to be sane;
 * every read is still bounds-checked. O(payload size).
 */
final class PickleLayout {

    private static final int TC_NULL = 0x70;
    private static final int TC_REFERENCE = 0x71;
    private static final int TC_CLASSDESC = 0x72;
    private static final int TC_OBJECT = 0x73;
    private static final int TC_STRING = 0x74;
    private static final int TC_ARRAY = 0x75;
    private static final int TC_ENDBLOCKDATA = 0x78;
    private static final int BASE_HANDLE = 0x7E0000;

    /**
     * One array element's bytes in the file.
     *
     * @param offset where its tag starts, from the start of the file
     * @param length how many bytes the element takes there (5 for a reference)
     * @param data   where the array's own bytes start (for a reference: those of the array it names)
     * @param shared whether the element is a reference to an array written earlier
     */
    record Span(long offset, long length, long data, boolean shared) {
    }

    /** The spans of entry {@code i}'s key and value, for every entry in order. */
    record Layout(List<Span> keys, List<Span> values) {
    }

    private final byte[] bytes;
    private int at;
    private int nextHandle = BASE_HANDLE;
    /** Where each array written so far starts its data, by wire handle, so a reference can say where its bytes are. */
    private final Map<Integer, Long> arrayData = new HashMap<>();

    private PickleLayout(byte[] bytes, int start) {
        this.bytes = bytes;
        this.at = start;
    }

    /**
     * The layout of the payload starting at {@code payloadOffset} of {@code file}, or {@code null}
     * when the stream is not in the shape described above.
     */
    static Layout locate(byte[] file, int payloadOffset) {
        try {
            return new PickleLayout(file, payloadOffset).walk();
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return null;
        }
    }

    private Layout walk() {
        if (u16() != 0xACED || u16() != 5 || u8() != TC_OBJECT) {
            return null;
        }
        List<String> fields = classDesc();
        nextHandle++; // the Snapshot object itself takes a handle after its class description
        List<Span> keys = null;
        List<Span> values = null;
        for (String field : fields) {
            List<Span> elements = arrayOfArrays();
            if (field.equals("keys")) {
                keys = elements;
            } else if (field.equals("values")) {
                values = elements;
            }
        }
        if (keys == null || values == null || keys.size() != values.size() || at != bytes.length) {
            return null;
        }
        return new Layout(keys, values);
    }

    /** A class description (new, a reference, or null); returns the field names of a new one. */
    private List<String> classDesc() {
        int tag = u8();
        if (tag == TC_NULL) {
            return List.of();
        }
        if (tag == TC_REFERENCE) {
            at += 4;
            return List.of();
        }
        if (tag != TC_CLASSDESC) {
            throw new IllegalStateException("class description expected");
        }
        int nameLength = u16();
        at += nameLength; // class name (Java evaluates `at` before u16() in `at += u16()`, hence two lines)
        at += 8 + 1; // serialVersionUID, flags
        nextHandle++;
        int count = u16();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int type = u8();
            int length = u16();
            names.add(new String(bytes, at, length, java.nio.charset.StandardCharsets.UTF_8));
            at += length;
            if (type == '[' || type == 'L') {
                typeName();
            }
        }
        if (u8() != TC_ENDBLOCKDATA) {
            throw new IllegalStateException("class annotations are not expected");
        }
        classDesc(); // the superclass: TC_NULL for Snapshot and arrays
        return names;
    }

    private void typeName() {
        int tag = u8();
        if (tag == TC_STRING) {
            int length = u16();
            at += length;
            nextHandle++;
        } else if (tag == TC_REFERENCE) {
            at += 4;
        } else {
            throw new IllegalStateException("a field type name expected");
        }
    }

    /** A {@code byte[][]}: its header, then each element's span. */
    private List<Span> arrayOfArrays() {
        if (u8() != TC_ARRAY) {
            throw new IllegalStateException("an array expected");
        }
        classDesc();
        nextHandle++;
        int count = u32();
        if (count < 0 || count > bytes.length - at) {
            throw new IllegalStateException("impossible array length");
        }
        List<Span> spans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = at;
            int tag = u8();
            if (tag == TC_REFERENCE) {
                Long data = arrayData.get(u32());
                if (data == null) {
                    throw new IllegalStateException("a reference to no array");
                }
                spans.add(new Span(start, at - start, data, true));
            } else if (tag == TC_ARRAY) {
                classDesc();
                int handle = nextHandle++;
                int length = u32();
                if (length < 0 || length > bytes.length - at) {
                    throw new IllegalStateException("impossible array length");
                }
                arrayData.put(handle, (long) at);
                at += length;
                spans.add(new Span(start, at - start, at - length, false));
            } else {
                throw new IllegalStateException("a byte array expected");
            }
        }
        return spans;
    }

    private int u8() {
        if (at >= bytes.length) {
            throw new IndexOutOfBoundsException(at);
        }
        return bytes[at++] & 0xff;
    }

    private int u16() {
        return (u8() << 8) | u8();
    }

    private int u32() {
        return (u16() << 16) | u16();
    }
}
