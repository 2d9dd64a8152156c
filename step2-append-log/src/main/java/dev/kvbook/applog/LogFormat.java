package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Limits;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The step-2 log format: one file holding a file header and then records, appended one after
 * another and never changed. This Javadoc is the specification. {@link LogWriter} writes it,
 * {@link LogReader} reads it, and {@code LogFormatTest} pins it byte for byte against a golden
 * file and against the worked example below. Step 3 keeps its log segments in this same format.
 *
 * <h2>Grammar</h2>
 * <pre>
 * log         := file-header record*
 * file-header := magic:u32 version:u32                         FILE_HEADER_SIZE   = 4 + 4         =  8
 * record      := crc:u32 type:u8 keyLength:u16 valueLength:u32 RECORD_HEADER_SIZE = 4 + 1 + 2 + 4 = 11
 *                key:byte[keyLength] value:byte[valueLength]
 * type        := syncedBefore:bit7 typeCode:bits0-6           flag mask 0x80, code mask 0x7F
 * </pre>
 * Integers are big-endian and unsigned.
 *
 * <h2>Picture</h2>
 * <pre>
 *  offset 0               8                  8 + size1          end of log
 *  +-------+---------+------------------+------------------+- - - - - - -+
 *  | magic | version | record 1         | record 2         |   ...       |   new records go here --->
 *  +-------+---------+------------------+------------------+- - - - - - -+
 *
 *  one record:
 *  +--------+------+-----------+-------------+-----------------+-------------------+
 *  | crc32c | type | keyLength | valueLength | key             | value             |
 *  +--------+------+-----------+-------------+-----------------+-------------------+
 *  0        4      5           7             11          11 + keyLength    record size
 *           |&lt;-- covered by the crc32c: type, lengths, key and value -------------&gt;|
 *
 *  the type byte:
 *  +---+---+---+---+---+---+---+---+
 *  | S |      type code (1..127)   |    S = SYNCED_BEFORE (0x80): every byte before this
 *  +---+---+---+---+---+---+---+---+        record was durable when it became part of the log
 *    7   6   5   4   3   2   1   0
 * </pre>
 *
 * <h2>Fields</h2>
 * <table>
 * <caption>File header (8 bytes, at offset 0)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>u32</td><td>magic {@code 0x4B564C47}, ASCII "KVLG" ({@link #MAGIC})</td></tr>
 * <tr><td>4</td><td>4</td><td>u32</td><td>format version, 1 ({@link #VERSION_CURRENT})</td></tr>
 * </table>
 * <table>
 * <caption>Record (11 bytes + key + value, anywhere after the file header)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>4</td><td>u32</td><td>CRC32C of every byte of the record after this field</td></tr>
 * <tr><td>4</td><td>1</td><td>u8</td><td>type: the code in the low 7 bits (1 PUT, 2 TOMBSTONE), plus the flag
 *     {@link #SYNCED_BEFORE} (0x80) in the high bit; see invariants 4 and 7</td></tr>
 * <tr><td>5</td><td>2</td><td>u16</td><td>key length, 0 to 1024</td></tr>
 * <tr><td>7</td><td>4</td><td>u32</td><td>value length, 0 to 16 MiB; always 0 in a TOMBSTONE</td></tr>
 * <tr><td>11</td><td>keyLength</td><td>bytes</td><td>the key</td></tr>
 * <tr><td>11 + keyLength</td><td>valueLength</td><td>bytes</td><td>the value</td></tr>
 * </table>
 * The file header has no checksum: it holds only two constants, and comparing each with its
 * expected value is a stronger check than any checksum of them.
 *
 * <h2>Worked example</h2>
 * {@code put("cat", "meow")}, {@code put("dog", "woof")}, {@code delete("cat")} on a new store
 * (with {@code syncEveryWrite}, the default) give this 58-byte file (8 + 18 + 18 + 14), the golden
 * file {@code golden/three-writes.log}:
 * <pre>
 * 0000  4B 56 4C 47 00 00 00 01 E1 62 8D CF 81 00 03 00
 * 0010  00 00 04 63 61 74 6D 65 6F 77 07 A5 BA 34 81 00
 * 0020  03 00 00 00 04 64 6F 67 77 6F 6F 66 38 F5 58 40
 * 0030  82 00 03 00 00 00 00 63 61 74
 * </pre>
 * Read it as:
 * <pre>
 * offset  0  4B 56 4C 47  magic "KVLG"    00 00 00 01  version 1                  header 4 + 4 = 8
 * offset  8  E1 62 8D CF  crc32c   81 PUT, flagged   00 03  key length 3   00 00 00 04  value length 4
 *            63 61 74  "cat"   6D 65 6F 77  "meow"                           record 11 + 3 + 4 = 18
 * offset 26  07 A5 BA 34  crc32c   81 PUT, flagged   00 03   00 00 00 04   64 6F 67  "dog"   77 6F 6F 66  "woof"
 *                                                                            record 11 + 3 + 4 = 18
 * offset 44  38 F5 58 40  crc32c   82 TOMBSTONE, flagged   00 03   00 00 00 00   63 61 74  "cat"
 *                                                                            record 11 + 3 + 0 = 14
 * </pre>
 * Every type byte has the high bit set (81, 82): each write was fsynced before the next one was
 * written, so every record was written right after an fsync. Without {@code syncEveryWrite} and
 * with no {@code sync()} between the writes, only the first record would carry the flag, and the
 * others would read {@code 01} and {@code 02}.
 * <p>Replayed from the start, the last record for each key wins: "dog" is "woof", and "cat" is
 * absent (its tombstone is the last word). The first record is now garbage, and so is the
 * tombstone: compaction drops both, because a key missing from the compacted log is absent.
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li>The file begins with {@link #MAGIC} and {@link #VERSION_CURRENT}; a reader that finds
 *     anything else reports the actual against the expected value and reads no further. A log
 *     is created whole (header written and fsynced under a temporary name, then renamed), so a
 *     header is never torn: a file shorter than a header is corruption, except the empty file,
 *     which open treats as a new log since there is nothing in it to lose.</li>
 * <li>Records are only appended. No byte before the end of the log is ever rewritten; compaction
 *     writes a whole new file and renames it over the old one.</li>
 * <li>Every record's CRC32C matches its bytes, and it is checked on every read.</li>
 * <li>The type byte holds two things. Its low 7 bits are the type code: 1 (PUT) and 2
 *     (TOMBSTONE), frozen: a code is never reused for another meaning (retired codes: none yet).
 *     0 is deliberately not a type, so zero-filled space (a file the OS extended but never
 *     wrote) can never read as a record. Its high bit is not part of the type but a flag,
 *     {@link #SYNCED_BEFORE} (invariant 7): {@code 0x81} is a PUT with the flag, {@code 0x01}
 *     a PUT without it. The flag's position is frozen too; new type codes may use only the
 *     low 7 bits.</li>
 * <li>A key length is at most {@link Limits#MAX_KEY_SIZE}, a value length at most
 *     {@link Limits#MAX_VALUE_SIZE}, a tombstone's value length 0, and the record lies wholly
 *     before the end of the log. These are checked <em>before</em> any buffer is allocated, so a
 *     damaged length is a bad record, never a 4 GiB allocation.</li>
 * <li>For each key the last record decides: a PUT holds the current value, a TOMBSTONE says the
 *     key is absent. Every earlier record for that key is garbage.</li>
 * <li><b>Where the log ends: torn tail or corruption.</b> Reading from the header forward, the
 *     first bad record (incomplete, unknown type, impossible length, or wrong checksum) at offset
 *     X ends the good part of the log. The bytes from X on are <em>corruption</em> if and only if
 *     a complete, valid record (plausible header, correct checksum) <em>with the
 *     {@link #SYNCED_BEFORE} flag</em> starts at some offset Y &gt; X: open then refuses with a
 *     {@link CorruptionException} naming the file and X. Otherwise they are a <em>torn
 *     tail</em>, the remains of writes that a crash cut short, and open truncates the file at X.
 *     Valid records <em>without</em> the flag after X prove nothing and do not count.
 *     <p>What the flag says: when this record became part of the log, every byte before it was
 *     already durable. {@link LogWriter} sets it by itself, on a record written at the offset
 *     where the last fsync left the log, that is with nothing written since that fsync; and
 *     on every record of a file that is fsynced whole before it is renamed into place (a
 *     compaction's output), since no reader sees those records before everything in front of
 *     them is durable. Open fsyncs the log it recovered, so the first write after an open
 *     carries the flag as well. The flag costs no byte (it lives in the type byte) and no fsync
 *     (it only records one that happened anyway).
 *     <p>Why this is sound. A flagged record at Y can exist only once the fsync before it has
 *     returned, so its presence proves that the bytes before Y, X among them, were durable.
 *     Bytes that were durable do not come back bad from a crash; they were damaged later, and
 *     truncating them would silently drop acknowledged writes. Without such proof, the bad bytes
 *     may be writes that were never made durable, which a crash is free to lose:
 *     <ul>
 *     <li>With {@code syncEveryWrite} (the default) every record is fsynced before the next is
 *         written, so every record carries the flag, and any valid record after X proves X was
 *         durable, as before the flag existed.</li>
 *     <li>Without it, the records written since the last {@code sync()} wait in the OS page
 *         cache, and a power loss may save a later one but not an earlier one (disks write them
 *         in any order). Only the first of them carries the flag, and the bytes in front of it
 *         were durable. So a hole among them is followed only by unflagged records, and open
 *         truncates at the hole: it keeps a prefix of the writes that holds every write
 *         acknowledged as durable, because those all lie before the offset where the last
 *         fsync left the log, and a crash cannot damage bytes that were durable.
 *         Records saved behind the hole are dropped; they were never promised.</li>
 *     </ul>
 *     <p>The price: damage at or after the last flagged record of the log looks exactly like
 *     a torn write and is truncated like one, even where those records were durable. With
 *     {@code syncEveryWrite} that is the very last record only. Without it, it is the last
 *     batch of writes: a {@code sync()} or {@code close()} made them durable, but no later
 *     record carries the flag that would prove it. The next write does, and closes the gap.
 *     <p>A record whose value happens to contain the bytes of a valid flagged record counts as
 *     one found after X, should its own start be damaged; open then refuses rather than
 *     guess. Opening with {@code repair} (truncate at the first bad record, whatever follows)
 *     is the way out of any refusal, and keeps the records before X.</li>
 * </ol>
 *
 * <h2>Why this log grows, and is neither preallocated nor reused (issue #27)</h2>
 * With {@code syncEveryWrite}, every write is an append that grows the file, and its fsync must
 * also commit the new size through the file system's journal: the bench's {@code raw-append}
 * floor against {@code raw-prealloc} shows what that costs. Step 5's log avoids it by
 * overwriting space it already has; this one does not, on purpose:
 * <ul>
 * <li><b>Preallocating</b> (zeros past the last record) would end every file in what invariant 7
 *     calls a bad record, so every open would read through the whole reserve, offset by offset, for a
 *     flagged record, and then cut the reserve off (type 0 keeps zeros from reading as a record,
 *     invariant 4, but not from being searched). The end of the file would no longer be the end
 *     of the log, the one simplification this step is about.</li>
 * <li><b>Reusing a file</b> (writing over a compacted-away log instead of a new one) would leave
 *     valid records of the old contents behind the new ones. Nothing in a record says which life
 *     of the file wrote it, so after a crash in mid-overwrite an old, flagged record would either
 *     be replayed as a write (resurrecting a value) or prove "corruption" that is not. Reuse needs
 *     a per-file salt in every record, as step 5's frames carry and RocksDB's recyclable log
 *     records carry the log's number.</li>
 * </ul>
 * Step 3's segments and step 6's memtable logs are this format, so the same answer holds for
 * them (see {@code SegmentFormat} and {@code StoreFiles}).
 */
public final class LogFormat {

    /** The magic number every step-2 log begins with: ASCII "KVLG" (kvbook log). */
    public static final int MAGIC = 0x4B564C47;

    /** The first and current format version. A new version gets a new constant; old ones stay. */
    public static final int VERSION_1 = 1;

    /** The version this code writes, and the only one it reads. */
    public static final int VERSION_CURRENT = VERSION_1;

    /** File header: magic + version. */
    public static final int FILE_HEADER_SIZE = 4 + 4;

    /** Type code of a record that stores a value. Frozen: never change this number. */
    public static final byte TYPE_PUT = 1;

    /** Type code of a record that says "this key is deleted". Frozen: never change this number. */
    public static final byte TYPE_TOMBSTONE = 2;

    /** The bits of the type byte that hold the type code; a type code is at most 127. */
    public static final int TYPE_CODE_MASK = 0x7F;

    /**
     * The flag in the high bit of the type byte: every byte before this record was durable when
     * it became part of the log (invariant 7). A flag, not a type code. Frozen.
     */
    public static final int SYNCED_BEFORE = 0x80;

    /** Record header: crc + type + key length + value length. */
    public static final int RECORD_HEADER_SIZE = 4 + 1 + 2 + 4;

    /** Where each header field sits inside a record. */
    static final int CRC_AT = 0;
    static final int TYPE_AT = 4;
    static final int KEY_LENGTH_AT = 4 + 1;
    static final int VALUE_LENGTH_AT = 4 + 1 + 2;

    /** The largest record there can be: header + longest key + longest value. */
    public static final int MAX_RECORD_SIZE = RECORD_HEADER_SIZE + Limits.MAX_KEY_SIZE + Limits.MAX_VALUE_SIZE;

    private LogFormat() {
    }

    /** Returns the size of a record with a key and value of these lengths: 11 + key + value. */
    public static int recordSize(int keyLength, int valueLength) {
        // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
        return RECORD_HEADER_SIZE + keyLength + valueLength;
        // BUILD:END
    }

    /** Returns the type code in a type byte as stored: its low 7 bits, without the flag. */
    public static byte typeCode(byte typeByte) {
        return (byte) (typeByte & TYPE_CODE_MASK);
    }

    /** Returns whether a type byte as stored carries the {@link #SYNCED_BEFORE} flag. */
    public static boolean isSyncedBefore(byte typeByte) {
        return (typeByte & SYNCED_BEFORE) != 0;
    }

    /** Returns the type byte to store: the type code, with the {@link #SYNCED_BEFORE} flag or not. */
    public static byte typeByte(byte typeCode, boolean syncedBefore) {
        assert (typeCode & ~TYPE_CODE_MASK) == 0 : "type code with the flag bit set: " + typeCode;
        return (byte) (syncedBefore ? typeCode | SYNCED_BEFORE : typeCode);
    }

    /**
     * Returns "PUT" or "TOMBSTONE" for a type code, with " (after fsync)" when given a type byte
     * carrying the {@link #SYNCED_BEFORE} flag; for an unknown code, the whole byte in hex. For
     * messages and listings.
     */
    public static String typeName(byte typeByte) {
        String name = switch (typeCode(typeByte)) {
            case TYPE_PUT -> "PUT";
            case TYPE_TOMBSTONE -> "TOMBSTONE";
            default -> null;
        };
        if (name == null) {
            return String.format("unknown type byte 0x%02X", typeByte);
        }
        return isSyncedBefore(typeByte) ? name + " (after fsync)" : name;
    }

    /** Returns the 8 bytes of a file header, ready to write at offset 0. */
    public static ByteBuffer encodeFileHeader() {
        return ByteBuffer.allocate(FILE_HEADER_SIZE).putInt(MAGIC).putInt(VERSION_CURRENT).flip();
    }

    /**
     * Checks the file header of {@code file}: its length, magic and version. Two small reads.
     *
     * @throws CorruptionException naming {@code path}, saying the actual against the expected value
     */
    public static void checkFileHeader(VfsFile file, Path path) {
        long size = file.size();
        if (size < FILE_HEADER_SIZE) {
            throw new CorruptionException(path, 0, "file header", FILE_HEADER_SIZE + " bytes",
                    "a file of only " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_SIZE);
        file.readFully(0, header);
        int magic = header.getInt(0);
        if (magic != MAGIC) {
            throw new CorruptionException(path, 0, "magic number (is this a step-2 log?)",
                    hex(MAGIC) + " \"KVLG\"", hex(magic));
        }
        int version = header.getInt(4);
        if (version != VERSION_CURRENT) {
            throw new CorruptionException(path, 4, "format version", VERSION_CURRENT, version);
        }
    }

    /**
     * Encodes one record: header, key, value, with its CRC32C filled in. O(record size).
     *
     * @param type         the type code, {@link #TYPE_PUT} or {@link #TYPE_TOMBSTONE}
     * @param syncedBefore whether to set the {@link #SYNCED_BEFORE} flag; only a writer that knows
     *                     every byte before the record is durable may (invariant 7)
     * @throws IllegalArgumentException when a length is over its limit, the type is unknown, or a
     *                                  tombstone carries a value
     */
    public static ByteBuffer encodeRecord(byte type, boolean syncedBefore, byte[] key, byte[] value) {
        // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
        // LAB:BEGIN step2.encode-record — Encode one record: CRC32C, type byte, key length, value length, key, value
        Limits.checkKey(key);
        Limits.checkValue(value);
        if (type != TYPE_PUT && type != TYPE_TOMBSTONE) {
            throw new IllegalArgumentException("unknown record type " + type + "; the types are 1 (PUT), 2 (TOMBSTONE)");
        }
        if (type == TYPE_TOMBSTONE && value.length != 0) {
            throw new IllegalArgumentException("a tombstone has no value, but " + value.length + " bytes were given");
        }
        ByteBuffer record = ByteBuffer.allocate(recordSize(key.length, value.length));
        record.putInt(0) // the CRC, filled in below once the bytes it covers are in place
                .put(typeByte(type, syncedBefore)).putShort((short) key.length).putInt(value.length).put(key).put(value);
        record.putInt(CRC_AT, checksum(record, record.capacity()));
        return record.flip();
        // LAB:END
        // BUILD:END
    }

    /** CRC32C of a record's bytes after its CRC field, from the record held at 0..size of {@code record}. */
    static int checksum(ByteBuffer record, int size) {
        // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
        CRC32C crc = new CRC32C();
        crc.update(record.duplicate().limit(size).position(TYPE_AT));
        return (int) crc.getValue();
        // BUILD:END
    }

    /** Formats a 32-bit number as {@code 0x0000ABCD}. */
    static String hex(int value) {
        return String.format("0x%08X", value);
    }

    /**
     * The four header fields of a record, as read, before anything is trusted.
     *
     * @param storedCrc   the CRC32C the record claims
     * @param typeByte    the type byte as stored: type code and {@link #SYNCED_BEFORE} flag
     * @param keyLength   0 to 65535 as stored
     * @param valueLength 0 to 2^32 - 1 as stored (a long, since a u32 does not fit in an int)
     */
    record RecordHeader(int storedCrc, byte typeByte, int keyLength, long valueLength) {

        /** The type code, without the flag. */
        byte type() {
            return typeCode(typeByte);
        }

        /** Whether the record carries the {@link #SYNCED_BEFORE} flag. */
        boolean syncedBefore() {
            return isSyncedBefore(typeByte);
        }

        /** Reads the 11 header bytes at the buffer's position (which is not moved). */
        static RecordHeader read(ByteBuffer bytes) {
            // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
            int at = bytes.position();
            return new RecordHeader(bytes.getInt(at + CRC_AT), bytes.get(at + TYPE_AT),
                    Short.toUnsignedInt(bytes.getShort(at + KEY_LENGTH_AT)),
                    Integer.toUnsignedLong(bytes.getInt(at + VALUE_LENGTH_AT)));
            // BUILD:END
        }

        /** The record size these lengths claim; meaningful only once {@link #check} passed. */
        int recordSize() {
            return LogFormat.recordSize(keyLength, (int) valueLength);
        }

        /**
         * Checks invariants 4 and 5 against the header alone, allocating nothing: a known type,
         * lengths within the limits, no value in a tombstone, and the whole record before
         * {@code bytesLeft}. Returns what is wrong, or {@code null} when the header is plausible.
         */
        Damage check(long bytesLeft) {
            // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
            // LAB:BEGIN step2.check-header — Check a record header before trusting its lengths: type, key and value limits, tombstone, room left
            if (isPlausible(bytesLeft)) {
                return null;
            }
            byte type = type();
            if (type != TYPE_PUT && type != TYPE_TOMBSTONE) {
                return new Damage("record type", "1 (PUT) or 2 (TOMBSTONE)", typeName(typeByte));
            }
            if (keyLength > Limits.MAX_KEY_SIZE) {
                return new Damage("key length", "at most " + Limits.MAX_KEY_SIZE, keyLength);
            }
            if (valueLength > Limits.MAX_VALUE_SIZE) {
                return new Damage("value length", "at most " + Limits.MAX_VALUE_SIZE, valueLength);
            }
            if (type == TYPE_TOMBSTONE && valueLength != 0) {
                return new Damage("tombstone value length", 0, valueLength);
            }
            return new Damage("record size", "at most the " + bytesLeft + " bytes left in the log",
                    recordSize() + " bytes (a record cut short?)");
            // LAB:END
            // BUILD:END
        }

        /** {@link #check} as a yes or no, allocating nothing: for scanning many offsets fast. */
        boolean isPlausible(long bytesLeft) {
            // BUILD:BEGIN step2.build-format — Design the record format: lay out a record's header, key and value, choose what its checksum covers, and decode and check what you wrote (readers fetch RECORD_HEADER_SIZE bytes to decode a header)
            byte type = type();
            return (type == TYPE_PUT || type == TYPE_TOMBSTONE)
                    && keyLength <= Limits.MAX_KEY_SIZE
                    && valueLength <= Limits.MAX_VALUE_SIZE
                    && (type == TYPE_PUT || valueLength == 0)
                    && recordSize() <= bytesLeft;
            // BUILD:END
        }
    }

    /**
     * What is wrong with a record, in the terms of {@link CorruptionException}: what was checked,
     * what a healthy log has there, and what this one has.
     */
    record Damage(String what, Object expected, Object actual) {

        /** The exception for this damage at {@code offset} of {@code path}. */
        CorruptionException at(Path path, long offset) {
            return new CorruptionException(path, offset, what, expected, actual);
        }

        /** One line for a person: "record type: expected ... but found ...". */
        String describe() {
            return what + ": expected " + expected + " but found " + actual;
        }
    }

    /** Whether {@code head}, the first bytes of a file, starts with the log's magic {@code "KVLG"}. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= Integer.BYTES && ByteBuffer.wrap(head).getInt(0) == MAGIC;
    }
}
