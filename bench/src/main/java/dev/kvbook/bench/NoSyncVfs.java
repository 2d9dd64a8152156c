package dev.kvbook.bench;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Vfs} that passes everything through except fsync, which it skips: every write still
 * reaches the OS page cache, but nothing is forced to the disk.
 *
 * <p>This is how the bench runs a kvbook step "relaxed" without knowing its options: the store
 * does exactly the work it always does, minus the wait for the disk. That is like-for-like with
 * RocksDB's unsynced WAL writes or SQLite's {@code synchronous=NORMAL}. Never use it for data you
 * want to keep. Public for the measurement programs in {@code dev.kvbook.bench.measure}.
 */
public final class NoSyncVfs implements Vfs {

    private final Vfs delegate;

    public NoSyncVfs(Vfs delegate) {
        this.delegate = delegate;
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        return new VfsFile() {
            @Override public void readFully(long position, ByteBuffer dst) { file.readFully(position, dst); }
            @Override public void write(long position, ByteBuffer src) { file.write(position, src); }
            @Override public long size() { return file.size(); }
            @Override public void truncate(long size) { file.truncate(size); }
            @Override public void sync() { } // the one call skipped
            @Override public void close() { file.close(); }
        };
    }

    @Override public VfsFile openReadOnly(Path path) { return delegate.openReadOnly(path); } // syncs nothing anyway
    @Override public boolean exists(Path path) { return delegate.exists(path); }
    @Override public void delete(Path path) { delegate.delete(path); }
    @Override public void rename(Path from, Path to) { delegate.rename(from, to); }
    @Override public List<Path> list(Path dir) { return delegate.list(dir); }
    @Override public void createDirectories(Path dir) { delegate.createDirectories(dir); }
    @Override public void syncDirectory(Path dir) { } // skipped too
    @Override public Closeable lock(Path lockFile) { return delegate.lock(lockFile); }
    @Override public Closeable lockShared(Path lockFile) { return delegate.lockShared(lockFile); }
    @Override public Path realPath(Path path) { return delegate.realPath(path); }
    @Override public int linkCount(Path path) { return delegate.linkCount(path); }
}
