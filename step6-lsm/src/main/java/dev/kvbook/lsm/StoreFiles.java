package dev.kvbook.lsm;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a step-6 store's files, all in its directory, and how to tell them from files
 * that are not the store's (which it never touches).
 *
 * <pre>
 * LOCK              the writer's lock (and the readers' lock of verify)
 * CURRENT           names the live manifest ({@link ManifestFormat}); replaced atomically
 * CURRENT.tmp       a CURRENT being written; deleted at open
 * MANIFEST-NNNNNN   a log of version edits (a step-2 log)
 * MANIFEST-NNNNNN.tmp   a manifest being written; deleted at open
 * NNNNNN.log        the memtable's log (a step-2 log)
 * NNNNNN.log.tmp    a log being created; deleted at open
 * NNNNNN.sst        a sorted table ({@link TableFormat})
 * </pre>
 * One counter numbers logs, tables and manifests alike (at least six digits), so every file has
 * its own number and a number is never reused while the manifest could name it.
 *
 * <p><b>Each memtable gets a new log; old logs are deleted, not recycled (issue #27).</b> RocksDB
 * can keep a flushed log and overwrite it as the next one ({@code recycle_log_file_num}), so a
 * durable write overwrites blocks the file already has instead of growing it; to make that safe
 * its recyclable record types carry the log's number, which tells a record of this log from one
 * left by the file's previous life. The memtable log here is a step-2 log, whose records carry
 * no such number, so reusing a file would let a crash in mid-overwrite replay the previous
 * life's records. {@link dev.kvbook.applog.LogFormat}'s "Why this log grows" gives the whole
 * answer; step 5's log, whose frames carry a salt, is the one that is overwritten in place.
 */
final class StoreFiles {

    static final String LOCK = "LOCK";
    static final String CURRENT = "CURRENT";
    static final String CURRENT_TEMP = "CURRENT.tmp";

    private static final Pattern LOG = Pattern.compile("(\\d{6,})\\.log");
    private static final Pattern TABLE = Pattern.compile("(\\d{6,})\\.sst");
    private static final Pattern MANIFEST = Pattern.compile("MANIFEST-(\\d{6,})");
    private static final Pattern TEMP = Pattern.compile("(\\d{6,}\\.log|MANIFEST-\\d{6,}|CURRENT)\\.tmp");

    private StoreFiles() {
    }

    static String tableName(long number) {
        return String.format("%06d.sst", number);
    }

    static String logName(long number) {
        return String.format("%06d.log", number);
    }

    static String manifestName(long number) {
        return String.format("MANIFEST-%06d", number);
    }

    static Path table(Path dir, long number) {
        return dir.resolve(tableName(number));
    }

    static Path log(Path dir, long number) {
        return dir.resolve(logName(number));
    }

    static Path manifest(Path dir, long number) {
        return dir.resolve(manifestName(number));
    }

    /** The temp file a whole file is written under before its rename: {@code <name>.tmp}. */
    static Path temp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    static OptionalLong logNumber(Path file) {
        return number(LOG, file);
    }

    static OptionalLong tableNumber(Path file) {
        return number(TABLE, file);
    }

    static OptionalLong manifestNumber(Path file) {
        return number(MANIFEST, file);
    }

    static boolean isTemp(Path file) {
        return TEMP.matcher(file.getFileName().toString()).matches();
    }

    /** Whether the store could have made a file of this name. */
    static boolean isStoreName(Path file) {
        String name = file.getFileName().toString();
        return name.equals(LOCK) || name.equals(CURRENT) || isTemp(file) || logNumber(file).isPresent()
                || tableNumber(file).isPresent() || manifestNumber(file).isPresent();
    }

    /** The file number in any store file's name, or empty. */
    static OptionalLong anyNumber(Path file) {
        for (Pattern p : new Pattern[] {LOG, TABLE, MANIFEST}) {
            OptionalLong n = number(p, file);
            if (n.isPresent()) {
                return n;
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong number(Pattern pattern, Path file) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException tooLong) {
            return OptionalLong.empty();
        }
    }
}
