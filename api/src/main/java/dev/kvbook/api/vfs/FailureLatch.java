package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreFailedException;

/**
 * A store's failure latch: once a write or an fsync has failed (or a write found damage half-way),
 * the store refuses every later write, for good. Every step's store keeps one.
 *
 * <p><b>Why a latch, and never a retry.</b> When a write or an fsync fails, what reached the disk
 * is unknown. Worse, after a failed fsync Linux may have dropped the dirty pages it could not
 * write and marked them clean, so a second fsync "succeeds" over data that is not on the disk
 * (PostgreSQL learned this in 2018, "fsyncgate"). The only honest way on is a reopen: recovery
 * reads what the disk really holds. Until then, reads may go on over what the store knows to be
 * whole (each store's Javadoc says whether they do).
 *
 * <p><b>Invariant:</b> once set, the latch stays set: nothing here clears it. Every writer calls
 * {@link #check} before it touches a file.
 *
 * <p>Cost: one volatile read per check. Thread-safe: the failure is one volatile field (a later
 * failure replaces an earlier one; either is reason enough to refuse).
 */
public final class FailureLatch {

    private final String store;
    private volatile RuntimeException failure;

    /** A latch, not set, for the store that {@code store} names in every message (its path, say). */
    public FailureLatch(String store) {
        this.store = store;
    }

    /**
     * Sets the latch for {@code cause}, an error {@code during} some step ("syncing the log"), and
     * returns the exception to throw: it names the store and the step, says the store now refuses
     * writes, and how to recover. A caller that must throw {@code cause} itself (damage keeps its
     * own type) throws that instead; later checks still report this one. O(1).
     */
    public StoreFailedException fail(Throwable cause, String during) {
        StoreFailedException failed = new StoreFailedException(store + ": " + during + " failed, so what is on disk"
                + " is unknown; the store refuses writes from now on and never retries, not even an fsync (reopen it to"
                + " recover)", cause);
        failure = failed;
        return failed;
    }

    /** Sets the latch for {@code e} as it is (a failure already worded, an interrupted write) and returns it. O(1). */
    public <E extends RuntimeException> E set(E e) {
        failure = e;
        return e;
    }

    /** Whether a write has failed: then {@link #check} throws. O(1). */
    public boolean isSet() {
        return failure != null;
    }

    /**
     * Throws {@link StoreFailedException}, caused by the recorded failure, if the latch is set;
     * returns otherwise. O(1).
     */
    public void check() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed instanceof StoreFailedException f ? new StoreFailedException(f.getMessage(), f)
                    : new StoreFailedException(store + ": an earlier write failed, so the store refuses writes"
                    + " (reopen it to recover)", failed);
        }
    }
}
