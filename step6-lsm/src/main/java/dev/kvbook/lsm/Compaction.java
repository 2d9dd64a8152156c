package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Levelled compaction: which tables to merge ({@link #pick}), and the merge itself
 * ({@link #run}). The second half of the LSM idea: tables are never changed, only merged into
 * new ones a level down, so that reads find few tables per key and old versions and tombstones
 * are finally dropped.
 *
 * <h2>What is picked</h2>
 * <ol>
 * <li><b>Level 0 is full</b> ({@code level0CompactionTrigger} tables or more): all level-0
 *     tables, plus every level-1 table their keys overlap, are merged into new level-1 tables.
 *     All of level 0 is taken, not some: its tables overlap, and leaving an older one behind
 *     while a newer one moved down would invert their order.</li>
 * <li><b>A deeper level n is too big</b> (over {@code levelBaseBytes x sizeRatio^(n-1)}): one of
 *     its tables (round-robin through the key space, so every part of the level gets its turn)
 *     plus the tables of level n+1 it overlaps are merged into new level n+1 tables. Each level
 *     is about {@code sizeRatio} times the one above, so a byte is rewritten about
 *     {@code sizeRatio} times per level it descends: that is levelled compaction's write
 *     amplification, traded for reads that probe one table per deeper level.</li>
 * <li><b>A full compaction</b> ({@link #full}, what {@code compact()} runs): every table, into
 *     the deepest level in use (at least 1).</li>
 * </ol>
 *
 * <h2>When a tombstone may go</h2>
 * A tombstone is dropped when no level below the output level has a table whose key range holds
 * its key: then no older value is left anywhere for it to hide. Levels above the output hold only
 * newer cells, and every older cell in the inputs is merged away here. Dropped any earlier, a
 * deleted key would come back.
 */
final class Compaction {

    /**
     * What to merge and where to.
     *
     * @param sources     the inputs, newest first, each a sorted run (a level-0 table, or a level's overlapping tables)
     * @param inputLevels the level of each table in {@link #inputs()}, in the same order
     * @param inputs      every input table
     * @param outputLevel where the merged tables go
     * @param reason      for people: why this compaction
     */
    record Plan(List<List<Table>> sources, List<Integer> inputLevels, List<Table> inputs, int outputLevel, String reason) {
    }

    private final LsmStore.Options options;
    private final byte[][] pointers = new byte[ManifestFormat.MAX_LEVELS][];

    Compaction(LsmStore.Options options) {
        this.options = options;
    }

    /** The compaction {@code version} needs now, or {@code null}. O(tables). */
    Plan pick(Version version) {
        // LAB:BEGIN step6.compaction-pick — Pick the next compaction: all of a full level 0 and the level-1 tables they overlap, else one table of the first level over its limit and what it overlaps below
        List<Table> level0 = version.level(0);
        if (level0.size() >= options.level0CompactionTrigger()) {
            Plan plan = new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 1,
                    level0.size() + " tables in level 0 (trigger " + options.level0CompactionTrigger() + ")");
            byte[] low = null;
            byte[] high = null;
            for (Table t : level0) {
                add(plan, List.of(t), 0);
                low = low == null || Keys.COMPARATOR.compare(t.info().smallest(), low) < 0 ? t.info().smallest() : low;
                high = high == null || Keys.COMPARATOR.compare(t.info().largest(), high) > 0 ? t.info().largest() : high;
            }
            add(plan, overlapping(version.level(1), low, high), 1);
            return plan;
        }
        for (int n = 1; n < ManifestFormat.MAX_LEVELS - 1; n++) {
            long limit = maxBytes(n);
            if (version.levelBytes(n) > limit) {
                Table chosen = nextInTurn(version.level(n), n);
                Plan plan = new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), n + 1,
                        "level " + n + " holds " + version.levelBytes(n) + " bytes (limit " + limit + ")");
                add(plan, List.of(chosen), n);
                add(plan, overlapping(version.level(n + 1), chosen.info().smallest(), chosen.info().largest()), n + 1);
                pointers[n] = chosen.info().largest();
                return plan;
            }
        }
        return null;
        // LAB:END
    }

    /** Every table into the deepest level in use (at least 1), or {@code null} when there is no table. */
    static Plan full(Version version) {
        int output = Math.max(1, version.deepestNonEmptyLevel());
        Plan plan = new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), output, "a full compaction");
        for (Table t : version.level(0)) {
            add(plan, List.of(t), 0);
        }
        for (int n = 1; n < ManifestFormat.MAX_LEVELS; n++) {
            if (!version.level(n).isEmpty()) {
                add(plan, version.level(n), n);
            }
        }
        return plan.inputs().isEmpty() ? null : plan;
    }

    /** The size limit of level {@code n} (1 and deeper). */
    long maxBytes(int n) {
        double limit = options.levelBaseBytes() * Math.pow(options.levelSizeRatio(), n - 1);
        return limit > Long.MAX_VALUE ? Long.MAX_VALUE : (long) limit;
    }

    /**
     * Merges the plan's inputs into new tables at its output level, each started by
     * {@code newTable} and finished (fsynced) when it reaches the target size; returns them.
     * Tombstones are dropped when no level below the output can hold their key.
     */
    static List<TableInfo> run(Plan plan, Version version, long targetTableBytes, Supplier<TableWriter> newTable) {
        List<Iterator<Cell>> sources = new ArrayList<>();
        for (List<Table> run : plan.sources()) {
            sources.add(concatenate(run));
        }
        MergingIterator merged = new MergingIterator(sources);
        List<TableInfo> outputs = new ArrayList<>();
        TableWriter out = null;
        try {
            while (merged.hasNext()) {
                Cell cell = merged.next();
                if (cell.isTombstone() && !deeperLevelsMayHold(version, plan.outputLevel(), cell.key())) {
                    continue; // nothing older is left below for this tombstone to hide
                }
                if (out == null) {
                    out = newTable.get();
                }
                out.add(cell);
                if (out.size() >= targetTableBytes) {
                    TableWriter full = out;
                    out = null;
                    outputs.add(full.finish());
                }
            }
            if (out != null) {
                TableWriter last = out;
                out = null;
                outputs.add(last.finish());
            }
        } catch (RuntimeException e) {
            if (out != null) {
                out.abandon(e);
            }
            throw e;
        }
        return outputs;
    }

    private static boolean deeperLevelsMayHold(Version version, int outputLevel, byte[] key) {
        for (int n = outputLevel + 1; n < ManifestFormat.MAX_LEVELS; n++) {
            for (Table t : version.level(n)) {
                if (t.info().covers(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A run's tables one after another (level 0 runs are one table; a deeper level's are in key order). */
    private static Iterator<Cell> concatenate(List<Table> run) {
        return Version.run(run, null, null);
    }

    private static void add(Plan plan, List<Table> run, int level) {
        if (run.isEmpty()) {
            return;
        }
        plan.sources().add(run);
        for (Table t : run) {
            plan.inputs().add(t);
            plan.inputLevels().add(level);
        }
    }

    private static List<Table> overlapping(List<Table> level, byte[] low, byte[] high) {
        return level.stream().filter(t -> t.info().overlaps(low, high)).toList();
    }

    /** The first table of level {@code n} after the last one compacted there, wrapping around. */
    private Table nextInTurn(List<Table> level, int n) {
        byte[] after = pointers[n];
        if (after != null) {
            for (Table t : level) {
                if (Keys.COMPARATOR.compare(t.info().smallest(), after) > 0) {
                    return t;
                }
            }
        }
        return level.get(0);
    }
}
