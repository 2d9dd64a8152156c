package dev.kvbook.wal;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A file system that lets a test hold the log's fsync open: while the gate is {@link #close
 * closed}, a {@link VfsFile#sync()} or {@link VfsFile#syncData()} of the log ({@code -wal}) blocks until {@link #open} lets it
 * through. A test uses it to stop a group-commit leader in the middle of its fsync, then runs
 * another thread's commit, read or checkpoint in exactly that window, instead of hoping the
 * scheduler finds it. Everything else passes through to the wrapped {@link Vfs}.
 *
 * <p>Test-only.
 */
final class GatedLogSyncVfs extends ForwardingVfs {

    /** How long a test waits for a thread to reach the gate before calling it a hang. */
    private static final long HANG_SECONDS = 60;

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private volatile Semaphore gate; // null: open
    private final long maxJitterMicros;

    GatedLogSyncVfs(Vfs delegate) {
        this(delegate, 0);
    }

    /** Also delays every log fsync by a random 0 to {@code maxJitterMicros}, to widen race windows. */
    GatedLogSyncVfs(Vfs delegate, long maxJitterMicros) {
        super(delegate);
        this.maxJitterMicros = maxJitterMicros;
    }

    /** From now on, a log fsync blocks until {@link #open}. */
    void close() {
        gate = new Semaphore(0);
    }

    /** Lets every blocked and later log fsync through. */
    void open() {
        Semaphore closed = gate;
        gate = null;
        if (closed != null) {
            closed.release(Integer.MAX_VALUE / 2);
        }
    }

    /** Waits until {@code n} log fsyncs in all have reached the gate (blocked or let through). */
    void awaitSyncsEntered(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (entered.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log fsync reached the gate: a hang? entered " + entered.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Log fsyncs blocked at the gate right now. */
    int waiting() {
        return waiting.get();
    }

    private static boolean isLog(Path path) {
        return path.getFileName().toString().endsWith("-wal");
    }

    private void pass() {
        entered.incrementAndGet();
        if (maxJitterMicros > 0) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxJitterMicros * 1000));
        }
        Semaphore closed = gate;
        if (closed == null) {
            return;
        }
        waiting.incrementAndGet();
        try {
            if (!closed.tryAcquire(HANG_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        if (!isLog(path)) {
            return file;
        }
        return new ForwardingVfs.File(file) {
            @Override
            public void sync() {
                pass();
                delegate.sync();
            }

            @Override
            public void syncData() {
                pass();
                delegate.syncData();
            }
        };
    }
}
