package dev.kvbook.api;

import java.nio.file.Path;

/**
 * The store is already open: in another process, or through another handle in this one.
 *
 * <p>Two writers on one set of files would overwrite each other's records and leave both
 * in-memory views wrong, so every store takes an exclusive lock on open and this is what the
 * second one gets, at once rather than after a wait.
 */
public class StoreLockedException extends RuntimeException {

    private final Path lockFile;

    public StoreLockedException(Path lockFile) {
        super("the store is already open (locked through " + lockFile
                + "): close it first, or stop the process that has it open");
        this.lockFile = lockFile;
    }

    /** The lock file that could not be locked. */
    public Path lockFile() {
        return lockFile;
    }
}
