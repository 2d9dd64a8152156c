package dev.kvbook.btree;

/**
 * Pages by number: the seam between the B+tree and the disk.
 *
 * <p>The tree ({@link BTree}, {@link FreeList}, {@link OverflowChain}) does all its I/O through
 * this interface and knows nothing else about files: not when a page reaches the disk, not in
 * which order, not how durability is achieved. That is what lets step 5 slide a write-ahead log
 * under the same tree: its pager keeps changed pages in memory until commit and appends them to a
 * log, where {@link FilePager} writes them back into the file.
 *
 * <h2>The rules a tree follows</h2>
 * <ol>
 *   <li>Read pages with {@link #read}; never change a page obtained that way.</li>
 *   <li>To change page {@code n}, call {@link #write} and change the page it returns. That page
 *       stays in memory, writable, until {@link #commit}; a page from an earlier {@code read} of
 *       {@code n} may be a different, stale object.</li>
 *   <li>New pages come from {@link #extend} (the tree's free list decides between reusing a free
 *       page and extending).</li>
 *   <li>Call {@link #release} for a page the operation will not touch again (overflow pages), so
 *       a pager may evict it before the operation ends.</li>
 *   <li>Call {@link #commit} when one operation (a put, a delete) is complete: the pages written
 *       since the last commit, and the {@link #meta()}, form one consistent tree.</li>
 * </ol>
 * Pages are numbered from 1; page 0 belongs to the pager (the file header) and 0 means "none".
 */
public interface Pager extends AutoCloseable {

    /** The file the pages live in, for error messages. */
    java.nio.file.Path file();

    /** Bytes per page. */
    int pageSize();

    /** Pages in the file, page 0 included: every page number below this is valid. */
    int pageCount();

    /** Returns page {@code pageNumber} for reading, checked (checksum and structure) if it came from disk. */
    Page read(int pageNumber);

    /** Returns page {@code pageNumber} for changing: dirty and writable until the next {@link #commit}. */
    Page write(int pageNumber);

    /** Adds a page at the end of the file and returns it, zero-filled, dirty and writable. */
    Page extend();

    /** Tells the pager this operation will not touch page {@code pageNumber} again (a hint). */
    void release(int pageNumber);

    /** The tree's root, height, free list and counts as of the last {@link #setMeta}. */
    TreeMeta meta();

    /** Replaces the tree's metadata; made durable together with the pages. */
    void setMeta(TreeMeta meta);

    /** Ends one tree operation: its pages and metadata now form a consistent tree. */
    void commit();

    /** Makes every committed operation durable. */
    void sync();

    /** Flushes and closes; the pager is unusable afterwards. */
    @Override
    void close();
}
