package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Closing files and locks the way every store must: without losing the failure that matters.
 */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes {@code resource}, reporting an {@link IOException} as {@link UncheckedIOException}
     * (the stores' way of reporting I/O failures) saying what was being closed.
     */
    public static void closeUnchecked(Closeable resource, String what) {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + what, e);
        }
    }

    /**
     * Closes {@code resource} while {@code failure} is already on its way out, as in a
     * {@code catch} block that rethrows: a second failure from the close is attached to the
     * first ({@link Throwable#addSuppressed}) rather than hiding it, because the first one is
     * what went wrong.
     */
    public static void closeAfterFailure(Closeable resource, RuntimeException failure) {
        try {
            resource.close();
        } catch (IOException | RuntimeException second) {
            failure.addSuppressed(second);
        }
    }
}
