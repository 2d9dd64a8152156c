package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Vfs} that passes every call to another and makes each fsync ({@link VfsFile#sync()}
 * and {@link #syncDirectory}) wait a random 0 to {@code maxMillis} ms longer first, the way a
 * busy disk does.
 *
 * <p>Why: a race between threads needs one of them to be paused at the wrong moment, and on a
 * fast disk that moment lasts microseconds. An fsync is where stores wait (and where group
 * commit lets other transactions overtake), so stretching fsyncs at random widens exactly the
 * windows in which commits, readers and checkpoints interleave. The concurrency tests run over
 * this to find in seconds what the real disk shows once a week. The delays come from a seeded
 * {@link Random}; thread scheduling is not reproducible, so neither is a run, but the seed
 * keeps the distribution the same.
 *
 * <p>It changes no data and no durability: only when a call returns. Thread-safe.
 */
public final class LatencyVfs implements Vfs {

    private final Vfs delegate;
    private final Random random;
    private final long maxNanos;
    private final AtomicLong delayedSyncs = new AtomicLong();

    /** Passes calls to {@code delegate}; fsyncs wait a random 0 to {@code maxMillis} ms first, drawn from {@code seed}. */
    public LatencyVfs(Vfs delegate, long seed, int maxMillis) {
        this.delegate = delegate;
        this.random = new Random(seed);
        this.maxNanos = TimeUnit.MILLISECONDS.toNanos(maxMillis);
    }

    /** The fsyncs delayed so far (files and directories). */
    public long delayedSyncs() {
        return delayedSyncs.get();
    }

    /** Waits a random 0 to {@code maxMillis} ms: the injected latency. */
    private void delay() {
        long nanos;
        synchronized (random) {
            nanos = (long) (random.nextDouble() * maxNanos);
        }
        delayedSyncs.incrementAndGet();
        LockSupport.parkNanos(nanos); // may wake early (an interrupt): latency is a widening, not a promise
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        return new SlowSyncFile(delegate.open(path, create));
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
        delay();
        delegate.syncDirectory(dir);
    }

    @Override
    public Closeable lock(Path lockFile) {
        return delegate.lock(lockFile);
    }

    @Override
    public byte[] readHead(Path path, int maxBytes) {
        return delegate.readHead(path, maxBytes);
    }

    /** A file whose {@link #sync()} is slow; everything else passes straight through. */
    private final class SlowSyncFile implements VfsFile {
        private final VfsFile file;

        SlowSyncFile(VfsFile file) {
            this.file = file;
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            file.readFully(position, dst);
        }

        @Override
        public void write(long position, ByteBuffer src) {
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
            delay();
            file.sync();
        }

        @Override
        public void close() {
            file.close();
        }
    }
}
