package dev.kvbook.applog;

import dev.kvbook.api.vfs.AtomicReplace;
import dev.kvbook.api.vfs.StorePaths;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.List;

/**
 * Replaces a log file with a new one holding only chosen records: compaction, and also the way a
 * brand-new log is created (a compaction of nothing).
 *
 * <p>The steps are {@link AtomicReplace}'s recipe, each one there for a crash at any moment:
 * <ol>
 * <li>Write the file header and copies of the records into {@code <file>.compact}, a temporary
 *     file beside the log. The log itself is not touched, so a crash here loses nothing; the next
 *     open deletes the leftover temporary file.</li>
 * <li>Fsync the temporary file, so that its bytes are durable before any name points at it.
 *     That is why every record in it carries the {@link LogFormat#SYNCED_BEFORE} flag
 *     ({@link LogWriter#forStagedFile}): by the time a record is part of the log, everything
 *     before it is durable, and damage anywhere in the new log stays detectable.</li>
 * <li>Rename it over the log. A rename is atomic: after a crash the name holds the old log or the
 *     new one, never a mix, and both hold every live record.</li>
 * <li>Fsync the directory, which makes the rename itself durable.</li>
 * </ol>
 * The only copy of live data is never overwritten in place (STYLE rule 8).
 */
final class Compactor {

    private Compactor() {
    }

    /** The temporary file a compaction writes: {@code <file>.compact}. */
    static Path tempPathOf(Path file) {
        return StorePaths.sibling(file, ".compact");
    }

    /** Creates an empty log at {@code file} (replacing an empty file there): header only, atomically. */
    static void createEmpty(Vfs vfs, Path file) {
        rewrite(vfs, file, null, List.of());
    }

    /**
     * Replaces {@code file} by a log holding copies of {@code records}, read (and re-checked)
     * from {@code source}, in the given order, through {@link AtomicReplace}. O(bytes of the
     * records) read and written, two fsyncs (file and directory) and a rename. Returns the new log's end offset.
     * {@code source} stays open on the old file; the caller opens the new one.
     *
     * @throws java.io.UncheckedIOException    when any step fails; the log is then the old one or the
     *                                         new one, and only a reopen can tell which
     * @throws dev.kvbook.api.CorruptionException when a record to copy fails its checksum
     */
    static long rewrite(Vfs vfs, Path file, VfsFile source, List<LogRecord> records) {
        // The fsync that ends staging is AtomicReplace's, before the rename: only then may a name
        // point at these flagged records.
        return AtomicReplace.replace(vfs, file, tempPathOf(file), out -> {
            out.write(0, LogFormat.encodeFileHeader());
            LogWriter writer = LogWriter.forStagedFile(out, LogFormat.FILE_HEADER_SIZE);
            for (LogRecord live : records) {
                LogRecord copy = LogReader.readRecordAt(source, file, live.offset(), live.size());
                writer.append(copy.type(), copy.key(), copy.value());
            }
            return writer.end();
        });
    }

}
