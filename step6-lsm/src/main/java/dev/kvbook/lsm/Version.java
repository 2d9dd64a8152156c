package dev.kvbook.lsm;

import dev.kvbook.api.Keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One immutable set of tables, level by level: what the manifest's edits add up to at one
 * moment. A flush or compaction never changes a version; it makes a new one and installs it.
 * Readers that started before keep the old one (an iterator holds a reference), so what they
 * read does not change under them, and its tables stay on disk until they are done.
 *
 * <h2>The shape of the tree</h2>
 * <ul>
 * <li>Level 0 holds whole memtables as they were flushed, newest first. Their key ranges
 *     overlap, so a get may probe all of them, newest first: the first that has the key wins.</li>
 * <li>Levels 1 to 6 are each one sorted run, cut into tables with disjoint key ranges, in key
 *     order: at most one table per level can hold a key, found by binary search.</li>
 * <li>A shallower level is newer than a deeper one: for any key, the first cell met going down
 *     is its current state.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable, with an atomic reference count.
 */
final class Version {

    /** Read figures: tables probed, probes the Bloom filter saved. */
    static final class ReadStats {
        final LongAdder tableProbes = new LongAdder();
        final LongAdder bloomSkips = new LongAdder();
    }

    private final List<List<Table>> levels;
    private final AtomicInteger references = new AtomicInteger(1);

    /** A version of these levels (level 0 newest first, others in key order), retaining every table. */
    Version(List<List<Table>> levels) {
        assert levels.size() == ManifestFormat.MAX_LEVELS;
        List<List<Table>> copy = new ArrayList<>();
        for (List<Table> level : levels) {
            copy.add(List.copyOf(level));
            level.forEach(Table::retain);
        }
        this.levels = List.copyOf(copy);
    }

    /** An empty version. */
    static Version empty() {
        List<List<Table>> levels = new ArrayList<>();
        for (int i = 0; i < ManifestFormat.MAX_LEVELS; i++) {
            levels.add(List.of());
        }
        return new Version(levels);
    }

    /**
     * The version after {@code edit}: its removed tables gone, its added ones (opened, in
     * {@code opened} by number) in place. O(tables).
     */
    Version apply(VersionEdit edit, Map<Long, Table> opened) {
        List<List<Table>> next = new ArrayList<>();
        for (List<Table> level : levels) {
            next.add(new ArrayList<>(level));
        }
        for (VersionEdit.Removed r : edit.removed()) {
            boolean removed = next.get(r.level()).removeIf(t -> t.number() == r.number());
            assert removed : "table " + r.number() + " is not at level " + r.level();
        }
        for (VersionEdit.Added a : edit.added()) {
            next.get(a.level()).add(opened.get(a.table().number()));
        }
        sortLevels(next);
        return new Version(next);
    }

    /** Level 0 newest (highest number) first; deeper levels by smallest key. */
    static void sortLevels(List<List<Table>> levels) {
        levels.get(0).sort(Comparator.comparingLong(Table::number).reversed());
        for (int i = 1; i < levels.size(); i++) {
            levels.get(i).sort((a, b) -> Keys.COMPARATOR.compare(a.info().smallest(), b.info().smallest()));
        }
    }

    /**
     * The current cell for {@code key} in these tables (a value or a tombstone), or {@code null}.
     * Level 0 newest first, then one table per deeper level; each probe asks the Bloom filter
     * first. O(levels + level-0 tables) filter checks, a block read per table that may hold the key.
     */
    Cell get(byte[] key, ReadStats stats) {
        for (int n = 0; n < levels.size(); n++) {
            for (Table table : candidates(levels.get(n), n == 0, key)) {
                if (!table.mayContain(key)) {
                    stats.bloomSkips.increment();
                    continue;
                }
                stats.tableProbes.increment();
                Cell cell = table.get(key);
                if (cell != null) {
                    return cell;
                }
            }
        }
        return null;
    }

    private static List<Table> candidates(List<Table> level, boolean overlapping, byte[] key) {
        if (overlapping) {
            return level.stream().filter(t -> t.info().covers(key)).toList();
        }
        int i = firstEndingAtOrAfter(level, key);
        return i < level.size() && level.get(i).info().covers(key) ? List.of(level.get(i)) : List.of();
    }

    /** In a level of disjoint tables, the first whose largest key is at or after {@code key}. */
    private static int firstEndingAtOrAfter(List<Table> level, byte[] key) {
        int low = 0;
        int high = level.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Keys.COMPARATOR.compare(level.get(mid).info().largest(), key) < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /**
     * Iterators over the cells in {@code [from, to)}, newest source first: each level-0 table,
     * then each deeper level as one run. What {@link MergingIterator} merges.
     */
    List<Iterator<Cell>> iterators(byte[] from, byte[] to) {
        List<Iterator<Cell>> sources = new ArrayList<>();
        for (Table t : levels.get(0)) {
            sources.add(t.cells(from, to));
        }
        for (int i = 1; i < levels.size(); i++) {
            if (!levels.get(i).isEmpty()) {
                sources.add(run(levels.get(i), from, to));
            }
        }
        return sources;
    }

    /** The cells of one deeper level's tables in order, opening each table's iterator only when reached. */
    static Iterator<Cell> run(List<Table> tables, byte[] from, byte[] to) {
        int first = from == null ? 0 : firstEndingAtOrAfter(tables, from);
        return new Iterator<>() {
            private int next = first;
            private Iterator<Cell> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (next >= tables.size() || (to != null
                            && Keys.COMPARATOR.compare(tables.get(next).info().smallest(), to) >= 0)) {
                        return false;
                    }
                    current = tables.get(next++).cells(from, to);
                }
                return true;
            }

            @Override
            public Cell next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** The tables of level {@code n}: level 0 newest first, the others in key order. */
    List<Table> level(int n) {
        return levels.get(n);
    }

    /** Bytes in level {@code n}'s tables. */
    long levelBytes(int n) {
        return levels.get(n).stream().mapToLong(t -> t.info().size()).sum();
    }

    /** Every table, level by level. */
    List<Table> allTables() {
        List<Table> all = new ArrayList<>();
        levels.forEach(all::addAll);
        return all;
    }

    /** The deepest level holding a table, or 0 when none does. */
    int deepestNonEmptyLevel() {
        for (int i = levels.size() - 1; i > 0; i--) {
            if (!levels.get(i).isEmpty()) {
                return i;
            }
        }
        return 0;
    }

    /** The snapshot edit of this version: every table added at its level. */
    VersionEdit snapshot(long logNumber, long nextFileNumber) {
        List<VersionEdit.Added> added = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            for (Table t : levels.get(i)) {
                added.add(new VersionEdit.Added(i, t.info()));
            }
        }
        return new VersionEdit(logNumber, nextFileNumber, List.of(), added);
    }

    /** Takes one more reference (an iterator starting on this version). */
    void retain() {
        int before = references.getAndIncrement();
        assert before > 0 : "a version retained after its last release";
    }

    /** Drops one reference; the last releases every table (deleting those obsolete). */
    void release() {
        int left = references.decrementAndGet();
        assert left >= 0 : "a version released more often than retained";
        if (left == 0) {
            RuntimeException failure = null;
            for (Table t : allTables()) {
                try {
                    t.release();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
