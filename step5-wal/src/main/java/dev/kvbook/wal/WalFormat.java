package dev.kvbook.wal;

import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The layout of the write-ahead log, {@code <file>-wal}: the spec of step 5's one new file.
 *
 * <h2>The file</h2>
 * A 32-byte header, then frames, each a 60-byte frame header and one whole page image. A
 * transaction is a run of frames, one per page it changed; its last frame is the <em>commit
 * frame</em>: it carries the page count and the tree's {@link TreeMeta} after the transaction.
 * <pre>
 *  0          32                  32 + F               32 + 2F
 *  +----------+-------------------+--------------------+-----  ...  --+----------------------+
 *  | header   | frame 1           | frame 2            |              | frame n (commit)     |
 *  +----------+---------+---------+---------+----------+              +---------+------------+
 *             | fhdr 60 | page    | fhdr 60 | page     |              | fhdr 60 | page       |
 *  F = 60 + pageSize; frame i starts at 32 + (i - 1) * F
 * </pre>
 *
 * <h2>Header (32 bytes: {@code 8 + 4 + 4 + 8 + 4 + 4})</h2>
 * <table>
 *   <caption>WAL header</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>8</td><td>magic: ASCII {@code KVB+WLOG}</td></tr>
 *   <tr><td>8</td><td>4</td><td>format version: 1</td></tr>
 *   <tr><td>12</td><td>4</td><td>page size of the data file</td></tr>
 *   <tr><td>16</td><td>8</td><td>generation: the sequence number of the data-file header this log follows (see {@link DataFile})</td></tr>
 *   <tr><td>24</td><td>4</td><td>salt: random, chosen each time the log is (re)started</td></tr>
 *   <tr><td>28</td><td>4</td><td>CRC32C of bytes [0, 28)</td></tr>
 * </table>
 *
 * <h2>Frame header (60 bytes: {@code 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 4})</h2>
 * <table>
 *   <caption>frame header</caption>
 *   <tr><th>offset</th><th>size</th><th>field</th></tr>
 *   <tr><td>0</td><td>4</td><td>page number the image belongs to (at least 1)</td></tr>
 *   <tr><td>4</td><td>4</td><td>frame number: this frame's place in the log, from 1</td></tr>
 *   <tr><td>8</td><td>8</td><td>generation, copied from the header</td></tr>
 *   <tr><td>16</td><td>4</td><td>salt, copied from the header</td></tr>
 *   <tr><td>20</td><td>4</td><td>synced frames: how many frames of this log were durable (fsynced) when this one was written</td></tr>
 *   <tr><td>24</td><td>4</td><td>commit page count: pages in the database after the transaction (commit frame); 0 for other frames</td></tr>
 *   <tr><td>28</td><td>4</td><td>root page after the transaction (commit frame; 0 otherwise)</td></tr>
 *   <tr><td>32</td><td>4</td><td>tree height (commit frame)</td></tr>
 *   <tr><td>36</td><td>4</td><td>free-list head (commit frame)</td></tr>
 *   <tr><td>40</td><td>4</td><td>free pages (commit frame)</td></tr>
 *   <tr><td>44</td><td>4</td><td>overflow pages (commit frame)</td></tr>
 *   <tr><td>48</td><td>8</td><td>key count (commit frame)</td></tr>
 *   <tr><td>56</td><td>4</td><td>CRC32C of frame-header bytes [0, 56) followed by the page image</td></tr>
 * </table>
 * The page image is the page exactly as it will be checkpointed into the data file, sealed with
 * its own step-4 checksum ({@link dev.kvbook.btree.PageFormat}). All integers are big-endian.
 *
 * <h2>Why each field</h2>
 * <ul>
 *   <li><b>Generation and salt</b> tie a frame to one life of the log. A checkpoint writes a newer
 *       data-file header and then restarts the log under that header's sequence number as its
 *       generation, with a new random salt, and may leave old frames behind the new
 *       header (a restart reuses the file rather than cutting it: invariant 6); they fail the
 *       comparison and are never replayed. The salt also keeps apart two stores whose generations happen to match.</li>
 *   <li><b>Frame number</b> catches a frame read from the wrong place.</li>
 *   <li><b>Synced frames</b> tell a torn tail from damage. Frames not yet fsynced may reach the disk
 *       in any order, or partly: a bad frame followed by good ones is normal after a crash <em>if</em>
 *       the bad one was never synced. But a good frame whose synced count covers a bad frame proves
 *       the bad frame was once durable: that is corruption, reported, never truncated. (Step 2
 *       records the same fact in its log records.)</li>
 *   <li><b>The commit frame</b> carries the tree's metadata, so the data file's header needs no
 *       update per transaction: recovery takes the metadata of the last commit.</li>
 * </ul>
 *
 * <h2>Worked example: a new 4 KiB store, after {@code put("a", "1")}</h2>
 * The data file's header at creation has sequence 2, so the first log's generation is 2; the
 * salt, random in real life, is fixed to 0x12345678 here.
 * <pre>
 * 0000: 4b 56 42 2b 57 4c 4f 47  00 00 00 01  00 00 10 00   "KVB+WLOG" | version 1 | page size 4096
 * 0010: 00 00 00 00 00 00 00 02  12 34 56 78  cf f3 47 40   generation 2 | salt | CRC32C
 * 0020: 00 00 00 01  00 00 00 01  00 00 00 00 00 00 00 02   frame 1: page 1 | frame number 1 | generation 2
 * 0030: 12 34 56 78  00 00 00 00  00 00 00 02               salt | 0 frames synced before it | commit: 2 pages
 * 003c: 00 00 00 01  00 00 00 01  00 00 00 00  00 00 00 00  root 1 | height 1 | free head 0 | free 0
 * 004c: 00 00 00 00  00 00 00 00 00 00 00 01  99 6a a6 c3   overflow 0 | 1 key | CRC32C (header + page)
 * 005c: (4096 bytes: page 1, a leaf holding "a" = "1", sealed with its own step-4 checksum)
 * </pre>
 * {@code src/test/resources/golden/one-commit.wal} holds exactly these 4188 bytes (32 + 60 + 4096),
 * and a test pins them.
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>The header is written and fsynced before the first frame, and rewritten only when every
 *       frame behind it is already in the data file (a checkpoint, or a log never committed to).</li>
 *   <li>Frames are only appended; frame i lies at {@code 32 + (i - 1) * (60 + pageSize)}, whatever
 *       the file held there before (zeros, or a frame of an earlier generation).</li>
 *   <li>A transaction is acknowledged only after an fsync that covers its commit frame.</li>
 *   <li>The committed log is the longest run of valid frames from frame 1 that ends in a commit
 *       frame; everything after it is a torn or uncommitted tail, which recovery cuts off.</li>
 *   <li>A frame whose synced count is at least i proves frames 1..i were durable: if one of them
 *       is invalid, the log is corrupt.</li>
 *   <li>The file may be longer than its frames. A checkpoint restarts the log by rewriting only
 *       the header (new generation, new salt) and leaves the old frames behind it; new frames
 *       overwrite them in place, so a commit's write lands in blocks the file already has and its
 *       fsync has no new size or allocation to record. An old frame fails the generation and salt
 *       comparison, so it ends the valid run like a torn frame and never counts as durable
 *       (invariant 5 looks only at frames of this log). Recovery cuts such a tail off.</li>
 *   <li>The file may also end in zeros: a log grows ahead of its frames by writing zeros
 *       (doubling its frame area, up to the checkpoint threshold), so that most commits overwrite
 *       space the file already has. A frame of zeros is never valid: its stored checksum is 0 but
 *       the CRC32C of 56 + pageSize zero bytes is not (a test checks every page size), and its
 *       page number 0 is impossible. So
 *       zeros end the valid run like a torn frame, and never count as durable.</li>
 * </ol>
 *
 * <h2>Where the log ends, when it is overwritten rather than appended</h2>
 * An appended log ends where the file ends. This one does not: behind its last frame the file may
 * hold zeros (invariant 7), frames of an older generation (invariant 6), a frame torn by the
 * crash, or a mix of all three (a crash while a recycled log was being overwritten leaves new
 * frames, then a torn one, then old ones). Recovery must therefore find the end from the frames
 * themselves, reading from frame 1 and stopping at the first frame that fails any of:
 * <ol>
 *   <li>its checksum (a torn frame, zeros);</li>
 *   <li>its generation and salt equal to the header's (a frame of an earlier life of the log:
 *       the checksum of an old frame is right, so the checksum alone would replay it);</li>
 *   <li>its frame number equal to its position (a frame of this life read from the wrong place).</li>
 * </ol>
 * The committed end is the last commit frame before that point, never the end of the file.
 * Comparing the generation alone is not enough where two logs' generations happen to match (two
 * stores, or a log started again under the same data-file header), which is why the salt, new at
 * every restart, is compared too. The crash tests plant exactly these mistakes and see them caught
 * ({@code WalEndSelfTest}).
 */
