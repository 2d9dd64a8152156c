package dev.kvbook.lsm;

import java.util.List;

/**
 * One change to the set of tables, as the manifest records it: tables added at a level, tables
 * removed from one, and two counters. A flush is one edit (a table added at level 0, the log
 * number moved past the flushed log); a compaction is one edit (its inputs removed, its outputs
 * added), so the manifest moves from the old set to the new in one durable step.
 *
 * @param logNumber      every memtable log numbered below this is flushed into tables and obsolete;
 *                       the log with this number is live and must exist
 * @param nextFileNumber the next number to give a new file (at least)
 * @param removed        tables removed, by level
 * @param added          tables added, by level
 */
record VersionEdit(long logNumber, long nextFileNumber, List<Removed> removed, List<Added> added) {

    /** A table that leaves a level. */
    record Removed(int level, long number) {
    }

    /** A table that joins a level. */
    record Added(int level, TableInfo table) {
    }

    VersionEdit {
        removed = List.copyOf(removed);
        added = List.copyOf(added);
    }

    /** An edit that only moves the counters (a clean close appends one: see {@link ManifestFormat}). */
    static VersionEdit counters(long logNumber, long nextFileNumber) {
        return new VersionEdit(logNumber, nextFileNumber, List.of(), List.of());
    }
}
