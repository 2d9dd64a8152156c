package dev.kvbook.hashindex;

import dev.kvbook.applog.LogFormat;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The step-3 directory: what each file is called, what it holds, and how the names order. This
 * Javadoc is the specification of the layout; the bytes inside a segment are step 2's
 * {@link LogFormat}, and the bytes inside a hint file are {@link HintFormat}.
 *
 * <p><b>No preallocated or recycled segments (issue #27).</b> A new active segment grows with
 * every append, and a merge deletes the segments it replaced rather than handing them on to be
 * overwritten, as PostgreSQL recycles WAL segments and RocksDB its logs. Both would save the
 * journal commit a growing file costs each durable write, and both are unsafe in this format: a
 * segment's end is where its valid records end (a preallocated reserve would be searched and
 * cut at every open), and a record does not say which life of the file wrote it (a recycled
 * segment's old records would be replayed after a crash in mid-overwrite). {@link LogFormat}'s
 * "Why this log grows" has the details and what reuse would take: a salt in every record.
 *
 * <h2>Picture</h2>
 * <pre>
 *  db/
 *  +-- LOCK            held while the store is open (one process at a time)
 *  +-- 000001.data     sealed segment: a step-2 log, never written again      \
 *  +-- 000001.hint     its hint file: every record's key, offset, size, type   | oldest
 *  +-- 000002.data                                                             |
 *  +-- 000002.hint                                                            /
 *  +-- 000007.data     the active segment: the only file that takes appends   <- newest
 *  +-- 000008.data.tmp only while being written: a new segment, hint or merge output
 *  +-- notes.txt       not the store's: never deleted, never read
 * </pre>
 *
 * <h2>Files</h2>
 * <table>
 * <caption>Names in a step-3 directory</caption>
 * <tr><th>name</th><th>what</th></tr>
 * <tr><td>{@code NNNNNN.data}</td><td>segment number N (decimal, zero-padded to at least 6
 *     digits): the file header and records of {@link LogFormat}</td></tr>
 * <tr><td>{@code NNNNNN.hint}</td><td>the hint file of sealed segment N ({@link HintFormat})</td></tr>
 * <tr><td>{@code NNNNNN.data.tmp}, {@code NNNNNN.hint.tmp}</td><td>a file being written; renamed
 *     to its real name once complete and fsynced, and deleted by open if a crash left it</td></tr>
 * <tr><td>{@code LOCK}</td><td>the lock file ({@link dev.kvbook.api.vfs.Vfs#lock})</td></tr>
 * </table>
 * Any other name in the directory is not the store's: open never deletes it, and merge never
 * touches it. A non-empty directory with no segment and no name of the store's is not a store,
 * and open refuses it rather than move in ({@link Recovery#prepareDirectory}).
 *
 * <h2>Invariants</h2>
 * <ol>
 * <li><b>Newest wins by (segment, offset).</b> Records are ordered by segment number, then by
 *     offset inside the segment; for each key the last record in that order decides. Wall-clock
 *     time plays no part.</li>
 * <li>The segment with the highest number is the active one; every other segment is sealed and
 *     never changes again. Only the active segment can end in a torn tail.</li>
 * <li>A file appears under a {@code .data} or {@code .hint} name only once it is complete and
 *     fsynced (written as {@code .tmp}, fsynced, renamed, directory fsynced). So a {@code .data}
 *     file always starts with a whole header, and a {@code .tmp} file is never needed.</li>
 * <li>Segment numbers are never reused: a new segment takes a number above every number in use,
 *     and the active segment (the highest) is never deleted. A merge writes into numbers it
 *     reserved between the segments it merges and the active segment ({@link Merge}).</li>
 * <li>A hint file is a cache: it is believed only when it is whole and describes exactly the
 *     bytes of its segment (same number, same size); otherwise the segment is scanned.</li>
 * </ol>
 */
final class SegmentFormat {

    /** The lock file's name. */
    static final String LOCK = "LOCK";

    /** The suffix of a file that is still being written. */
    static final String TEMP_SUFFIX = ".tmp";

    /** The smallest segment number. */
    static final int FIRST_ID = 1;

    private static final Pattern DATA = Pattern.compile("(\\d{6,})\\.data");
    private static final Pattern HINT = Pattern.compile("(\\d{6,})\\.hint");
    private static final Pattern TEMP = Pattern.compile("\\d{6,}\\.(data|hint)\\.tmp");

    private SegmentFormat() {
    }

    /** The segment file of number {@code id}: {@code dir/000042.data}. */
    static Path dataPath(Path dir, int id) {
        return dir.resolve(String.format("%06d.data", id));
    }

    /** The hint file of segment {@code id}: {@code dir/000042.hint}. */
    static Path hintPath(Path dir, int id) {
        return dir.resolve(String.format("%06d.hint", id));
    }

    /** The temporary name {@code file} is written under before it is renamed into place. */
    static Path tempPathOf(Path file) {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    /** The segment number of a {@code .data} file name, or empty for any other name. */
    static OptionalInt dataId(Path file) {
        return idOf(DATA, file);
    }

    /** The segment number of a {@code .hint} file name, or empty for any other name. */
    static OptionalInt hintId(Path file) {
        return idOf(HINT, file);
    }

    /**
     * Returns whether {@code file} is one of the store's own temporary files,
     * {@code NNNNNN.data.tmp} or {@code NNNNNN.hint.tmp}: the only {@code .tmp} names open may
     * delete. A user's {@code draft.tmp} in the directory is not the store's.
     */
    static boolean isTemp(Path file) {
        return TEMP.matcher(file.getFileName().toString()).matches();
    }

    /**
     * Returns whether {@code file} has a name this store gives its files: {@code LOCK}, a segment,
     * a hint file or one of their temporary files. Anything else in the directory is someone
     * else's, and the store leaves it alone.
     */
    static boolean isStoreName(Path file) {
        return file.getFileName().toString().equals(LOCK) || dataId(file).isPresent() || hintId(file).isPresent()
                || isTemp(file);
    }

    private static OptionalInt idOf(Pattern pattern, Path file) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        if (!m.matches() || m.group(1).length() > 10) {
            return OptionalInt.empty();
        }
        long id = Long.parseLong(m.group(1));
        return id >= FIRST_ID && id <= Integer.MAX_VALUE ? OptionalInt.of((int) id) : OptionalInt.empty();
    }
}
