package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Vfs} that passes every call to another one: the base of the wrappers tests put around
 * a file system (slow fsyncs, a held fsync, a dropped fsync, a failure at one step). A wrapper
 * overrides only the calls it changes, so it cannot forget to pass on one, the real path and the
 * link count included, which a store relies on to find its files ({@link StorePaths}).
 *
 * <p>{@link #withSharedLock} and {@link #readHead} are not forwarded: their default
 * implementations go through this wrapper's own {@link #lockShared} and {@link #openReadOnly}.
 * Cost: one call per call.
 */
public abstract class ForwardingVfs implements Vfs {

    /** The file system every call goes to. */
    protected final Vfs delegate;

    protected ForwardingVfs(Vfs delegate) {
        this.delegate = delegate;
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        return delegate.open(path, create);
    }

    @Override
    public VfsFile openReadOnly(Path path) {
        return delegate.openReadOnly(path);
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void delete(Path path) {
        delegate.delete(path);
    }

    @Override
    public void rename(Path from, Path to) {
        delegate.rename(from, to);
    }

    @Override
    public List<Path> list(Path dir) {
        return delegate.list(dir);
    }

    @Override
    public void createDirectories(Path dir) {
        delegate.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) {
        delegate.syncDirectory(dir);
    }

    @Override
    public Closeable lock(Path lockFile) {
        return delegate.lock(lockFile);
    }

    @Override
    public Closeable lockShared(Path lockFile) {
        return delegate.lockShared(lockFile);
    }

    @Override
    public Path realPath(Path path) {
        return delegate.realPath(path);
    }

    @Override
    public int linkCount(Path path) {
        return delegate.linkCount(path);
    }

    /** A {@link VfsFile} that passes every call to another one; a wrapper overrides what it changes. */
    public abstract static class File implements VfsFile {

        /** The file every call goes to. */
        protected final VfsFile delegate;

        protected File(VfsFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            delegate.readFully(position, dst);
        }

        @Override
        public void write(long position, ByteBuffer src) {
            delegate.write(position, src);
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void truncate(long size) {
            delegate.truncate(size);
        }

        @Override
        public void sync() {
            delegate.sync();
        }

        @Override
        public void syncData() {
            delegate.syncData();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
