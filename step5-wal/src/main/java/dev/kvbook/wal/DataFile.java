package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.PageFormat;
import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The data file, {@code <file>}: step 4's file layout, written only by checkpoints.
 *
 * <p><b>Format.</b> Exactly step 4's: page 0 holds two header slots ({@link HeaderFormat}), every
 * other page is a step-4 page ({@link PageFormat}), so the step-4 checker and inspector read it.
 * One difference: the slots start with the magic {@code KVB+WTRE} instead of {@code KVB+TREE}.
 * Step 4 therefore refuses this file ("not a step-4 B+tree file"), as it must: opened without its
 * log, the file would show an old state and step 4 would write over pages the log still needs.
 *
 * <p><b>No clean flag.</b> Step 4 marks its file DIRTY before writing pages in place, because a
 * crash then leaves a half-old, half-new tree it cannot repair. Here the data file is a cache of
 * the log: between checkpoints nothing writes to it, and a checkpoint writes only page versions
 * the log still holds. A crash in the middle of a checkpoint leaves a mixed file, but recovery
 * reads every page the checkpoint was writing from the log. So the state field is always CLEAN.
 *
 * <p><b>The header is written twice per checkpoint</b>, sequence s+1 then s+2 with the same
 * content, each fsynced: the second write goes to the slot of the first, so one copy stays valid
 * while the other is written (the step-4 two-slot rule), and at rest both copies agree, so a
 * damaged slot is survivable. The log started after a checkpoint takes the newest sequence as its
 * generation ({@link WalFormat}); a log older than the newest header is known to be copied.
 *
 * <p>Not thread-safe on its own: reads may run concurrently (positional reads), writes happen
 * only in checkpoints, which exclude readers.
 */
final class DataFile implements AutoCloseable {

    /** The first 8 bytes of each header slot of a step-5 data file: {@code KVB+WTRE}. */
    static final byte[] MAGIC = "KVB+WTRE".getBytes(StandardCharsets.US_ASCII);

    private final Path path;
    private final VfsFile file;
    private final int pageSize;
    private HeaderFormat.Header header;

    private DataFile(Path path, VfsFile file, HeaderFormat.Header header) {
        this.path = path;
        this.file = file;
        this.pageSize = header.pageSize();
        this.header = header;
    }

    /**
     * Opens the data file, creating it (empty, with {@code pageSize} pages) when missing. Reads
     * and checks the header and the length.
     *
     * @throws CorruptionException no valid header slot, or the file is shorter than its header says
     */
    static DataFile open(Vfs vfs, Path path, int pageSize) {
        if (!vfs.exists(path)) {
            create(vfs, path, pageSize);
        }
        return withCheckedHeader(path, vfs.open(path, false));
    }

    /**
     * Opens an existing data file read-only ({@link Vfs#openReadOnly}), creating nothing: for
     * verify and inspect, which only read, so they work on read-only media. Writes through it fail.
     */
    static DataFile openReadOnly(Vfs vfs, Path path) {
        return withCheckedHeader(path, vfs.openReadOnly(path));
    }

    /** The data file in the open {@code file}, once its header checks out; closes the file when it does not. */
    private static DataFile withCheckedHeader(Path path, VfsFile file) {
        try {
            return new DataFile(path, file, HeaderFormat.read(file, path, MAGIC, "step-5 data"));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Creates an empty data file without ever exposing a half-written one ({@link AtomicReplace}):
     * page 0 with both slots (sequences 1 and 2) goes to {@code <file>.new}, which is fsynced,
     * renamed over {@code <file>}, and the directory fsynced.
     */
    private static void create(Vfs vfs, Path path, int pageSize) {
        byte[] page0 = new byte[pageSize];
        for (long sequence = 1; sequence <= 2; sequence++) {
            byte[] slot = HeaderFormat.encode(new HeaderFormat.Header(pageSize, sequence, HeaderFormat.STATE_CLEAN, 1,
                    TreeMeta.EMPTY), MAGIC);
            System.arraycopy(slot, 0, page0, HeaderFormat.slotOffset(sequence), slot.length);
        }
        AtomicReplace.replace(vfs, path, path.resolveSibling(path.getFileName() + ".new"), ByteBuffer.wrap(page0));
    }

    Path path() {
        return path;
    }

    int pageSize() {
        return pageSize;
    }

    /** The newest valid header: the tree as of the last checkpoint. */
    HeaderFormat.Header header() {
        return header;
    }

    /** Reads page {@code number} and checks it (checksum, number, structure). One read of a page. */
    Page read(int number) {
        if (number < 1 || number >= header.pageCount()) {
            throw new CorruptionException(path, -1, "page number in the data file", "1 to " + (header.pageCount() - 1),
                    number);
        }
        long offset = (long) number * pageSize;
        ByteBuffer bytes = ByteBuffer.allocate(pageSize);
        file.readFully(offset, bytes);
        Page page = new Page(number, bytes.array());
        PageFormat.verify(page, path, offset);
        return page;
    }

    /** Writes a sealed page image in place (checkpoints only). */
    void write(Page page) {
        file.write((long) page.number() * pageSize, ByteBuffer.wrap(page.bytes()));
    }

    /** fsync. */
    void sync() {
        file.sync();
    }

    /**
     * Writes the header for a finished checkpoint twice, each copy fsynced: sequence s+1 into the
     * slot not holding the newest, then s+2 into the other. Returns the new newest sequence,
     * which becomes the next log's generation. Two writes and two fsyncs.
     */
    long writeHeaderTwice(TreeMeta meta, int pageCount) {
        for (int copy = 0; copy < 2; copy++) {
            HeaderFormat.Header next = new HeaderFormat.Header(pageSize, header.sequence() + 1, HeaderFormat.STATE_CLEAN,
                    pageCount, meta);
            // Invariant: a header write never goes to the slot holding the newest valid header.
            assert HeaderFormat.slotOffset(next.sequence()) != HeaderFormat.slotOffset(header.sequence());
            file.write(HeaderFormat.slotOffset(next.sequence()), ByteBuffer.wrap(HeaderFormat.encode(next, MAGIC)));
            file.sync();
            header = next;
        }
        return header.sequence();
    }

    /** The file's length in bytes. */
    long size() {
        return file.size();
    }

    @Override
    public void close() {
        file.close();
    }
}
