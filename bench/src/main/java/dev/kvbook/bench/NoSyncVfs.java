package dev.kvbook.bench;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link Vfs} that passes everything through except fsync, which it skips: every write still
 * reaches the OS page cache, but nothing is forced to the disk.
 *
 * <p>This is how the bench runs a kvbook step "relaxed" without knowing its options: the store
 * does exactly the work it always does, minus the wait for the disk. That is like-for-like with
 * RocksDB's unsynced WAL writes or SQLite's {@code synchronous=NORMAL}. Never use it for data you
 * want to keep. Public for the measurement programs in {@code dev.kvbook.bench.measure}.
 */
public final class NoSyncVfs extends ForwardingVfs {

    public NoSyncVfs(Vfs delegate) {
        super(delegate);
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
            @Override public void syncData() { } // and its data-only form
            @Override public void close() { file.close(); }
        };
    }

    @Override public void syncDirectory(Path dir) { } // skipped too

    // Every other call is passed on: read-only opens sync nothing anyway.
}
