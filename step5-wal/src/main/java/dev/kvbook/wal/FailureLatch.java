package dev.kvbook.wal;

import dev.kvbook.api.StoreFailedException;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The store's failure latch: once a write or an fsync of the log or the data file has failed, or
 * a checkpoint found damage, the store refuses every later write and checkpoint, for good.
 *
 * <p><b>Why a latch, and never a retry.</b> When a write or an fsync fails, what reached the disk
 * is unknown. Worse, after a failed fsync Linux may have dropped the dirty pages it could not
 * write and marked them clean, so a second fsync "succeeds" over data that is not on the disk
 * (PostgreSQL learned this in 2018, "fsyncgate"). The only honest way on is a reopen: recovery
 * reads what the disk really holds. Until then, readers go on from the last published snapshot,
 * which was durable when it was published.
 *
 * <p><b>Invariant:</b> once set, the latch stays set: nothing here clears it. Every writer checks
 * it ({@link #check}) before it touches a file: {@code begin}, before and after waiting for the
 * writer lock, and each commit before it appends.
 *
 * <p>Cost: one volatile read per check. Thread-safe: the failure is one volatile field (a later
 * failure replaces an earlier one; either is reason enough to refuse).
 */
final class FailureLatch {

    private final Path file;
    private volatile RuntimeException failure;

    /** A latch for the store in {@code file}, not set. */
    FailureLatch(Path file) {
        this.file = file;
    }

    /**
     * Sets the latch for an I/O error {@code during} some step ("syncing the log") and returns the
     * exception to throw: it says the store now refuses writes and how to recover.
     */
    StoreFailedException fail(UncheckedIOException e, String during) {
        StoreFailedException failed = new StoreFailedException(file + ": " + during + " failed, so what is on disk is"
                + " unknown; the store refuses further writes and never retries the fsync (reopen it to recover)", e);
        failure = failed;
        return failed;
    }

    /** Sets the latch for {@code e} (a failed group-commit fsync, damage found by a checkpoint) and returns it. */
    <E extends RuntimeException> E set(E e) {
        failure = e;
        return e;
    }

    /** Whether a write has failed: then {@link #check} throws. */
    boolean isSet() {
        return failure != null;
    }

    /** Throws {@link StoreFailedException}, caused by the recorded failure, if the latch is set. O(1). */
    void check() {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed instanceof StoreFailedException f ? new StoreFailedException(f.getMessage(), f)
                    : new StoreFailedException(file + ": an earlier write failed; the store refuses further writes", failed);
        }
    }
}
