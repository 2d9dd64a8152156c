package dev.kvbook.btree;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A store file opened for looking, not for using: the two header slots and any page, read
 * straight from disk without the pager, the buffer pool or the clean-flag check. The
 * {@link TreeChecker} and the inspector read through this, so they work on files the store
 * itself refuses to open (not closed cleanly, damaged) and never depend on the code they check.
 * Every failure comes back as a problem string, never as an exception.
 */
final class PageFile implements AutoCloseable {

    final Path path;
    final VfsFile file;
    final long size;
    final HeaderFormat.Slot[] slots;
    /** The header to trust, or null when neither slot is valid. */
    final HeaderFormat.Header header;
    final List<String> problems = new ArrayList<>();

    private PageFile(Path path, VfsFile file, long size, HeaderFormat.Slot[] slots, HeaderFormat.Header header) {
        this.path = path;
        this.file = file;
        this.size = size;
        this.slots = slots;
        this.header = header;
    }

    /** Opens {@code path} read-only and decodes its header; problems go to {@link #problems}. Null if unreadable. */
    static PageFile open(Vfs vfs, Path path, List<String> problems) {
        if (!vfs.exists(path)) {
            problems.add(path + ": no such file");
            return null;
        }
        VfsFile file;
        long size;
        try {
            file = vfs.openReadOnly(path);
            size = file.size();
        } catch (UncheckedIOException e) {
            problems.add(path + ": cannot be read: " + e.getMessage());
            return null;
        }
        if (size < HeaderFormat.HEADER_AREA) {
            problems.add("file length: expected at least " + HeaderFormat.HEADER_AREA + " bytes (the two header slots) but found " + size);
            file.close();
            return null;
        }
        byte[] area = new byte[HeaderFormat.HEADER_AREA];
        file.readFully(0, ByteBuffer.wrap(area));
        HeaderFormat.Slot[] slots = {HeaderFormat.decode(area, 0), HeaderFormat.decode(area, 1)};
        HeaderFormat.Header header = null;
        try {
            header = HeaderFormat.newest(area, path);
        } catch (CorruptionException e) {
            problems.add(e.getMessage());
        }
        return new PageFile(path, file, size, slots, header);
    }

    int pageSize() {
        return header.pageSize();
    }

    int pageCount() {
        return header.pageCount();
    }

    /** The number of whole pages the file really holds (it may be shorter than the header says). */
    long pagesOnDisk() {
        return size / header.pageSize();
    }

    /** Reads and verifies page {@code number}; on any damage adds a problem and returns null. */
    Page read(int number) {
        if (number < 1 || number >= header.pageCount()) {
            problems.add("page number " + number + " is outside 1.." + (header.pageCount() - 1));
            return null;
        }
        if (number >= pagesOnDisk()) {
            problems.add("page " + number + " lies past the end of the file (" + size + " bytes)");
            return null;
        }
        long offset = (long) number * header.pageSize();
        byte[] bytes = new byte[header.pageSize()];
        try {
            file.readFully(offset, ByteBuffer.wrap(bytes));
            Page page = new Page(number, bytes);
            PageFormat.verify(page, path, offset);
            return page;
        } catch (CorruptionException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Reads page 0 whole (the header page). */
    byte[] headerPage() {
        byte[] bytes = new byte[(int) Math.min(size, header == null ? HeaderFormat.HEADER_AREA : header.pageSize())];
        file.readFully(0, ByteBuffer.wrap(bytes));
        return bytes;
    }

    @Override
    public void close() {
        file.close();
    }
}
