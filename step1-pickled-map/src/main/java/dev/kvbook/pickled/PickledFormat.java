package dev.kvbook.pickled;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.zip.CRC32C;

/**
 * The step-1 file format: a fixed 24-byte header, then the whole map as one serialized
 * {@link Snapshot}. This Javadoc is the specification.
 *
 * <h2>Layout</h2>
 * <pre>
 * +-------+---------+-------+----------------+-------------+------------+---------------------+
 * | magic | version | flags | payload length | payload CRC | header CRC | payload             |
 * | KVP1  | u16 = 1 | u16=0 | u64            | u32 CRC32C  | u32 CRC32C | Java serialization  |
 * +-------+---------+-------+----------------+-------------+------------+ of one Snapshot     |
 * 0       4         6       8                16            20           24 ... 24 + length    |
 * </pre>
 *
 * <table>
 *   <caption>Header fields (all integers big-endian)</caption>
 *   <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 *   <tr><td>0</td><td>4</td><td>u32</td><td>magic {@code 0x4B565031}, the ASCII bytes {@code "KVP1"}</td></tr>
 *   <tr><td>4</td><td>2</td><td>u16</td><td>format version, {@link #VERSION_CURRENT} = 1</td></tr>
 *   <tr><td>6</td><td>2</td><td>u16</td><td>flags; none are defined in version 1, so 0</td></tr>
 *   <tr><td>8</td><td>8</td><td>u64</td><td>payload length in bytes: the file size minus 24</td></tr>
 *   <tr><td>16</td><td>4</td><td>u32</td><td>CRC32C of the payload bytes</td></tr>
 *   <tr><td>20</td><td>4</td><td>u32</td><td>CRC32C of header bytes 0..19</td></tr>
 *   <tr><td>24</td><td>length</td><td>bytes</td><td>payload: {@code ObjectOutputStream} output of
 *       one {@code dev.kvbook.pickled.Snapshot(byte[][] keys, byte[][] values)}</td></tr>
 * </table>
 *
 * <h2>Worked example</h2>
 * The golden file {@code src/test/resources/golden/golden-v1.pickle}: a store holding {@code "a" -> "1"}
 * and {@code "b" -> ""} (an empty value), 189 bytes. Strings in quotes stand for their ASCII
 * bytes. {@code PickledFormatTest} checks this listing against the golden file byte for byte.
 * Note how much of the payload is the class description rather than the data: the price of a
 * self-describing format, paid again on every rewrite.
 * <pre>
 * offset  bytes                                    meaning
 *      0  4b 56 50 31                              magic "KVP1"
 *      4  00 01                                    version 1
 *      6  00 00                                    flags: none
 *      8  00 00 00 00 00 00 00 a5                  payload length 165 = 189 - 24
 *     16  bb 8e cd bc                              CRC32C of the payload, bytes 24..188
 *     20  7a d8 2b 5d                              CRC32C of bytes 0..19
 *         -- payload: what ObjectOutputStream.writeObject(snapshot) wrote --
 *     24  ac ed 00 05                              stream magic 0xACED, stream version 5
 *     28  73 72                                    TC_OBJECT, TC_CLASSDESC: an object of a class described next
 *     30  00 1b "dev.kvbook.pickled.Snapshot"      class name: u16 length 27, then the name
 *     59  00 00 00 00 00 00 00 01                  serialVersionUID 1
 *     67  02 00 02                                 SC_SERIALIZABLE; 2 fields, sorted by name:
 *     70  5b 00 04 "keys" 74 00 03 "[[B"           array field keys, type TC_STRING [[B (handle 1)
 *     83  5b 00 06 "values" 71 00 7e 00 01         array field values, type TC_REFERENCE to handle 1
 *     97  78 70                                    TC_ENDBLOCKDATA, TC_NULL: no serializable superclass
 *     99  75 72 00 03 "[[B"                        field keys: TC_ARRAY of new class [[B (byte[][])
 *    106  4b fd 19 15 67 67 db 37                  its serialVersionUID, computed by Java
 *    114  02 00 00 78 70                           SC_SERIALIZABLE, 0 fields, TC_ENDBLOCKDATA, TC_NULL
 *    119  00 00 00 02                              keys.length = 2
 *    123  75 72 00 02 "[B"                         keys[0]: TC_ARRAY of new class [B (byte[])
 *    129  ac f3 17 f8 06 08 54 e0                  its serialVersionUID
 *    137  02 00 00 78 70                           SC_SERIALIZABLE, 0 fields, TC_ENDBLOCKDATA, TC_NULL
 *    142  00 00 00 01 "a"                          length 1, the key a
 *    147  75 71 00 7e 00 05 00 00 00 01 "b"        keys[1]: TC_ARRAY of class handle 5 ([B), length 1, b
 *    158  75 71 00 7e 00 03 00 00 00 02            field values: TC_ARRAY of class handle 3 ([[B), length 2
 *    168  75 71 00 7e 00 05 00 00 00 01 "1"        values[0]: a byte[] of length 1, the value 1
 *    179  75 71 00 7e 00 05 00 00 00 00            values[1]: a byte[] of length 0, the empty value
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>A file is exactly {@code 24 + payload length} bytes; there is no trailer and no slack.</li>
 *   <li>Every byte of the file is covered by a checksum: bytes 0..19 by the header CRC, the
 *       payload by the payload CRC, and the two CRC fields by the checks they fail. So any
 *       flipped byte is detected.</li>
 *   <li>A reader checks, in this order: size at least 24, magic, version, header CRC, flags,
 *       length against the real file size, payload CRC, then deserializes. Magic first because a
 *       file that is not ours should say so rather than "bad checksum"; version before the header
 *       CRC because a future version may lay its header out differently.</li>
 *   <li>The payload holds exactly one {@code Snapshot} and nothing after it; its keys are strictly
 *       ascending in unsigned byte order and within {@link dev.kvbook.api.Limits}.</li>
 *   <li>Nothing is allocated from a length field before that length is checked against the
 *       file's real size; inside the payload the {@link Snapshot#filter} does the same.</li>
 *   <li>The file is never modified in place: {@link PickledMapStore} writes a new one beside it
 *       and renames it over the old one.</li>
 * </ol>
 *
 * <p>Frozen: the magic, the version numbers, the field offsets, and the payload class name and
 * {@code serialVersionUID} (Java serialization writes both into the stream, so renaming the
 * class would make every existing file unreadable, just as renaming a class breaks old pickles).
 */
