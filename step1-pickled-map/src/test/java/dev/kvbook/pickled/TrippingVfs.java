package dev.kvbook.pickled;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vfs for these tests only: passes every call to another Vfs, but can be armed to throw once,
 * on the next call of one kind (a rename, a file sync, ...). Arm it with an
 * {@link java.io.UncheckedIOException} to play a failing disk, or with an {@link Error} to play a
 * power loss. (The testkit has the full crash simulator and fault injector; step 1's own tests
 * stay independent of it.)
 */
final class TrippingVfs extends ForwardingVfs {

    /** The kinds of call that can be made to fail. */
    enum Op { WRITE, FILE_SYNC, RENAME, SYNC_DIRECTORY }

    private volatile Op armedOp;
    private volatile Throwable armedFailure;
    final AtomicInteger renames = new AtomicInteger();

    TrippingVfs(Vfs delegate) {
        super(delegate);
    }

    /** Makes the next call of kind {@code op} throw {@code failure} (a RuntimeException or Error). */
    void failNext(Op op, Throwable failure) {
        armedFailure = failure;
        armedOp = op;
    }

    private void trip(Op op) {
        if (armedOp == op) {
            Throwable failure = armedFailure;
            armedOp = null;
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) failure;
        }
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        return new VfsFile() {
            @Override public void readFully(long position, ByteBuffer dst) { file.readFully(position, dst); }
            @Override public void write(long position, ByteBuffer src) { trip(Op.WRITE); file.write(position, src); }
            @Override public long size() { return file.size(); }
            @Override public void truncate(long size) { file.truncate(size); }
            @Override public void sync() { trip(Op.FILE_SYNC); file.sync(); }
            @Override public void syncData() { trip(Op.FILE_SYNC); file.syncData(); }
            @Override public void close() { file.close(); }
        };
    }

    // Every other call, read-only opens included (they write nothing to trip), is passed on.

    @Override
    public void rename(Path from, Path to) {
        trip(Op.RENAME);
        delegate.rename(from, to);
        renames.incrementAndGet();
    }

    @Override
    public void syncDirectory(Path dir) {
        trip(Op.SYNC_DIRECTORY);
        delegate.syncDirectory(dir);
    }
}