public final class WalFormat {

    /** The first 8 bytes of every log: {@code KVB+WLOG}. */
    public static final byte[] MAGIC = "KVB+WLOG".getBytes(StandardCharsets.US_ASCII);
    /** The first format version. */
    public static final int VERSION_1 = 1;
    /** The version this code writes and reads. */
    public static final int VERSION_CURRENT = VERSION_1;

    /** Bytes of the log header: magic, version, page size, generation, salt, checksum. */
    public static final int HEADER_SIZE = 8 + 4 + 4 + 8 + 4 + 4;
    /** Bytes of a frame header: page, frame number, generation, salt, synced, page count, meta (4 x 5 + 8), checksum. */
    public static final int FRAME_HEADER_SIZE = 4 + 4 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 4;

    // Header fields, at the offsets of the table above.
    private static final int VERSION_OFFSET = 8;
    /** Where the header's page size lies (named in corruption reports). */
    public static final int PAGE_SIZE_OFFSET = 12;
    /** Where the header's generation lies (named in corruption reports). */
    public static final int GENERATION_OFFSET = 16;
    private static final int SALT_OFFSET = 24;
    private static final int HEADER_CRC_OFFSET = 28;

    // Frame-header fields, at the offsets of the table above.
    private static final int PAGE_NUMBER_OFFSET = 0;
    private static final int FRAME_NUMBER_OFFSET = 4;
    private static final int FRAME_GENERATION_OFFSET = 8;
    private static final int FRAME_SALT_OFFSET = 16;
    private static final int SYNCED_FRAMES_OFFSET = 20;
    private static final int COMMIT_PAGE_COUNT_OFFSET = 24;
    private static final int ROOT_OFFSET = 28;
    private static final int HEIGHT_OFFSET = 32;
    private static final int FREE_HEAD_OFFSET = 36;
    private static final int FREE_PAGES_OFFSET = 40;
    private static final int OVERFLOW_PAGES_OFFSET = 44;
    private static final int KEY_COUNT_OFFSET = 48;
    private static final int FRAME_CRC_OFFSET = 56;

