package dev.kvbook.btree;

import java.util.Arrays;

/**
 * One page of the file in memory: its number and its bytes, with big-endian accessors.
 *
 * <p>A page is the unit of everything in step 4: the pager reads and writes whole pages, the
 * buffer pool caches whole pages, and the tree's nodes are pages. Page {@code n} lives at byte
 * offset {@code n * pageSize} of the file; page 0 is the file header (see {@link HeaderFormat}),
 * so 0 also serves as "no page" in every pointer.
 *
 * <p><b>Read-only unless asked for.</b> A page handed out by {@link Pager#read} is for reading;
 * only a page handed out by {@link Pager#write} (or {@link Pager#extend}) may be changed, and the
 * setters assert it. In step 4 both are the same object, but in step 5 a read may return a
 * snapshot shared with other readers, so a tree that changed a page without asking would corrupt
 * them. The assertion catches such a tree in every test.
 *
 * <p>Not thread-safe on its own: the store's read/write lock guarantees that a page is changed
 * only while no reader looks at it.
 */
public final class Page {

    private final int number;
    private final byte[] bytes;
    private boolean writable;

    /** A page numbered {@code number} holding {@code bytes} (not copied: the page owns them now). */
    public Page(int number, byte[] bytes) {
        this.number = number;
        this.bytes = bytes;
    }

    /** The page's number: its position in the file, in pages. */
    public int number() {
        return number;
    }

    /** The page size in bytes. */
    public int size() {
        return bytes.length;
    }

    /** The backing array, for the pager to checksum and write. Not a copy. */
    public byte[] bytes() {
        return bytes;
    }

    /** A private copy of this page, read-only (step 5 uses copies as snapshots). */
    public Page copy() {
        return new Page(number, bytes.clone());
    }

    /** Whether the tree may change this page now. */
    public boolean isWritable() {
        return writable;
    }

    /** Called by a pager: allows or forbids changes (forbidden again at the end of each operation). */
    public void setWritable(boolean writable) {
        this.writable = writable;
    }

    // ---- reading ------------------------------------------------------------------------

    int u8(int offset) {
        return bytes[offset] & 0xff;
    }

    int u16(int offset) {
        return (bytes[offset] & 0xff) << 8 | bytes[offset + 1] & 0xff;
    }

    int i32(int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }

    byte[] slice(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    // ---- writing (only when writable) -------------------------------------------------------

    void putU8(int offset, int value) {
        assert writable : "page " + number + " changed without Pager.write";
        bytes[offset] = (byte) value;
    }

    void putU16(int offset, int value) {
        assert writable : "page " + number + " changed without Pager.write";
        assert value >= 0 && value <= 0xffff : value;
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    void putI32(int offset, int value) {
        assert writable : "page " + number + " changed without Pager.write";
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    void putBytes(int offset, byte[] source) {
        assert writable : "page " + number + " changed without Pager.write";
        System.arraycopy(source, 0, bytes, offset, source.length);
    }

    /** Moves {@code length} bytes from {@code from} to {@code to} within the page (overlap allowed). */
    void move(int from, int to, int length) {
        assert writable : "page " + number + " changed without Pager.write";
        System.arraycopy(bytes, from, bytes, to, length);
    }

    void clear() {
        assert writable : "page " + number + " changed without Pager.write";
        Arrays.fill(bytes, (byte) 0);
    }
}
