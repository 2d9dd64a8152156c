package dev.kvbook.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts deletes, runs a hook (in the deleting thread) at the first one, and notes how many deletes
 * had been made when a watched thread's {@code get} reached the store: a moment at which that
 * thread holds whatever lock the map takes around its store reads.
 */
final class BlockingStore extends ForwardingStore {

    private final AtomicLong deletes = new AtomicLong();
    private volatile Runnable onFirstDelete = () -> { };
    private volatile Thread watched;
    private volatile long deletesAtWatchedGet = -1;

    BlockingStore(KeyValueStore inner) {
        super(inner);
    }

    void onFirstDelete(Runnable hook) {
        this.onFirstDelete = hook;
    }

    /** Watches {@code thread}'s gets from now on. */
    void watch(Thread thread) {
        this.watched = thread;
    }

    /** How many deletes had been made at the watched thread's last get (-1: none yet). */
    long deletesAtWatchedGet() {
        return deletesAtWatchedGet;
    }

    @Override
    public byte[] get(byte[] key) {
        if (Thread.currentThread() == watched) {
            deletesAtWatchedGet = deletes.get();
        }
        return super.get(key);
    }

    @Override
    public boolean delete(byte[] key) {
        boolean deleted = super.delete(key);
        if (deletes.incrementAndGet() == 1) {
            onFirstDelete.run();
        }
        return deleted;
    }
}