    static {
        // Invariant: each checksum is the last field of its header.
        assert HEADER_CRC_OFFSET == HEADER_SIZE - 4 && FRAME_CRC_OFFSET == FRAME_HEADER_SIZE - 4;
    }

    /**
     * What decoding found: the value, or why the bytes are not a valid one (exactly one is
     * non-null). A bad checksum is an answer here, not an exception: the caller decides whether
     * it is a torn tail or damage.
     *
     * @param value   the decoded value, or null
     * @param problem why the bytes are not valid, or null
     */
    public record Decoded<T>(T value, String problem) {

        public Decoded {
            assert (value == null) != (problem == null) : "exactly one of value and problem";
        }

        static <T> Decoded<T> valid(T value) {
            return new Decoded<>(value, null);
        }

        static <T> Decoded<T> invalid(String problem) {
            return new Decoded<>(null, problem);
        }

        /** Whether the bytes decoded to a valid value. */
        public boolean isValid() {
            return value != null;
        }
    }

    /**
     * A decoded log header.
     *
     * @param pageSize   page size of the data file
     * @param generation which life of the log this is
     * @param salt       random, new for every (re)start
     */
    public record Header(int pageSize, long generation, int salt) {
    }

    /**
     * A decoded frame header.
     *
     * @param pageNumber      the page the image belongs to
     * @param frameNumber     the frame's place in the log, from 1
     * @param generation      the log generation it was written in
     * @param salt            the log salt it was written under
     * @param syncedFrames    frames durable when it was written
     * @param commitPageCount pages after the transaction for a commit frame, else 0
     * @param meta            the tree after the transaction (commit frame), else {@link TreeMeta#EMPTY}
     */
    public record FrameHeader(int pageNumber, int frameNumber, long generation, int salt, int syncedFrames,
                              int commitPageCount, TreeMeta meta) {

        /** Whether this is the last frame of a transaction. */
        public boolean isCommit() {
            return commitPageCount != 0;
        }
    }

    private WalFormat() {
    }

    /** Bytes of one frame for pages of {@code pageSize}: {@code 60 + pageSize}. */
    public static int frameSize(int pageSize) {
        return FRAME_HEADER_SIZE + pageSize;
    }

    /** The byte offset of frame {@code frameNumber} (from 1). */
    public static long frameOffset(int frameNumber, int pageSize) {
        assert frameNumber >= 1 : frameNumber;
        return HEADER_SIZE + (long) (frameNumber - 1) * frameSize(pageSize);
    }

