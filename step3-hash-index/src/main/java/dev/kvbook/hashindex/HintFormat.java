package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Limits;
import dev.kvbook.applog.LogFormat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The hint file format: for one sealed segment, one entry per record (key, offset, size, type)
 * and no values, so that open can rebuild the segment's part of the {@link Keydir} by reading a
 * file a fraction of the segment's size. This Javadoc is the specification; {@link HintFile}
 * writes and reads it, and {@code HintFormatTest} pins it against a golden file and the worked
 * example below.
 *
 * <h2>Grammar</h2>
 * <pre>
 * hint-file := header entry*
 * header    := magic:u32 version:u32 segmentId:u32 dataSize:u64 entryCount:u32 headerCrc:u32
 *                                                        HEADER_SIZE = 4 + 4 + 4 + 8 + 4 + 4 = 28
 * entry     := crc:u32 type:u8 keyLength:u16 recordSize:u32 offset:u64 key:byte[keyLength]
 *                                                        ENTRY_HEADER_SIZE = 4 + 1 + 2 + 4 + 8 = 19
 * </pre>
 * Integers are big-endian and unsigned.
 *
 * <h2>Picture</h2>
 * <pre>
 *  +-------+---------+-----------+----------+------------+-----------+---------+---------+- -
 *  | magic | version | segmentId | dataSize | entryCount | headerCrc | entry 1 | entry 2 |  ...
 *  +-------+---------+-----------+----------+------------+-----------+---------+---------+- -
 *  0       4         8           12         20           24          28
 *          |&lt;-- headerCrc covers bytes 0..23 ---------------------&gt;|
 *
 *  one entry:
 *  +--------+------+-----------+------------+--------+-----------------+
 *  | crc32c | type | keyLength | recordSize | offset | key             |
 *  +--------+------+-----------+------------+--------+-----------------+
 *  0        4      5           7            11       19        19 + keyLength
 *           |&lt;-- covered by the entry's crc32c ----------------------&gt;|
 * </pre>
 *
 * <table>
 * <caption>Header (28 bytes, at offset 0)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>u32</td><td>magic {@code 0x4B564849}, ASCII "KVHI" ({@link #MAGIC})</td></tr>
 * <tr><td>4</td><td>4</td><td>u32</td><td>format version, 1 ({@link #VERSION_CURRENT})</td></tr>
 * <tr><td>8</td><td>4</td><td>u32</td><td>the number of the segment this file describes</td></tr>
 * <tr><td>12</td><td>8</td><td>u64</td><td>that segment's size in bytes when the hint was written</td></tr>
 * <tr><td>20</td><td>4</td><td>u32</td><td>how many entries follow</td></tr>
 * <tr><td>24</td><td>4</td><td>u32</td><td>CRC32C of bytes 0 to 23</td></tr>
 * </table>
 * <table>
 * <caption>Entry (19 bytes + key)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>u32</td><td>CRC32C of every byte of the entry after this field</td></tr>
 * <tr><td>4</td><td>1</td><td>u8</td><td>the record's type, as in {@link LogFormat}: 1 PUT, 2 TOMBSTONE</td></tr>
 * <tr><td>5</td><td>2</td><td>u16</td><td>key length, 0 to 1024</td></tr>
 * <tr><td>7</td><td>4</td><td>u32</td><td>the record's size in the segment, header included</td></tr>
 * <tr><td>11</td><td>8</td><td>u64</td><td>where the record starts in the segment</td></tr>
 * <tr><td>19</td><td>keyLength</td><td>bytes</td><td>the key</td></tr>
 * </table>
 *
 * <h2>Worked example</h2>
 * The hint of segment 1 holding step 2's example ({@code put("cat","meow")},
 * {@code put("dog","woof")}, {@code delete("cat")}: 58 bytes) is 94 bytes (28 + 22 + 22 + 22),
 * the golden file {@code golden/000001.hint}:
 * <pre>
 * 0000  4B 56 48 49 00 00 00 01 00 00 00 01 00 00 00 00
 * 0010  00 00 00 3A 00 00 00 03 25 3E 89 8D B1 09 79 B4
 * 0020  01 00 03 00 00 00 12 00 00 00 00 00 00 00 08 63
 * 0030  61 74 64 2F 29 70 01 00 03 00 00 00 12 00 00 00
 * 0040  00 00 00 00 1A 64 6F 67 5E 39 05 13 02 00 03 00
 * 0050  00 00 0E 00 00 00 00 00 00 00 2C 63 61 74
 * </pre>
 * Read it as:
 * <pre>
 * offset  0  4B 56 48 49 "KVHI"   00 00 00 01 version 1   00 00 00 01 segment 1
 *            00 00 00 00 00 00 00 3A  segment size 58   00 00 00 03  3 entries
 *            25 3E 89 8D  header crc32c                                   header 28
 * offset 28  B1 09 79 B4 crc  01 PUT  00 03 key length 3  00 00 00 12 record size 18
 *            00 00 00 00 00 00 00 08 at offset 8   63 61 74 "cat"         entry 19 + 3 = 22
 * offset 50  64 2F 29 70 crc  01 PUT  00 03  00 00 00 12  ... 1A at offset 26  "dog"
 * offset 72  5E 39 05 13 crc  02 TOMBSTONE  00 03  00 00 00 0E size 14  ... 2C at offset 44  "cat"
 * </pre>
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li>The file begins with {@link #MAGIC} and {@link #VERSION_CURRENT}, and its header CRC
 *     matches. Every entry's CRC matches its bytes.</li>
 * <li>There is exactly one entry per record of the segment, in offset order: the first entry is
 *     at offset {@link LogFormat#FILE_HEADER_SIZE}, each next one where the previous record ends,
 *     and the last record ends at {@code dataSize}. So replaying the entries gives the keydir
 *     that scanning the segment would give, tombstones included.</li>
 * <li>The file holds exactly {@code entryCount} entries and nothing after them.</li>
 * <li>A hint file is written whole (temporary name, fsync, rename, directory fsync) and never
 *     changed. Any failed check makes the whole file untrusted: open then scans the segment
 *     instead. A hint can cost time when damaged, never data.</li>
 * </ol>
 */
final class HintFormat {

    /** The magic number of a hint file: ASCII "KVHI" (kvbook hint). */
    static final int MAGIC = 0x4B564849;

    /** The first and current version. A new version gets a new constant; old ones stay. */
    static final int VERSION_1 = 1;

    /** The version this code writes, and the only one it reads. */
    static final int VERSION_CURRENT = VERSION_1;

    /** Header: magic + version + segmentId + dataSize + entryCount + headerCrc. */
    static final int HEADER_SIZE = 4 + 4 + 4 + 8 + 4 + 4;

    /** Entry header: crc + type + keyLength + recordSize + offset. */
    static final int ENTRY_HEADER_SIZE = 4 + 1 + 2 + 4 + 8;

    // Header fields, at the offsets of the table above.
    private static final int MAGIC_AT = 0;
    private static final int VERSION_AT = 4;
    private static final int SEGMENT_ID_AT = 8;
    /** Where the header's segment size lies (named in {@link SizeMismatch}). */
    private static final int DATA_SIZE_AT = 12;
    private static final int ENTRY_COUNT_AT = 20;
    private static final int HEADER_CRC_AT = 24;

    // Entry fields, from the entry's first byte.
    private static final int ENTRY_CRC_AT = 0;
    private static final int ENTRY_TYPE_AT = 4;
    private static final int ENTRY_KEY_LENGTH_AT = 5;
    private static final int ENTRY_RECORD_SIZE_AT = 7;
    private static final int ENTRY_OFFSET_AT = 11;

    static {
        // Invariant: the fields tile as the tables say: the header CRC last, the entry CRC first, the offset last.
        assert HEADER_CRC_AT == HEADER_SIZE - 4 && ENTRY_CRC_AT == 0 && ENTRY_OFFSET_AT + 8 == ENTRY_HEADER_SIZE;
    }

    /**
     * One entry: where one record of the segment is, and what it is.
     *
     * @param type       {@link LogFormat#TYPE_PUT} or {@link LogFormat#TYPE_TOMBSTONE}
     * @param key        the record's key
     * @param offset     where the record starts in its segment
     * @param recordSize the record's size, header included
     */
    record Entry(byte type, byte[] key, long offset, int recordSize) {

        /** Returns whether this entry describes a tombstone. */
        boolean isTombstone() {
            return type == LogFormat.TYPE_TOMBSTONE;
        }

        /** Returns the offset just past the record. */
        long end() {
            return offset + recordSize;
        }
    }

    /**
     * A whole, checksummed hint header that gives its segment another size than the segment has.
     * A sealed segment never changes after its hint is written (invariant 4), so this is evidence
     * that the <em>segment</em> lost or gained bytes: open reports it rather than scan, since a
     * segment cut at a record boundary would scan clean and silently lose records.
     */
    static final class SizeMismatch extends CorruptionException {
        SizeMismatch(Path hint, long hinted, long actual) {
            super(hint, DATA_SIZE_AT, "size of the segment, which was sealed at " + hinted + " bytes (the segment lost or"
                    + " gained bytes after it was sealed)", hinted + " bytes", actual + " bytes");
        }
    }

    private HintFormat() {
    }

    /** Returns the bytes of a whole hint file for segment {@code segmentId}. O(entries). */
    static ByteBuffer encode(int segmentId, long dataSize, List<Entry> entries) {
        // BUILD:BEGIN step3.build-hints-merge — Encode a sealed segment's hint file in a format of your own design, every byte checksummed
        // LAB:BEGIN step3.hint-encode — Encode a hint file: the header and its CRC32C, then one entry per record, each with its own CRC32C
        ByteBuffer out = ByteBuffer.allocate(sizeOf(entries));
        out.putInt(MAGIC).putInt(VERSION_CURRENT).putInt(segmentId).putLong(dataSize).putInt(entries.size());
        out.putInt(crc(out, 0, HEADER_CRC_AT));
        for (Entry entry : entries) {
            int start = out.position();
            out.putInt(0).put(entry.type()).putShort((short) entry.key().length)
                    .putInt(entry.recordSize()).putLong(entry.offset()).put(entry.key());
            out.putInt(start + ENTRY_CRC_AT, crc(out, start + ENTRY_TYPE_AT, out.position()));
        }
        assert !out.hasRemaining() : "hint size miscounted";
        return out.flip();
        // LAB:END
        // BUILD:END
    }

    /** The size of the hint file holding {@code entries}: 28 + the sum of (19 + key length). */
    static int sizeOf(List<Entry> entries) {
        // BUILD:BEGIN step3.build-hints-merge — The size in bytes of your hint file for these entries
        int size = HEADER_SIZE;
        for (Entry entry : entries) {
            size += ENTRY_HEADER_SIZE + entry.key().length;
        }
        return size;
        // BUILD:END
    }

    /**
     * Decodes and checks a whole hint file against the segment it should describe. O(file size).
     *
     * @throws CorruptionException for the first failed check, naming {@code path} and the offset
     */
    static List<Entry> decode(ByteBuffer file, Path path, int segmentId, long dataSize) {
        // BUILD:BEGIN step3.build-hints-merge — Decode and check your hint file: any damage is a CorruptionException, a size other than the segment's a SizeMismatch
        // LAB:BEGIN step3.hint-decode — Decode a hint file and check that its entries tile the segment exactly
        checkHeader(file, path, segmentId, dataSize);
        int count = file.getInt(ENTRY_COUNT_AT);
        List<Entry> entries = new ArrayList<>();
        int at = HEADER_SIZE;
        long expectedOffset = LogFormat.FILE_HEADER_SIZE;
        for (int i = 0; i < count; i++) {
            Entry entry = decodeEntry(file, path, at);
            // Invariant 2: entries tile the segment, record after record.
            if (entry.offset() != expectedOffset) {
                throw new CorruptionException(path, at, "entry " + i + " offset", expectedOffset, entry.offset());
            }
            entries.add(entry);
            expectedOffset = entry.end();
            at += ENTRY_HEADER_SIZE + entry.key().length;
        }
        if (at != file.limit()) {
            throw new CorruptionException(path, at, "end of the last of " + count + " entries", "the end of the file",
                    (file.limit() - at) + " more bytes");
        }
        if (expectedOffset != dataSize) {
            throw new CorruptionException(path, at, "end of the last record", "segment size " + dataSize, expectedOffset);
        }
        return entries;
        // LAB:END
        // BUILD:END
    }

    private static void checkHeader(ByteBuffer file, Path path, int segmentId, long dataSize) {
        if (file.limit() < HEADER_SIZE) {
            throw new CorruptionException(path, 0, "hint header", HEADER_SIZE + " bytes", "a file of " + file.limit());
        }
        expect(path, MAGIC_AT, "magic number (is this a step-3 hint file?)", MAGIC, file.getInt(MAGIC_AT));
        expect(path, VERSION_AT, "format version", VERSION_CURRENT, file.getInt(VERSION_AT));
        expect(path, HEADER_CRC_AT, "header checksum (CRC32C)", crc(file, 0, HEADER_CRC_AT), file.getInt(HEADER_CRC_AT));
        expect(path, SEGMENT_ID_AT, "segment number", segmentId, file.getInt(SEGMENT_ID_AT));
        if (file.getLong(DATA_SIZE_AT) != dataSize) {
            throw new SizeMismatch(path, file.getLong(DATA_SIZE_AT), dataSize);
        }
    }

    private static Entry decodeEntry(ByteBuffer file, Path path, int at) {
        if (file.limit() - at < ENTRY_HEADER_SIZE) {
            throw new CorruptionException(path, at, "entry header", ENTRY_HEADER_SIZE + " bytes", (file.limit() - at) + " bytes");
        }
        byte type = file.get(at + ENTRY_TYPE_AT);
        int keyLength = Short.toUnsignedInt(file.getShort(at + ENTRY_KEY_LENGTH_AT));
        long recordSize = Integer.toUnsignedLong(file.getInt(at + ENTRY_RECORD_SIZE_AT));
        if (keyLength > Limits.MAX_KEY_SIZE || at + ENTRY_HEADER_SIZE + keyLength > file.limit()) {
            throw new CorruptionException(path, at + ENTRY_KEY_LENGTH_AT, "entry key length", "at most " + Limits.MAX_KEY_SIZE
                    + " and inside the file", keyLength);
        }
        expect(path, at + ENTRY_CRC_AT, "entry checksum (CRC32C)", crc(file, at + ENTRY_TYPE_AT,
                at + ENTRY_HEADER_SIZE + keyLength), file.getInt(at + ENTRY_CRC_AT));
        long valueLength = recordSize - LogFormat.recordSize(keyLength, 0);
        boolean possible = type == LogFormat.TYPE_TOMBSTONE ? valueLength == 0
                : type == LogFormat.TYPE_PUT && valueLength >= 0 && valueLength <= Limits.MAX_VALUE_SIZE;
        if (!possible) {
            throw new CorruptionException(path, at + ENTRY_TYPE_AT, "entry type and record size", "a PUT or TOMBSTONE of a possible size",
                    LogFormat.typeName(type) + " of " + recordSize + " bytes");
        }
        byte[] key = new byte[keyLength];
        file.get(at + ENTRY_HEADER_SIZE, key);
        return new Entry(type, key, file.getLong(at + ENTRY_OFFSET_AT), (int) recordSize);
    }

    private static void expect(Path path, long offset, String what, int expected, int actual) {
        if (expected != actual) {
            throw new CorruptionException(path, offset, what, String.format("0x%08X", expected), String.format("0x%08X", actual));
        }
    }

    /** CRC32C of bytes {@code [from, to)} of {@code bytes}. */
    private static int crc(ByteBuffer bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }
}
