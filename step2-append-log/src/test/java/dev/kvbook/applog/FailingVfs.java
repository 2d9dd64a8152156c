package dev.kvbook.applog;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system, with one kind of operation armed to fail: a file write, a file sync or a
 * rename. It fails as a disk does ({@link UncheckedIOException}) or, with {@link #powerLoss()}, by
 * throwing an {@link Error} the way a crash simulator does, which no store may catch.
 */
final class FailingVfs extends ForwardingVfs {

    enum Op { WRITE, SYNC, RENAME }

    /** What a crash simulator throws to stop the world: an Error, so that nothing catches it. */
    static final class SimulatedPowerLoss extends Error {
        SimulatedPowerLoss() {
            super("simulated power loss");
        }
    }

    private final AtomicInteger fileSyncs = new AtomicInteger();
    private volatile Op armed;
    private volatile boolean powerLoss;

    FailingVfs() {
        super(Vfs.local());
    }

    /** Makes every later {@code op} fail, until {@link #disarm()}. */
    FailingVfs arm(Op op) {
        armed = op;
        return this;
    }

    /** Makes armed failures throw {@link SimulatedPowerLoss} instead of an I/O error. */
    FailingVfs powerLoss() {
        powerLoss = true;
        return this;
    }

    void disarm() {
        armed = null;
    }

    /** File syncs that reached the disk. */
    int fileSyncs() {
        return fileSyncs.get();
    }

    private void maybeFail(Op op) {
        if (armed == op) {
            if (powerLoss) {
                throw new SimulatedPowerLoss();
            }
            throw new UncheckedIOException(new IOException("injected " + op + " failure"));
        }
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        return new VfsFile() {
            @Override
            public void readFully(long position, ByteBuffer dst) {
                file.readFully(position, dst);
            }

            @Override
            public void write(long position, ByteBuffer src) {
                maybeFail(Op.WRITE);
                file.write(position, src);
            }

            @Override
            public long size() {
                return file.size();
            }

            @Override
            public void truncate(long size) {
                file.truncate(size);
            }

            @Override
            public void sync() {
                maybeFail(Op.SYNC);
                file.sync();
                fileSyncs.incrementAndGet();
            }

            @Override
            public void syncData() {
                maybeFail(Op.SYNC);
                file.syncData();
                fileSyncs.incrementAndGet();
            }

            @Override
            public void close() {
                file.close();
            }
        };
    }

    // Every other call, read-only opens included (they write and sync nothing), is passed on.

    @Override
    public void rename(Path from, Path to) {
        maybeFail(Op.RENAME);
        delegate.rename(from, to);
    }
}