    /** Encodes a log header. */
    public static byte[] encodeHeader(Header header) {
        ByteBuffer bytes = ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(VERSION_CURRENT)
                .putInt(header.pageSize()).putLong(header.generation()).putInt(header.salt());
        bytes.putInt(crc(bytes.array(), HEADER_CRC_OFFSET, null));
        return bytes.array();
    }

    /**
     * Decodes a log header, or says why the bytes are not a valid one (wrong magic, version or
     * checksum: a log torn while being started, or damage).
     */
    public static Decoded<Header> decodeHeader(byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            return Decoded.invalid("the log is " + bytes.length + " bytes, shorter than its " + HEADER_SIZE + "-byte header");
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Decoded.invalid("magic: expected KVB+WLOG");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int stored = in.getInt(HEADER_CRC_OFFSET);
        int computed = crc(bytes, HEADER_CRC_OFFSET, null);
        if (stored != computed) {
            return Decoded.invalid(String.format("header checksum: expected 0x%08x but found 0x%08x", computed, stored));
        }
        int version = in.getInt(VERSION_OFFSET);
        if (version != VERSION_CURRENT) {
            return Decoded.invalid("format version: expected " + VERSION_CURRENT + " but found " + version);
        }
        Header header = new Header(in.getInt(PAGE_SIZE_OFFSET), in.getLong(GENERATION_OFFSET), in.getInt(SALT_OFFSET));
        if (header.generation() < 1) {
            return Decoded.invalid("generation " + header.generation() + " impossible");
        }
        return Decoded.valid(header);
    }

    /** Encodes a frame header whose checksum covers it and {@code page} (the sealed page image). */
    public static byte[] encodeFrameHeader(FrameHeader frame, byte[] page) {
        TreeMeta m = frame.meta();
        ByteBuffer bytes = ByteBuffer.allocate(FRAME_HEADER_SIZE).putInt(frame.pageNumber()).putInt(frame.frameNumber())
                .putLong(frame.generation()).putInt(frame.salt()).putInt(frame.syncedFrames())
                .putInt(frame.commitPageCount()).putInt(m.rootPage()).putInt(m.height()).putInt(m.freeListHead())
                .putInt(m.freePages()).putInt(m.overflowPages()).putLong(m.keyCount());
        bytes.putInt(crc(bytes.array(), FRAME_CRC_OFFSET, page));
        return bytes.array();
    }

    /**
     * Decodes the frame whose header is {@code header} and image {@code page}, or says why it is
     * not valid: a bad checksum, or a checksum that is right but fields that are impossible. Does
     * not compare generation and salt (the caller knows the log's).
     */
    public static Decoded<FrameHeader> decodeFrame(byte[] header, byte[] page) {
        ByteBuffer in = ByteBuffer.wrap(header);
        int stored = in.getInt(FRAME_CRC_OFFSET);
        int computed = crc(header, FRAME_CRC_OFFSET, page);
        if (stored != computed) {
            return Decoded.invalid(String.format("frame checksum: expected 0x%08x but found 0x%08x", computed, stored));
        }
        TreeMeta meta = new TreeMeta(in.getInt(ROOT_OFFSET), in.getInt(HEIGHT_OFFSET), in.getInt(FREE_HEAD_OFFSET),
                in.getInt(FREE_PAGES_OFFSET), in.getInt(OVERFLOW_PAGES_OFFSET), in.getLong(KEY_COUNT_OFFSET));
        FrameHeader frame = new FrameHeader(in.getInt(PAGE_NUMBER_OFFSET), in.getInt(FRAME_NUMBER_OFFSET),
                in.getLong(FRAME_GENERATION_OFFSET), in.getInt(FRAME_SALT_OFFSET), in.getInt(SYNCED_FRAMES_OFFSET),
                in.getInt(COMMIT_PAGE_COUNT_OFFSET), meta);
        boolean sane = frame.pageNumber() >= 1 && frame.frameNumber() >= 1 && frame.syncedFrames() >= 0
                && frame.syncedFrames() < frame.frameNumber() && frame.commitPageCount() >= 0
                && (!frame.isCommit() || frame.pageNumber() < frame.commitPageCount());
        return sane ? Decoded.valid(frame) : Decoded.invalid("frame fields impossible: " + frame);
    }

    /** CRC32C of {@code bytes[0, length)}, then of {@code more} when given. */
    private static int crc(byte[] bytes, int length, byte[] more) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        if (more != null) {
            crc.update(more, 0, more.length);
        }
        return (int) crc.getValue();
    }
}
