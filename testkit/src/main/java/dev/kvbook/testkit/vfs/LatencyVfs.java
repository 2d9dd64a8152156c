package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
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
public final class LatencyVfs extends ForwardingVfs {

    private final Random random;
    private final long maxNanos;
    private final AtomicLong delayedSyncs = new AtomicLong();

    /** Passes calls to {@code delegate}; fsyncs wait a random 0 to {@code maxMillis} ms first, drawn from {@code seed}. */
    public LatencyVfs(Vfs delegate, long seed, int maxMillis) {
        super(delegate);
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

    /** A file whose {@link VfsFile#sync()} and {@link VfsFile#syncData()} wait first; everything else passes straight through. */
    @Override
    public VfsFile open(Path path, boolean create) {
        return new ForwardingVfs.File(delegate.open(path, create)) {
            @Override
            public void sync() {
                delay();
                delegate.sync();
            }

            @Override
            public void syncData() {
                delay();
                delegate.syncData();
            }
        };
    }

    @Override
    public void syncDirectory(Path dir) {
        delay();
        delegate.syncDirectory(dir);
    }
}
