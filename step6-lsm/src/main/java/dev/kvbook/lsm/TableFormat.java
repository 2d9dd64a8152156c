package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The sorted table ({@code NNNNNN.sst}): cells sorted by key, written once by
 * {@link TableWriter} and never changed, read by {@link Table}. This Javadoc is the
 * specification; {@code TableFormatTest} pins it byte for byte against a golden file and the
 * worked example below.
 *
 * <h2>Grammar</h2>
 * <pre>
 * table        := file-header data-block+ filter-block index-block footer
 * file-header  := magic:u32 version:u32                                HEADER_SIZE        = 4 + 4         =  8
 * data-block   := entry+ entryCount:u32 crc:u32                        BLOCK_TRAILER_SIZE = 4 + 4         =  8
 * entry        := type:u8 keyLength:u16 valueLength:u32 key value      ENTRY_HEADER_SIZE  = 1 + 2 + 4     =  7
 * filter-block := hashCount:u8 bitCount:u32 bits:byte[ceil(bitCount/8)] crc:u32
 * index-block  := index-entry+ entryCount:u32 crc:u32
 * index-entry  := keyLength:u16 lastKey blockOffset:u64 blockSize:u32
 * footer       := filterOffset:u64 filterSize:u32 indexOffset:u64 indexSize:u32
 *                 cellCount:u64 magic:u32 version:u32 crc:u32          FOOTER_SIZE = 8+4+8+4+8+4+4+4 = 44
 * </pre>
 * Integers are big-endian and unsigned. Each block's {@code crc} is the CRC32C of every byte of
 * the block before it; the footer's, of the 40 footer bytes before it. A table with no cell is
 * never written (a flush of nothing writes no table).
 *
 * <h2>Picture</h2>
 * <pre>
 *  0        8                                                             size - 44      size
 *  +--------+--------------+--------------+-----+--------+-------------+--------------+
 *  | magic  | data block 0 | data block 1 | ... | filter | index       | footer       |
 *  | version| sorted cells | sorted cells |     | (Bloom)| last key -&gt; | offsets,     |
 *  +--------+--------------+--------------+-----+--------+ block       | magic, crc   |
 *                                                 ^        +-------------+--------------+
 *                                                 |        ^
 *                       footer.filterOffset ------+        +---- footer.indexOffset
 *
 *  one data block:
 *  +------+-----------+-------------+-----+-------+--- ... ---+------------+--------+
 *  | type | keyLength | valueLength | key | value | entry ... | entryCount | crc32c |
 *  +------+-----------+-------------+-----+-------+--- ... ---+------------+--------+
 *  |&lt;------------- covered by the block's crc32c ---------------------------&gt;|
 * </pre>
 * A get reads the footer, index and filter once, when the table is opened; after that a lookup
 * is a filter check, a binary search of the index in memory, and one read of one block.
 *
 * <h2>Fields</h2>
 * <table>
 * <caption>Entry (7 bytes + key + value)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>1</td><td>u8</td><td>1 PUT or 2 TOMBSTONE ({@link #TYPE_PUT}, {@link #TYPE_TOMBSTONE}; the same codes as step 2's log)</td></tr>
 * <tr><td>1</td><td>2</td><td>u16</td><td>key length, 0 to 1024</td></tr>
 * <tr><td>3</td><td>4</td><td>u32</td><td>value length, 0 to 16 MiB; 0 in a tombstone</td></tr>
 * <tr><td>7</td><td>keyLength</td><td>bytes</td><td>key</td></tr>
 * <tr><td>7 + keyLength</td><td>valueLength</td><td>bytes</td><td>value</td></tr>
 * </table>
 * <table>
 * <caption>Footer (44 bytes, at size - 44)</caption>
 * <tr><th>offset</th><th>size</th><th>type</th><th>field</th></tr>
 * <tr><td>0</td><td>8</td><td>u64</td><td>filter block offset</td></tr>
 * <tr><td>8</td><td>4</td><td>u32</td><td>filter block size</td></tr>
 * <tr><td>12</td><td>8</td><td>u64</td><td>index block offset</td></tr>
 * <tr><td>20</td><td>4</td><td>u32</td><td>index block size</td></tr>
 * <tr><td>24</td><td>8</td><td>u64</td><td>cells in the table</td></tr>
 * <tr><td>32</td><td>4</td><td>u32</td><td>magic {@code 0x4B565354}, ASCII "KVST" ({@link #MAGIC})</td></tr>
 * <tr><td>36</td><td>4</td><td>u32</td><td>format version, 1 ({@link #VERSION_CURRENT})</td></tr>
 * <tr><td>40</td><td>4</td><td>u32</td><td>CRC32C of footer bytes 0 to 39</td></tr>
 * </table>
 * Why each part: the <b>file header</b> says what the file is before anything is trusted; the
 * <b>data blocks</b> are the unit of reading (a get reads one, a scan reads them in order) and of
 * checksumming; the <b>filter</b> saves the block read for most keys the table lacks; the
 * <b>index</b> finds the one block a key can be in; the <b>footer</b>, at a fixed place from the
 * end, is where a reader starts, since the writer learns the offsets only as it goes.
 *
 * <h2>Worked example</h2>
 * The golden file {@code golden/three-cells.sst}: cells {@code "cat" = "meow"},
 * {@code "dog"} TOMBSTONE, {@code "eel" = "zap"}, written with 16-byte blocks (a block is closed
 * once its entries reach the target size, so the first holds "cat" and "dog", the second "eel")
 * and 10 bits per key (k = 7; 3 keys x 10 bits is under the 64-bit minimum, so 64 bits). 164 bytes:
 * <pre>
 * 0000  4B 56 53 54 00 00 00 01 01 00 03 00 00 00 04 63
 * 0010  61 74 6D 65 6F 77 02 00 03 00 00 00 00 64 6F 67
 * 0020  00 00 00 02 79 CE 38 3D 01 00 03 00 00 00 03 65
 * 0030  65 6C 7A 61 70 00 00 00 01 4F B9 94 DE 07 00 00
 * 0040  00 40 14 09 51 48 10 18 10 0C 7C FD C2 C0 00 03
 * 0050  64 6F 67 00 00 00 00 00 00 00 08 00 00 00 20 00
 * 0060  03 65 65 6C 00 00 00 00 00 00 00 28 00 00 00 15
 * 0070  00 00 00 02 32 81 A9 9D 00 00 00 00 00 00 00 3D
 * 0080  00 00 00 11 00 00 00 00 00 00 00 4E 00 00 00 2A
 * 0090  00 00 00 00 00 00 00 03 4B 56 53 54 00 00 00 01
 * 00A0  1A 4E 8A CF
 * </pre>
 * Read it as:
 * <pre>
 * offset   0  4B 56 53 54  magic "KVST"   00 00 00 01  version 1                        header 4 + 4 = 8
 * offset   8  data block 0, 14 + 10 + 8 = 32 bytes:
 *             01 PUT  00 03 key length 3  00 00 00 04 value length 4  "cat" "meow"      entry 7 + 3 + 4 = 14
 *             02 TOMBSTONE  00 03  00 00 00 00  "dog"                                   entry 7 + 3 + 0 = 10
 *             00 00 00 02  two entries   79 CE 38 3D  crc32c of the 28 bytes before it
 * offset  40  data block 1, 13 + 8 = 21 bytes:
 *             01 PUT  00 03  00 00 00 03  "eel" "zap"   00 00 00 01  one entry   4F B9 94 DE  crc32c
 * offset  61  filter, 1 + 4 + 8 + 4 = 17 bytes:
 *             07 seven hashes   00 00 00 40 64 bits   14 09 51 48 10 18 10 0C the bits   7C FD C2 C0 crc32c
 * offset  78  index, 17 + 17 + 8 = 42 bytes:
 *             00 03 "dog"  00 00 00 00 00 00 00 08 block at 8  00 00 00 20 of 32 bytes
 *             00 03 "eel"  00 00 00 00 00 00 00 28 block at 40  00 00 00 15 of 21 bytes
 *             00 00 00 02  two entries   32 81 A9 9D  crc32c
 * offset 120  footer, 44 bytes:
 *             00 .. 3D filter at 61  00 00 00 11 of 17 bytes  00 .. 4E index at 78  00 00 00 2A of 42 bytes
 *             00 .. 03 three cells   4B 56 53 54 "KVST"  00 00 00 01 version 1  1A 4E 8A CF crc32c
 * </pre>
 * A get of "dog" asks the filter (all 7 bits set: maybe), finds in the index the first block
 * whose last key is at or after "dog" (block 0), reads those 32 bytes, checks their CRC, and
 * finds the tombstone: "dog" is deleted, and no older table is consulted. A get of "cow" is
 * most likely ruled out by the filter and reads no block at all.
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li>The file begins with {@link #MAGIC} and {@link #VERSION_CURRENT}, and the footer repeats
 *     them; a reader that finds anything else reports the actual against the expected value.</li>
 * <li>Every block and the footer carry a CRC32C, checked on every read: a damaged table is a
 *     {@link CorruptionException} naming the file, the offset and what was wrong, never wrong
 *     data and never skipped. A table is written whole and fsynced before the manifest names it,
 *     so a table has no torn tail: any damage is corruption.</li>
 * <li>Keys are strictly increasing across the whole table, one cell per key: a table holds each
 *     key's newest cell as of when it was written, tombstones included.</li>
 * <li>The blocks lie end to end from offset 8 to the filter; the filter ends where the index
 *     starts; the index ends where the footer starts. Index entry i names block i and holds its
 *     last key. Every block holds at least one entry; an entry longer than the block size gets
 *     a block of its own.</li>
 * <li>The filter holds every key of the table (no false negatives); {@link BloomFilter} fixes
 *     the hash and the bit order.</li>
 * <li>Lengths are checked against the limits and against the block before anything is
 *     allocated, so a damaged length is reported, never a 4 GiB allocation.</li>
 * <li>Type codes 1 and 2 are frozen; 0 is never a type, so zeros never read as an entry.</li>
 * </ol>
 */
final class TableFormat {

    /** "KVST": kvbook sorted table. */
    static final int MAGIC = 0x4B565354;
    static final int VERSION_1 = 1;
    static final int VERSION_CURRENT = VERSION_1;

    static final int HEADER_SIZE = 4 + 4;
    static final int ENTRY_HEADER_SIZE = 1 + 2 + 4;
    static final int BLOCK_TRAILER_SIZE = 4 + 4;
    static final int INDEX_ENTRY_FIXED = 2 + 8 + 4;
    static final int FILTER_FIXED = 1 + 4 + 4;
    static final int FOOTER_SIZE = 8 + 4 + 8 + 4 + 8 + 4 + 4 + 4;

    /** Frozen type codes (the same numbers as step 2's log records). */
    static final byte TYPE_PUT = 1;
    static final byte TYPE_TOMBSTONE = 2;

    private TableFormat() {
    }

    /** Bytes of one entry: 7 + key + value. */
    static int entrySize(int keyLength, int valueLength) {
        return ENTRY_HEADER_SIZE + keyLength + valueLength;
    }

    /** Appends one entry to {@code out}. */
    static void putEntry(ByteBuffer out, Cell cell) {
        byte[] value = cell.isTombstone() ? new byte[0] : cell.value();
        out.put(cell.isTombstone() ? TYPE_TOMBSTONE : TYPE_PUT).putShort((short) cell.key().length)
                .putInt(value.length).put(cell.key()).put(value);
    }

    /** Closes a block written into {@code out} from {@code start} to its position: entry count and CRC32C. */
    static void finishBlock(ByteBuffer out, int start, int entries) {
        out.putInt(entries);
        out.putInt(crc(out, start, out.position()));
    }

    /** CRC32C of {@code bytes[from, to)} (absolute indexes, the buffer's position untouched). */
    static int crc(ByteBuffer bytes, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }

    /**
     * Checks a block's trailer and CRC ({@code block} holds exactly the block, index 0 = its
     * first byte, which is at {@code offset} in {@code path}) and returns its entry count.
     */
    static int checkBlock(ByteBuffer block, Path path, long offset, String what) {
        int size = block.limit();
        if (size < BLOCK_TRAILER_SIZE) {
            throw new CorruptionException(path, offset, what + " size", "at least " + BLOCK_TRAILER_SIZE + " bytes", size);
        }
        int stored = block.getInt(size - 4);
        int actual = crc(block, 0, size - 4);
        if (stored != actual) {
            throw new CorruptionException(path, offset, what + " checksum (CRC32C)", hex(stored) + " as stored",
                    hex(actual) + " computed over its " + (size - 4) + " bytes (hardware problem?)");
        }
        return block.getInt(size - BLOCK_TRAILER_SIZE);
    }

    /** Decodes a data block (already read whole): its cells in order, every rule checked. */
    static List<Cell> decodeBlock(ByteBuffer block, Path path, long offset) {
        int count = checkBlock(block, path, offset, "data block");
        int end = block.limit() - BLOCK_TRAILER_SIZE;
        List<Cell> cells = new ArrayList<>();
        int at = 0;
        byte[] previous = null;
        while (at < end) {
            if (end - at < ENTRY_HEADER_SIZE) {
                throw bad(path, offset + at, "entry header", ENTRY_HEADER_SIZE + " bytes", (end - at) + " bytes left in the block");
            }
            byte type = block.get(at);
            int keyLength = Short.toUnsignedInt(block.getShort(at + 1));
            long valueLength = Integer.toUnsignedLong(block.getInt(at + 3));
            if (type != TYPE_PUT && type != TYPE_TOMBSTONE) {
                throw bad(path, offset + at, "entry type", "1 (PUT) or 2 (TOMBSTONE)", type);
            }
            if (keyLength > Limits.MAX_KEY_SIZE || valueLength > Limits.MAX_VALUE_SIZE
                    || (type == TYPE_TOMBSTONE && valueLength != 0) || ENTRY_HEADER_SIZE + keyLength + valueLength > end - at) {
                throw bad(path, offset + at, "entry lengths", "a key of at most 1024 bytes and a value that fit the block",
                        "key " + keyLength + ", value " + valueLength + " with " + (end - at) + " bytes left");
            }
            byte[] key = new byte[keyLength];
            block.get(at + ENTRY_HEADER_SIZE, key);
            byte[] value = null;
            if (type == TYPE_PUT) {
                value = new byte[(int) valueLength];
                block.get(at + ENTRY_HEADER_SIZE + keyLength, value);
            }
            if (previous != null && Keys.COMPARATOR.compare(previous, key) >= 0) {
                throw bad(path, offset + at, "key order", "a key after " + Keys.toDisplay(previous), Keys.toDisplay(key));
            }
            cells.add(new Cell(key, value));
            previous = key;
            at += ENTRY_HEADER_SIZE + keyLength + (int) valueLength;
        }
        if (cells.size() != count || count == 0) {
            throw bad(path, offset, "data block entry count", cells.size() + " entries found (and at least 1)", count);
        }
        return cells;
    }

    /** One index entry: the last key of a block and where the block is. */
    record IndexEntry(byte[] lastKey, long blockOffset, int blockSize) {
    }

    /** The index block's bytes for {@code entries}. */
    static ByteBuffer encodeIndex(List<IndexEntry> entries) {
        int size = BLOCK_TRAILER_SIZE;
        for (IndexEntry e : entries) {
            size += INDEX_ENTRY_FIXED + e.lastKey().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (IndexEntry e : entries) {
            out.putShort((short) e.lastKey().length).put(e.lastKey()).putLong(e.blockOffset()).putInt(e.blockSize());
        }
        finishBlock(out, 0, entries.size());
        return out.flip();
    }

    /** Decodes and checks the index block (read whole, at {@code offset}). */
    static List<IndexEntry> decodeIndex(ByteBuffer block, Path path, long offset) {
        int count = checkBlock(block, path, offset, "index block");
        int end = block.limit() - BLOCK_TRAILER_SIZE;
        List<IndexEntry> entries = new ArrayList<>();
        int at = 0;
        while (at < end) {
            int keyLength = end - at < 2 ? -1 : Short.toUnsignedInt(block.getShort(at));
            if (keyLength < 0 || keyLength > Limits.MAX_KEY_SIZE || INDEX_ENTRY_FIXED + keyLength > end - at) {
                throw bad(path, offset + at, "index entry", "a whole entry with a key of at most 1024 bytes",
                        "key length " + keyLength + " with " + (end - at) + " bytes left");
            }
            byte[] key = new byte[keyLength];
            block.get(at + 2, key);
            entries.add(new IndexEntry(key, block.getLong(at + 2 + keyLength), block.getInt(at + 2 + keyLength + 8)));
            at += INDEX_ENTRY_FIXED + keyLength;
        }
        if (entries.size() != count || count == 0) {
            throw bad(path, offset, "index entry count", entries.size() + " entries found (and at least 1)", count);
        }
        return entries;
    }

    /** The filter block's bytes. */
    static ByteBuffer encodeFilter(BloomFilter filter) {
        byte[] bits = filter.bitsForWriting();
        ByteBuffer out = ByteBuffer.allocate(FILTER_FIXED + bits.length);
        out.put((byte) filter.hashCount()).putInt(filter.bitCount()).put(bits);
        out.putInt(crc(out, 0, out.position()));
        return out.flip();
    }

    /** Decodes and checks the filter block (read whole, at {@code offset}). */
    static BloomFilter decodeFilter(ByteBuffer block, Path path, long offset) {
        int size = block.limit();
        if (size < FILTER_FIXED) {
            throw bad(path, offset, "filter block size", "at least " + FILTER_FIXED + " bytes", size);
        }
        int stored = block.getInt(size - 4);
        int actual = crc(block, 0, size - 4);
        if (stored != actual) {
            throw new CorruptionException(path, offset, "filter block checksum (CRC32C)", hex(stored) + " as stored",
                    hex(actual) + " computed (hardware problem?)");
        }
        int hashCount = Byte.toUnsignedInt(block.get(0));
        long bitCount = Integer.toUnsignedLong(block.getInt(1));
        if (hashCount < 1 || hashCount > 30 || bitCount < BloomFilter.MIN_BITS || (bitCount + 7) / 8 != size - FILTER_FIXED) {
            throw bad(path, offset, "filter shape", "1 to 30 hashes and ceil(bits / 8) = " + (size - FILTER_FIXED) + " bytes",
                    hashCount + " hashes, " + bitCount + " bits");
        }
        byte[] bits = new byte[size - FILTER_FIXED];
        block.get(1 + 4, bits);
        return BloomFilter.of(hashCount, (int) bitCount, bits);
    }

    /** The footer's fields. */
    record Footer(long filterOffset, int filterSize, long indexOffset, int indexSize, long cellCount) {

        ByteBuffer encode() {
            ByteBuffer out = ByteBuffer.allocate(FOOTER_SIZE);
            out.putLong(filterOffset).putInt(filterSize).putLong(indexOffset).putInt(indexSize).putLong(cellCount)
                    .putInt(MAGIC).putInt(VERSION_CURRENT);
            out.putInt(crc(out, 0, out.position()));
            return out.flip();
        }

        /** Decodes and checks the footer of a table of {@code fileSize} bytes: magic, version, CRC, offsets. */
        static Footer decode(ByteBuffer bytes, Path path, long fileSize) {
            long at = fileSize - FOOTER_SIZE;
            if (bytes.getInt(32) != MAGIC) {
                throw new CorruptionException(path, at + 32, "footer magic", hex(MAGIC) + " (\"KVST\")", hex(bytes.getInt(32)));
            }
            if (bytes.getInt(36) != VERSION_CURRENT) {
                throw new CorruptionException(path, at + 36, "table format version", VERSION_CURRENT, bytes.getInt(36));
            }
            int stored = bytes.getInt(40);
            int actual = crc(bytes, 0, 40);
            if (stored != actual) {
                throw new CorruptionException(path, at + 40, "footer checksum (CRC32C)", hex(stored) + " as stored",
                        hex(actual) + " computed (hardware problem?)");
            }
            Footer f = new Footer(bytes.getLong(0), bytes.getInt(8), bytes.getLong(12), bytes.getInt(20), bytes.getLong(24));
            if (f.filterOffset < HEADER_SIZE || f.filterSize < 0 || f.indexSize < 0
                    || f.filterOffset + f.filterSize != f.indexOffset || f.indexOffset + f.indexSize != at) {
                throw new CorruptionException(path, at, "footer offsets", "filter then index ending at " + at,
                        "filter @" + f.filterOffset + " +" + f.filterSize + ", index @" + f.indexOffset + " +" + f.indexSize);
            }
            return f;
        }
    }

    /** The 8-byte file header. */
    static ByteBuffer encodeHeader() {
        return ByteBuffer.allocate(HEADER_SIZE).putInt(MAGIC).putInt(VERSION_CURRENT).flip();
    }

    /** Checks the file header's magic and version. */
    static void checkHeader(ByteBuffer header, Path path) {
        if (header.getInt(0) != MAGIC) {
            throw new CorruptionException(path, 0, "table magic", hex(MAGIC) + " (\"KVST\")", hex(header.getInt(0)));
        }
        if (header.getInt(4) != VERSION_CURRENT) {
            throw new CorruptionException(path, 4, "table format version", VERSION_CURRENT, header.getInt(4));
        }
    }

    static String hex(int value) {
        return String.format("0x%08X", value);
    }

    private static CorruptionException bad(Path path, long offset, String what, Object expected, Object actual) {
        return new CorruptionException(path, offset, what, expected, actual);
    }
}
