package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The layout of page 0, the file header: magic, version, page size, where the tree is, and the
 * clean/dirty flag that is step 4's whole crash story.
 *
 * <h2>Two slots, because the header is overwritten in place</h2>
 * The header changes on every sync, and a crash can tear the write that changes it. So page 0
 * holds <em>two</em> copies, slot 0 at byte 0 and slot 1 at byte 512, each 64 bytes with its own
 * CRC32C and a sequence number. Header write number {@code s} goes to slot {@code s % 2}, so it
 * never overwrites the newest valid copy; a reader takes the valid slot with the higher sequence.
 * A slot lies inside one 512-byte sector, the unit a disk writes all or nothing, and even a
 * garbled sector is caught by the checksum.
 * <pre>
 *  0                 64               512                576               pageSize
 *  +-----------------+----------------+------------------+-----------------+
 *  | slot 0 (s even) | zeros          | slot 1 (s odd)   | zeros           |
 *  +-----------------+----------------+------------------+-----------------+
 * </pre>
 *
 * <h2>One slot (64 bytes: {@code 8 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 4})</h2>
 * <table>
 *   <caption>header slot</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic: ASCII {@code KVB+TREE}</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version: 1</td></tr>
 *   <tr><td>12</td><td>4</td><td>page size in bytes</td></tr>
 *   <tr><td>16</td><td>8</td><td>sequence: 1 for the header written at creation, +1 for every header write</td></tr>
 *   <tr><td>24</td><td>4</td><td>state: {@link #STATE_CLEAN} or {@link #STATE_DIRTY}</td></tr>
 *   <tr><td>28</td><td>4</td><td>page count: pages in the file, this one included</td></tr>
 *   <tr><td>32</td><td>4</td><td>root page (0: no tree yet)</td></tr>
 *   <tr><td>36</td><td>4</td><td>tree height (0: no tree, 1: the root is a leaf)</td></tr>
 *   <tr><td>40</td><td>4</td><td>free-list head (0: empty)</td></tr>
 *   <tr><td>44</td><td>4</td><td>free pages</td></tr>
 *   <tr><td>48</td><td>4</td><td>overflow pages</td></tr>
 *   <tr><td>52</td><td>8</td><td>key count</td></tr>
 *   <tr><td>60</td><td>4</td><td>CRC32C of bytes [0, 60) of the slot</td></tr>
 * </table>
 *
 * <h2>The clean flag protocol</h2>
 * <ol>
 *   <li>At rest the newest slot says CLEAN, and the pages agree with it.</li>
 *   <li>Before the first page write after a clean point, a DIRTY header (sequence + 1) is written
 *       and fsynced. From then on a crash leaves a file whose newest slot says DIRTY.</li>
 *   <li>{@code sync()} writes every dirty page, fsyncs, writes a CLEAN header (sequence + 1, the
 *       other slot) and fsyncs again.</li>
 * </ol>
 * A torn DIRTY write (step 2) leaves the older CLEAN slot newest, and no page was touched yet; a
 * torn or lost CLEAN write (step 3) leaves the DIRTY slot newest, and the store refuses to open.
 * Either way nothing is misread.
 *
 * <h2>Worked example: the header of a new 4 KiB store (slot 1, sequence 1)</h2>
 * <pre>
 * 0200: 4b 56 42 2b 54 52 45 45  00 00 00 01  00 00 10 00   "KVB+TREE" | version 1 | page size 4096
 * 0210: 00 00 00 00 00 00 00 01  00 00 00 01  00 00 00 01   sequence 1 | CLEAN | 1 page
 * 0220: 00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00  root 0 | height 0 | free head 0 | free 0
 * 0230: 00 00 00 00  00 00 00 00 00 00 00 00  e8 dc 97 19   overflow 0 | keys 0 | CRC32C
 * </pre>
 * Slot 0 is all zeros (never written yet). {@code src/test/resources/golden/empty-store.db}
 * holds this page, and a test pins it.
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>At least one slot is valid (magic, checksum, version), or the file is not usable.</li>
 *   <li>After a clean close the newest slot is CLEAN and the file is {@code pageCount * pageSize} bytes.</li>
 *   <li>No page is written while the newest durable slot says CLEAN.</li>
 *   <li>Bytes of page 0 outside the two slots are zero.</li>
 * </ol>
 */
public final class HeaderFormat {

    /** The first 8 bytes of every step-4 file: {@code KVB+TREE}. */
    public static final byte[] MAGIC = "KVB+TREE".getBytes(StandardCharsets.US_ASCII);
    /** The first format version. */
    public static final int VERSION_1 = 1;
    /** The version this code writes and reads. */
    public static final int VERSION_CURRENT = VERSION_1;

    /** Bytes of one slot. */
    public static final int SLOT_SIZE = 8 + 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 4;
    /** Slot {@code i} starts at {@code i * SLOT_STRIDE}: one 512-byte sector each. */
    public static final int SLOT_STRIDE = 512;
    /** Bytes of page 0 that hold the two slots. */
    public static final int HEADER_AREA = 2 * SLOT_STRIDE;

    /** The file was closed or synced, and nothing has been written since. Frozen code. */
    public static final int STATE_CLEAN = 1;
    /** Pages may have been written since the last clean point. Frozen code. */
    public static final int STATE_DIRTY = 2;

    /** No tree has more levels: a branch has at least two children, and there are fewer than 2^31 pages. */
    public static final int MAX_HEIGHT = 32;

    private static final int CRC_OFFSET = SLOT_SIZE - 4;

    /**
     * One header copy, decoded.
     *
     * @param pageSize  page size in bytes
     * @param sequence  which header write this is
     * @param state     {@link #STATE_CLEAN} or {@link #STATE_DIRTY}
     * @param pageCount pages in the file, page 0 included
     * @param meta      where the tree is
     */
    public record Header(int pageSize, long sequence, int state, int pageCount, TreeMeta meta) {

        /** Whether the header says the file was left clean. */
        public boolean isClean() {
            return state == STATE_CLEAN;
        }
    }

    /** What one slot holds: a header, or why it is not a valid one. */
    public record Slot(int index, Header header, String problem) {
    }

    private HeaderFormat() {
    }

    /** The byte offset of the slot a header with {@code sequence} goes to. */
    public static int slotOffset(long sequence) {
        return (int) (sequence % 2) * SLOT_STRIDE;
    }

    /** Encodes {@code header} as one 64-byte slot. */
    public static byte[] encode(Header header) {
        return encode(header, MAGIC);
    }

    /**
     * Encodes {@code header} as one 64-byte slot that starts with {@code magic} (8 bytes) instead
     * of {@link #MAGIC}. Step 5 keeps its data file in this same layout under its own magic, so
     * that step 4 refuses to open it (which would ignore the write-ahead log beside it).
     */
    public static byte[] encode(Header header, byte[] magic) {
        assert magic.length == MAGIC.length : "a magic is 8 bytes";
        TreeMeta meta = header.meta();
        ByteBuffer slot = ByteBuffer.allocate(SLOT_SIZE)
                .put(magic).putInt(VERSION_CURRENT).putInt(header.pageSize()).putLong(header.sequence())
                .putInt(header.state()).putInt(header.pageCount()).putInt(meta.rootPage()).putInt(meta.height())
                .putInt(meta.freeListHead()).putInt(meta.freePages()).putInt(meta.overflowPages())
                .putLong(meta.keyCount());
        slot.putInt(crc(slot.array()));
        return slot.array();
    }

    /** Decodes slot {@code index} of the header area; never throws. */
    public static Slot decode(byte[] area, int index) {
        return decode(area, index, MAGIC);
    }

    /** Decodes slot {@code index} of a header area whose slots start with {@code expectedMagic}; never throws. */
    public static Slot decode(byte[] area, int index, byte[] expectedMagic) {
        ByteBuffer slot = ByteBuffer.wrap(area, index * SLOT_STRIDE, SLOT_SIZE).slice();
        byte[] magic = new byte[MAGIC.length];
        slot.get(magic);
        if (!Arrays.equals(magic, expectedMagic)) {
            return new Slot(index, null, "no magic (expected " + printable(expectedMagic) + ", found " + printable(magic) + ")");
        }
        int stored = slot.getInt(CRC_OFFSET);
        int computed = crc(Arrays.copyOfRange(area, index * SLOT_STRIDE, index * SLOT_STRIDE + SLOT_SIZE));
        if (stored != computed) {
            return new Slot(index, null, String.format("checksum expected 0x%08x but found 0x%08x (torn by a crash, or damaged)",
                    computed, stored));
        }
        int version = slot.getInt();
        if (version != VERSION_CURRENT) {
            return new Slot(index, null, "format version expected " + VERSION_CURRENT + " but found " + version);
        }
        Header header = new Header(slot.getInt(), slot.getLong(), slot.getInt(), slot.getInt(),
                new TreeMeta(slot.getInt(), slot.getInt(), slot.getInt(), slot.getInt(), slot.getInt(), slot.getLong()));
        String nonsense = nonsense(header);
        return nonsense == null ? new Slot(index, header, null) : new Slot(index, null, nonsense);
    }

    /**
     * Returns the header to trust: the valid slot with the higher sequence. Throws
     * {@link CorruptionException} when neither slot is valid, saying why for each.
     */
    public static Header newest(byte[] area, Path file) {
        return newest(area, file, MAGIC, "step-4 B+tree");
    }

    /**
     * Reads the header area of {@code file}, returns its newest valid header ({@link #newest}), and
     * checks that the file holds every page the header counts. Step 4's pager and step 5's data
     * file both open this way; only the magic differs. Two reads of the file's metadata and one of
     * {@link #HEADER_AREA} bytes.
     *
     * @throws CorruptionException when the file is shorter than the header area or than its pages,
     *                             or neither header slot is valid
     */
    public static Header read(VfsFile file, Path path, byte[] magic, String kind) {
        long size = file.size();
        if (size < HEADER_AREA) {
            throw new CorruptionException(path, size, "file length", "at least " + HEADER_AREA
                    + " bytes (the two header slots)", size + " bytes");
        }
        ByteBuffer area = ByteBuffer.allocate(HEADER_AREA);
        file.readFully(0, area);
        Header header = newest(area.array(), path, magic, kind);
        long expected = (long) header.pageCount() * header.pageSize();
        if (size < expected) {
            throw new CorruptionException(path, size, "file length (the header counts " + header.pageCount() + " pages)",
                    "at least " + expected + " bytes", size + " bytes");
        }
        return header;
    }

    /** As {@link #newest(byte[], Path)}, for a header area under {@code magic}, belonging to a {@code kind} of file. */
    public static Header newest(byte[] area, Path file, byte[] magic, String kind) {
        Slot first = decode(area, 0, magic);
        Slot second = decode(area, 1, magic);
        if (first.header() == null && second.header() == null) {
            String what = first.problem().startsWith("no magic") && second.problem().startsWith("no magic")
                    ? "not a " + kind + " file: " : "no valid header: ";
            throw new CorruptionException(file, 0, what + "slot 0 at offset 0: " + first.problem()
                    + "; slot 1 at offset " + SLOT_STRIDE + ": " + second.problem(), null);
        }
        if (first.header() == null) {
            return second.header();
        }
        if (second.header() == null) {
            return first.header();
        }
        return first.header().sequence() > second.header().sequence() ? first.header() : second.header();
    }

    /** Whether the header area starts (in either slot) with the magic: how a tool recognizes the file. */
    public static boolean hasMagic(byte[] area) {
        return hasMagic(area, MAGIC);
    }

    /** Whether the header area starts (in either slot) with {@code magic}. */
    public static boolean hasMagic(byte[] area, byte[] magic) {
        for (int index = 0; index < 2; index++) {
            if (area.length >= index * SLOT_STRIDE + MAGIC.length
                    && Arrays.equals(area, index * SLOT_STRIDE, index * SLOT_STRIDE + MAGIC.length, magic, 0, MAGIC.length)) {
                return true;
            }
        }
        return false;
    }

    /** What is impossible about a header whose checksum is right, or null. */
    private static String nonsense(Header h) {
        TreeMeta m = h.meta();
        if (!PageFormat.isValidPageSize(h.pageSize())) {
            return "page size " + h.pageSize() + " is not a power of two from 4096 to 32768";
        }
        if (h.state() != STATE_CLEAN && h.state() != STATE_DIRTY) {
            return "state expected 1 (clean) or 2 (dirty) but found " + h.state();
        }
        if (h.pageCount() < 1 || h.sequence() < 1 || m.keyCount() < 0) {
            return "page count " + h.pageCount() + ", sequence " + h.sequence() + ", key count " + m.keyCount() + " impossible";
        }
        boolean pagesInRange = m.rootPage() >= 0 && m.rootPage() < h.pageCount() && m.freeListHead() >= 0
                && m.freeListHead() < h.pageCount() && m.freePages() >= 0 && m.freePages() < h.pageCount()
                && m.overflowPages() >= 0 && m.overflowPages() < h.pageCount();
        if (!pagesInRange) {
            return "root " + m.rootPage() + ", free head " + m.freeListHead() + ", free pages " + m.freePages()
                    + ", overflow pages " + m.overflowPages() + " must all be below the page count " + h.pageCount();
        }
        if (m.height() < 0 || m.height() > MAX_HEIGHT || (m.rootPage() == 0) != (m.height() == 0)) {
            return "root " + m.rootPage() + " with height " + m.height() + " impossible";
        }
        return null;
    }

    private static int crc(byte[] slot) {
        CRC32C crc = new CRC32C();
        crc.update(slot, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }

    private static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff));
        }
        return text.toString();
    }
}
