package dev.kvbook.api;

import java.nio.file.Path;

/**
 * The store is already open: in another process, or through another handle in this one.
 *
 * <p>Two writers on one set of files would overwrite each other's records and leave both
 * in-memory views wrong, so every store takes an exclusive lock on open and this is what the
 * second one gets, at once rather than after a wait. A checker reading the store holds the
 * readers' lock ({@link dev.kvbook.api.vfs.Vfs#lockShared}) instead: it gets this while a writer
 * has the store open, and a writer gets it while a checker reads.
 */
public class StoreLockedException extends RuntimeException {

    private final Path lockFile;

    public StoreLockedException(Path lockFile) {
        super("the store is already open, for writing or for checking (locked through " + lockFile
                + "): close it first, or stop the process that has it open");
        this.lockFile = lockFile;
    }

    /** The lock file that could not be locked. */
    public Path lockFile() {
        return lockFile;
    }
}
