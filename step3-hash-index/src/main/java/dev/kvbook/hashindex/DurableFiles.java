package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.api.vfs.Closeables;

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
            Closeables.closeAfterFailure(out, e);
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

}
