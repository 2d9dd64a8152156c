package dev.kvbook.api;

import java.nio.file.Path;

/**
 * Damage on disk: a checksum, magic number, version, length or structural check failed.
 *
 * <p>The store stops rather than guess: it never skips the damaged bytes and carries on, and it
 * never returns data it could not verify. The message names the file, the byte offset, and what
 * was expected against what was found, so a person (or {@code kv inspect}) can look at the spot.
 *
 * <p>A torn tail, the last record cut short because the writer died mid-append, is <em>not</em>
 * corruption: the stores that append recognise it and truncate it on open.
 */
public class CorruptionException extends RuntimeException {

    private final Path file;
    private final long offset;

    /**
     * @param file     the damaged file, or {@code null} when the damage is in a value (a codec)
     * @param offset   the byte offset of the damaged structure, or -1 when not one place
     * @param what     what was being checked, such as {@code "record checksum"}
     * @param expected what a healthy file has there
     * @param actual   what this file has there
     */
    public CorruptionException(Path file, long offset, String what, Object expected, Object actual) {
        this(file, offset, what + ": expected " + expected + " but found " + actual, null);
    }

    /** A corruption described in free text, with an optional cause (a deserialization error, say). */
    public CorruptionException(Path file, long offset, String message, Throwable cause) {
        super((file == null ? "" : file + (offset >= 0 ? " at offset " + offset : "") + ": ") + message, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The byte offset of the damage, or -1 when it is not one place. */
    public long offset() {
        return offset;
    }
}
