package dev.kvbook.lsm;

import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one sorted table ({@link TableFormat}) from cells given in key order: data blocks as
 * they fill, then the Bloom filter, the index and the footer, then an fsync. A flush writes one
 * table; a compaction writes a run of them, starting a new one whenever the last passes the
 * target size.
 *
 * <p>The writer owns the file: {@link #finish} fsyncs and closes it, {@link #abandon} closes it.
 *
 * <p>Writes go out in chunks of about 64 KiB (several blocks per write call). The file is the
 * caller's, new and empty; nothing names it until the manifest does, so a crash part way leaves
 * garbage that the next open deletes.
 *
 * <p>Not thread-safe: one writer per table.
 */
final class TableWriter {

    private static final int WRITE_CHUNK = 64 * 1024;

    private final VfsFile file;
    private final Path path;
    private final long number;
    private final int blockSize;
    private final int bitsPerKey;
    private final List<TableFormat.IndexEntry> index = new ArrayList<>();
    private long[] keyHashes = new long[64];
    private ByteBuffer pending = ByteBuffer.allocate(WRITE_CHUNK * 2);
    private long pendingAt;
    private int blockStart;
    private int blockEntries;
    private long cells;
    private byte[] smallest;
    private byte[] lastKey;
    private boolean closed;

    /** A writer of table {@code number} into the empty {@code file}; writes nothing yet. */
    TableWriter(VfsFile file, Path path, long number, int blockSize, int bitsPerKey) {
        this.file = file;
        this.path = path;
        this.number = number;
        this.blockSize = blockSize;
        this.bitsPerKey = bitsPerKey;
        pending.put(TableFormat.encodeHeader());
        blockStart = pending.position();
    }

    /** Adds the next cell; its key must sort after the last one's. O(cell size), now and then a write. */
    void add(Cell cell) {
        // Invariant 3 of TableFormat: strictly increasing keys.
        assert lastKey == null || Keys.COMPARATOR.compare(lastKey, cell.key()) < 0
                : Keys.toDisplay(cell.key()) + " after " + Keys.toDisplay(lastKey);
        // LAB:BEGIN step6.table-writer — Add a cell to the open data block, remember its key and hash, and close the block once it is full
        ensureRoom(cell.encodedSize() + TableFormat.BLOCK_TRAILER_SIZE);
        TableFormat.putEntry(pending, cell);
        blockEntries++;
        if (smallest == null) {
            smallest = cell.key();
        }
        lastKey = cell.key(); // the index entry of the block names its last key
        if (cells == keyHashes.length) {
            keyHashes = Arrays.copyOf(keyHashes, keyHashes.length * 2);
        }
        keyHashes[(int) cells++] = BloomFilter.hash(cell.key()); // the filter is sized and filled at finish
        if (pending.position() - blockStart >= blockSize) {
            finishBlock(); // a block closes at the first cell that takes it to blockSize or past
        }
        // LAB:END
    }

    /** Bytes written or buffered so far: what a compaction compares with its target table size. */
    long size() {
        return pendingAt + pending.position();
    }

    /** Whether no cell was added. */
    boolean isEmpty() {
        return cells == 0;
    }

    /**
     * Writes the last block, the filter, the index and the footer, and fsyncs the file. Returns
     * what the manifest records of the table. One write per 64 KiB, one fsync.
     */
    TableInfo finish() {
        if (cells == 0) {
            throw new IllegalStateException("a table holds at least one cell (" + path + ")");
        }
        try {
            return writeTail();
        } catch (RuntimeException e) {
            abandon(e);
            throw e;
        }
    }

    private TableInfo writeTail() {
        if (blockEntries > 0) {
            finishBlock();
        }
        BloomFilter filter = BloomFilter.forKeys((int) cells, bitsPerKey);
        for (int i = 0; i < cells; i++) {
            filter.addHash(keyHashes[i]);
        }
        ByteBuffer filterBlock = TableFormat.encodeFilter(filter);
        long filterOffset = size();
        write(filterBlock);
        ByteBuffer indexBlock = TableFormat.encodeIndex(index);
        long indexOffset = size();
        write(indexBlock);
        write(new TableFormat.Footer(filterOffset, filterBlock.limit(), indexOffset, indexBlock.limit(), cells).encode());
        flushPending();
        file.sync();
        closed = true;
        file.close();
        return new TableInfo(number, size(), smallest, lastKey);
    }

    /** Gives up on the table after {@code failure}: closes the file, which stays as garbage for open to delete. */
    void abandon(RuntimeException failure) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } catch (RuntimeException second) {
            failure.addSuppressed(second);
        }
    }

    private void finishBlock() {
        TableFormat.finishBlock(pending, blockStart, blockEntries);
        int blockLength = pending.position() - blockStart;
        index.add(new TableFormat.IndexEntry(lastKey, pendingAt + blockStart, blockLength));
        blockEntries = 0;
        if (pending.position() >= WRITE_CHUNK) {
            flushPending();
        }
        blockStart = pending.position();
    }

    private void write(ByteBuffer bytes) {
        ensureRoom(bytes.remaining());
        pending.put(bytes);
        blockStart = pending.position();
    }

    /** Makes room for {@code n} more bytes in the pending buffer, growing it if one block needs more. */
    private void ensureRoom(int n) {
        if (pending.remaining() >= n) {
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + n));
        pending.flip();
        bigger.put(pending);
        pending = bigger;
    }

    /** Writes out everything before the open block (the whole buffer when no block is open). */
    private void flushPending() {
        int upTo = blockEntries > 0 ? blockStart : pending.position();
        if (upTo == 0) {
            return;
        }
        file.write(pendingAt, pending.duplicate().position(0).limit(upTo));
        ByteBuffer rest = pending.duplicate().position(upTo).limit(pending.position()).slice();
        pending.clear();
        pending.put(rest);
        pendingAt += upTo;
        blockStart -= upTo;
    }
}
