package dev.kvbook.wal;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A deliberately broken file system for the crash tests' self-test: it passes every call through
 * to another {@link Vfs}, except that it silently drops {@link VfsFile#sync()} on the log (a path
 * ending in {@code -wal}). The store believes its commits are durable; after a power cut they are
 * not. Every other fsync, of the data file and of the directory, still happens, so a checkpoint
 * still makes what it copies durable: only the log's promise is broken.
 *
 * <p>With {@code skip} false it drops nothing: the same wrapper, as a control.
 *
 * <p>Test-only, and never for data anyone wants to keep.
 */
final class SkipsWalFsyncVfs implements Vfs {

    private final Vfs delegate;
    private final boolean skip;

    SkipsWalFsyncVfs(Vfs delegate, boolean skip) {
        this.delegate = delegate;
        this.skip = skip;
    }

    private static boolean isLog(Path path) {
        return path.getFileName().toString().endsWith("-wal");
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        if (!skip || !isLog(path)) {
            return file;
        }
        return new VfsFile() {
            @Override public void readFully(long position, ByteBuffer dst) { file.readFully(position, dst); }
            @Override public void write(long position, ByteBuffer src) { file.write(position, src); }
            @Override public long size() { return file.size(); }
            @Override public void truncate(long size) { file.truncate(size); }
            @Override public void sync() { } // the flaw: the log's fsync never reaches the disk
            @Override public void close() { file.close(); }
        };
    }

    @Override public boolean exists(Path path) { return delegate.exists(path); }
    @Override public void delete(Path path) { delegate.delete(path); }
    @Override public void rename(Path from, Path to) { delegate.rename(from, to); }
    @Override public List<Path> list(Path dir) { return delegate.list(dir); }
    @Override public void createDirectories(Path dir) { delegate.createDirectories(dir); }
    @Override public void syncDirectory(Path dir) { delegate.syncDirectory(dir); }
    @Override public Closeable lock(Path lockFile) { return delegate.lock(lockFile); }
}
