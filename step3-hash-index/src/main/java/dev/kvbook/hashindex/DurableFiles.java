package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The one way step 3 puts a new file in place (STYLE rule 8): write it under a temporary name,
 * fsync it, rename it to its real name, fsync the directory. After a crash the real name holds
 * the whole file or nothing; a leftover {@code .tmp} is deleted by open. Used for hint files,
 * new segments and merge output.
 */
final class DurableFiles {

    private DurableFiles() {
    }

    /** Writes {@code content} as the whole of {@code file}, atomically and durably. Two fsyncs, one rename. */
    static void writeWhole(Vfs vfs, Path file, ByteBuffer content) {
        Path temp = SegmentFormat.tempPathOf(file);
        vfs.delete(temp);
        VfsFile out = vfs.open(temp, true);
        try {
            out.truncate(0);
            out.write(0, content);
            out.sync();
        } catch (RuntimeException e) {
            closeAfterFailure(out, e);
            throw e;
        }
        out.close();
        publish(vfs, temp, file);
    }

    /** Renames the complete, fsynced {@code temp} to {@code file} and makes the rename durable. */
    static void publish(Vfs vfs, Path temp, Path file) {
        vfs.rename(temp, file);
        vfs.syncDirectory(file.toAbsolutePath().getParent());
    }

    /** Reads the whole of {@code file}. One read call. */
    static ByteBuffer readWhole(Vfs vfs, Path file) {
        VfsFile in = vfs.open(file, false);
        try {
            long size = in.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(file + " is " + size + " bytes, too large to read whole");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            in.readFully(0, bytes);
            return bytes.flip();
        } finally {
            in.close();
        }
    }

    /**
     * Closes {@code resource} while {@code failure} is already on its way out; a second failure
     * from the close is attached to the first rather than hiding it.
     */
    static void closeAfterFailure(Closeable resource, RuntimeException failure) {
        try {
            resource.close();
        } catch (IOException | RuntimeException second) {
            failure.addSuppressed(second);
        }
    }

    /** Closes a {@link Closeable} that may throw {@link IOException}, as an unchecked failure. */
    static void closeUnchecked(Closeable resource) {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