public final class PickledFormat {

    /** "KVP1" in ASCII: kvbook pickled, format family 1. */
    public static final int MAGIC = 0x4B565031;

    /** The first and current format version. */
    public static final int VERSION_CURRENT = 1;

    /** No flags are defined in version 1. */
    public static final int FLAGS_NONE = 0;

    /** Offset of the u32 magic. Each offset below is the previous one plus that field's size. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the u16 format version. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    /** Offset of the u16 flags. */
    public static final int FLAGS_OFFSET = VERSION_OFFSET + 2;
    /** Offset of the u64 payload length. */
    public static final int LENGTH_OFFSET = FLAGS_OFFSET + 2;
    /** Offset of the u32 CRC32C of the payload. */
    public static final int PAYLOAD_CRC_OFFSET = LENGTH_OFFSET + 8;
    /** Offset of the u32 CRC32C of the header bytes before it. */
    public static final int HEADER_CRC_OFFSET = PAYLOAD_CRC_OFFSET + 4;

    /** magic + version + flags + payload length + payload CRC + header CRC. */
    public static final int HEADER_SIZE = 4 + 2 + 2 + 8 + 4 + 4;

    /** Where the payload starts: right after the header. */
    public static final int PAYLOAD_OFFSET = HEADER_SIZE;

    /** The longest payload: it is read into one Java array, whose length is an {@code int}. */
    public static final int MAX_PAYLOAD_SIZE = Integer.MAX_VALUE - 64;

    private PickledFormat() {
    }

    /**
     * The header's fields as stored, before any of them is checked.
     *
     * @param magic         expected {@link #MAGIC}
     * @param version       expected {@link #VERSION_CURRENT}
     * @param flags         expected {@link #FLAGS_NONE}
     * @param payloadLength expected: the file size minus {@link #HEADER_SIZE}
     * @param payloadCrc    CRC32C of the payload
     * @param headerCrc     CRC32C of header bytes {@code [0, HEADER_CRC_OFFSET)}
     */
    public record Header(int magic, int version, int flags, long payloadLength, int payloadCrc, int headerCrc) {

        /** Reads the fields from the first {@link #HEADER_SIZE} bytes of {@code file}. O(1). */
        public static Header read(byte[] file) {
            if (file.length < HEADER_SIZE) {
                throw new IllegalArgumentException("need " + HEADER_SIZE + " bytes, got " + file.length);
            }
            ByteBuffer b = ByteBuffer.wrap(file); // big-endian by default
            return new Header(b.getInt(MAGIC_OFFSET), Short.toUnsignedInt(b.getShort(VERSION_OFFSET)),
                    Short.toUnsignedInt(b.getShort(FLAGS_OFFSET)), b.getLong(LENGTH_OFFSET),
                    b.getInt(PAYLOAD_CRC_OFFSET), b.getInt(HEADER_CRC_OFFSET));
        }
    }

    /** Encodes {@code map} (sorted by {@code Keys.COMPARATOR}) as a complete file. O(N + total bytes). */
    public static byte[] encode(NavigableMap<byte[], byte[]> map) {
        return frame(Snapshot.of(map).serialize());
    }

