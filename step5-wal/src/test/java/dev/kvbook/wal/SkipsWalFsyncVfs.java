package dev.kvbook.wal;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;

/**
 * A deliberately broken file system for the crash tests' self-test: it passes every call through
 * to another {@link Vfs}, except that it silently drops {@link VfsFile#sync()} and {@link VfsFile#syncData()} on the log (a path
 * ending in {@code -wal}). The store believes its commits are durable; after a power cut they are
 * not. Every other fsync, of the data file and of the directory, still happens, so a checkpoint
 * still makes what it copies durable: only the log's promise is broken.
 *
 * <p>With {@code skip} false it drops nothing: the same wrapper, as a control.
 *
 * <p>Test-only, and never for data anyone wants to keep.
 */
final class SkipsWalFsyncVfs extends ForwardingVfs {

    private final boolean skip;

    SkipsWalFsyncVfs(Vfs delegate, boolean skip) {
        super(delegate);
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
        return new ForwardingVfs.File(file) {
            @Override
            public void sync() {
                // the flaw: the log's fsync never reaches the disk
            }

            @Override
            public void syncData() {
                // nor its data-only form, which the commit path uses
            }
        };
    }
}
