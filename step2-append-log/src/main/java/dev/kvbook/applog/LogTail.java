package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Finds where a log really ends after a crash, and makes the log safe to append to: the one
 * recovery step every log-structured store needs, shared by step 2's single log and step 3's
 * active segment.
 *
 * <p>The rule is {@link LogFormat}'s invariant 7, decided by {@link LogReader}: reading forward,
 * the first bad record at X ends the good part; the bytes from X on are a torn tail (cut off)
 * unless a valid record flagged {@code SYNCED_BEFORE} starts after X, which proves X was durable
 * and so is damage (refused, or cut off when the caller asked for {@code repair}).
 */
public final class LogTail {

    /**
     * What recovery found.
     *
     * @param end                    where the log ends: the next record goes here
     * @param tornTailBytesTruncated bytes of torn tail cut off
     * @param repairedBytesTruncated bytes cut off at damage because {@code repair} was asked for
     */
    public record Outcome(long end, long tornTailBytesTruncated, long repairedBytesTruncated) {
    }

    private LogTail() {
    }

    /**
     * Reads every record of {@code file} (from just after the file header) into {@code each},
     * cuts off a torn tail, and fsyncs the file before returning, so new records never follow
     * bytes that are not durable (a killed process can leave written but unsynced records in the
     * page cache; invariant 7 needs them durable before a flagged record follows). O(file size),
     * one fsync.
     *
     * @throws CorruptionException when the log is damaged before its tail and {@code repair} is off
     */
    public static Outcome recover(VfsFile file, Path path, boolean repair, Consumer<LogRecord> each) {
        return recover(file, path, repair, false, each);
    }

    /**
     * {@link #recover(VfsFile, Path, boolean, Consumer)}, with the records' values when
     * {@code withValues}: for a caller that rebuilds its state from the records themselves (step
     * 6's memtable), so the log is read once, not once for its end and again for its values.
     * {@code each} sees exactly the records that are kept: the good ones before the first bad one.
     */
    public static Outcome recover(VfsFile file, Path path, boolean repair, boolean withValues, Consumer<LogRecord> each) {
        long size = file.size();
        LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, size, withValues);
        for (LogRecord record = reader.next(); record != null; record = reader.next()) {
            each.accept(record);
        }
        // LAB:BEGIN step2.torn-tail — Decide what the first bad record means: a clean end, a torn tail to cut off, or corruption to report
        long end = reader.validEnd();
        switch (reader.stop()) {
            case CLEAN_END -> {
                file.sync();
                return new Outcome(end, 0, 0);
            }
            case TORN_TAIL -> {
                truncate(file, end);
                return new Outcome(end, size - end, 0);
            }
            case CORRUPTION -> {
                if (!repair) {
                    throw reader.damage();
                }
                truncate(file, end);
                return new Outcome(end, 0, size - end);
            }
            default -> throw new AssertionError(reader.stop());
        }
        // LAB:END
    }

    private static void truncate(VfsFile file, long end) {
        file.truncate(end);
        file.sync();
    }
}