    /** Puts a header in front of {@code payload}; tests use it to wrap hand-made payloads. O(length). */
    static byte[] frame(byte[] payload) {
        // LAB:BEGIN step1.frame — Put the header in front of a payload: magic, version, flags, length, payload CRC32C, header CRC32C
        if (payload.length > MAX_PAYLOAD_SIZE) {
            throw new IllegalStateException("a step-1 payload holds at most " + MAX_PAYLOAD_SIZE
                    + " bytes; this map needs " + payload.length + " (use a store that does not rewrite everything)");
        }
        ByteBuffer file = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        file.putInt(MAGIC).putShort((short) VERSION_CURRENT).putShort((short) FLAGS_NONE)
                .putLong(payload.length).putInt(crc32c(payload, 0, payload.length));
        file.putInt(crc32c(file.array(), 0, HEADER_CRC_OFFSET));
        // Invariant: the header is exactly HEADER_SIZE bytes, so the payload starts at PAYLOAD_OFFSET.
        assert file.position() == PAYLOAD_OFFSET;
        file.put(payload);
        return file.array();
        // LAB:END
    }

    /**
     * Decodes a whole file into a sorted map (unsigned byte order). O(file size).
     *
     * @throws CorruptionException naming {@code file}, the offset, and expected vs actual, for
     *                             every kind of damage; never any other exception for bad bytes
     */
    public static NavigableMap<byte[], byte[]> decode(Path file, byte[] bytes) {
        List<CorruptionException> problems = integrityProblems(file, bytes);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        return Snapshot.deserialize(file, bytes, PAYLOAD_OFFSET, bytes.length - PAYLOAD_OFFSET).toMap();
    }

    /**
     * Every header and checksum problem of a whole file, in the order of invariant 3, without
     * deserializing anything; empty when the file is intact. O(file size) for the CRCs.
     * {@link #decode} throws the first; {@code verify} reports them all.
     */
    public static List<CorruptionException> integrityProblems(Path file, byte[] bytes) {
        // LAB:BEGIN step1.integrity — Check a whole file before trusting it: size, magic, version, header CRC, flags, length, payload CRC
        List<CorruptionException> problems = new ArrayList<>();
        if (bytes.length < HEADER_SIZE) {
            problems.add(new CorruptionException(file, 0, "file size", "at least the "
                    + HEADER_SIZE + "-byte header", bytes.length + " bytes"));
            return problems;
        }
        Header h = Header.read(bytes);
        check(problems, file, MAGIC_OFFSET, "magic", hex(MAGIC), hex(h.magic()), h.magic() == MAGIC);
        check(problems, file, VERSION_OFFSET, "format version", VERSION_CURRENT, h.version(),
                h.version() == VERSION_CURRENT);
        int headerCrc = crc32c(bytes, 0, HEADER_CRC_OFFSET);
        check(problems, file, HEADER_CRC_OFFSET, "header checksum (CRC32C of bytes 0.." + (HEADER_CRC_OFFSET - 1)
                + "; hardware problem?)", hex(headerCrc), hex(h.headerCrc()), headerCrc == h.headerCrc());
        check(problems, file, FLAGS_OFFSET, "flags", FLAGS_NONE, h.flags(), h.flags() == FLAGS_NONE);
        long actualLength = bytes.length - (long) HEADER_SIZE;
        boolean lengthOk = h.payloadLength() == actualLength;
        check(problems, file, LENGTH_OFFSET, "payload length (file size " + bytes.length + " minus the header)",
                actualLength, h.payloadLength(), lengthOk);
        int payloadCrc = crc32c(bytes, PAYLOAD_OFFSET, bytes.length - PAYLOAD_OFFSET);
        check(problems, file, PAYLOAD_OFFSET, "payload checksum (CRC32C of " + actualLength
                + " bytes; hardware problem?)", hex(payloadCrc), hex(h.payloadCrc()), payloadCrc == h.payloadCrc());
        return problems;
        // LAB:END
    }

    private static void check(List<CorruptionException> problems, Path file, long offset, String what,
                              Object expected, Object actual, boolean ok) {
        if (!ok) {
            problems.add(new CorruptionException(file, offset, what, expected, actual));
        }
    }

    /**
     * Reads the whole file at {@code path} through {@code vfs}, opened read-only (so it also
     * reads a store on read-only media). O(file size) bytes read.
     *
     * <p>The buffer is sized from the file's real size, never from a length field, and a file
     * larger than any step-1 file can be is refused before anything is allocated.
     *
     * @throws CorruptionException when the file is too large to be a step-1 file
     */
    public static byte[] readFile(Vfs vfs, Path path) {
        try (VfsFile file = vfs.openReadOnly(path)) {
            long size = file.size();
            if (size > HEADER_SIZE + (long) MAX_PAYLOAD_SIZE) {
                throw new CorruptionException(path, 0, "file size", "at most "
                        + (HEADER_SIZE + (long) MAX_PAYLOAD_SIZE) + " bytes", size + " bytes");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            file.readFully(0, bytes);
            return bytes.array();
        }
    }

    /** Returns whether {@code first4} (at least 4 bytes) starts with {@link #MAGIC}. O(1). */
    public static boolean hasMagic(byte[] first4) {
        return first4.length >= 4 && ByteBuffer.wrap(first4).getInt(MAGIC_OFFSET) == MAGIC;
    }

    /** CRC32C of {@code bytes[offset, offset + length)}, as a signed int. */
    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** An int as {@code 0x} and eight hex digits, the way the errors and {@code inspect} show them. */
    static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
