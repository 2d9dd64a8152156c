package dev.kvbook.api;

/**
 * A write or fsync failed, so the store no longer knows what is on disk and refuses all further
 * writes. Reopen it to recover from what the disk really holds.
 *
 * <p>Why not retry? After a failed fsync, Linux may already have dropped the dirty pages and
 * marked them clean, so a second fsync "succeeds" without writing anything (the 2018
 * "fsyncgate" discussion in PostgreSQL). The only safe answer is to stop and recover from disk.
 */
public class StoreFailedException extends RuntimeException {

    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
