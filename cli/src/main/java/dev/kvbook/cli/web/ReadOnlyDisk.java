package dev.kvbook.cli.web;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The disk as {@code kv web --read-only} lets a store see it: files open (a store opens its files
 * read-write, so opening is allowed) but through read-only channels, and every call that would
 * change a byte or a name is refused: a write, a truncate, a create, a delete, a rename, a new
 * directory. The store's exclusive lock becomes the readers' lock, so a writer in another process
 * is still kept out while the page looks, and the page may look while another reader does.
 *
 * <p>This is the backstop: the page refuses writing commands before they reach the store
 * ({@link WebStore#READ_VERBS}); this makes sure that opening and closing the store cannot change
 * anything either. A store that must write to open (one that recovers from a crash, one that
 * starts a new log or segment when it opens) fails to open here, and {@code kv web} says so.
 * A file sync does nothing: no byte was written, so there is nothing to make durable.
 */
final class ReadOnlyDisk extends ForwardingVfs {

    ReadOnlyDisk(Vfs delegate) {
        super(delegate);
    }

    private static UncheckedIOException refuse(String call, Path path) {
        return new UncheckedIOException("kv web --read-only: cannot " + call + " " + path,
                new FileSystemException(path.toString(), null, "read-only: kv web --read-only changes nothing"));
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        if (!delegate.exists(path)) {
            throw refuse("create", path);
        }
        return new ForwardingVfs.File(delegate.openReadOnly(path)) {
            @Override
            public void write(long position, ByteBuffer src) {
                throw refuse("write", path);
            }

            @Override
            public void truncate(long size) {
                throw refuse("truncate", path);
            }

            @Override
            public void sync() {
                // nothing was written through this file: nothing to make durable (and a read-only
                // channel may not be forced)
            }
        };
    }

    @Override
    public void delete(Path path) {
        throw refuse("delete", path);
    }

    @Override
    public void rename(Path from, Path to) {
        throw refuse("rename", from);
    }

    @Override
    public void createDirectories(Path dir) {
        if (!delegate.exists(dir)) {
            throw refuse("create the directory", dir);
        }
    }

    @Override
    public void syncDirectory(Path dir) {
        // nothing in it changed: nothing to make durable
    }

    @Override
    public Closeable lock(Path lockFile) {
        return delegate.lockShared(lockFile);
    }
}
