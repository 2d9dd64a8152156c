package dev.kvbook.lsm;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.lsm.Tables.put;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Compaction#pick} on its own, over versions put together by hand: level 0 first, all of
 * it with what it overlaps in level 1; else one table of the first level over its limit, in turn,
 * with what it overlaps below; else nothing.
 */
@Tag("lab:step6.compaction-pick")
class CompactionPickTest {

    private final CrashSimVfs vfs = new CrashSimVfs();
    private final List<Table> opened = new ArrayList<>();
    private long nextNumber = 10;

    /** A table holding {@code keys} (sorted), each with a short value. */
    private Table table(String... keys) {
        List<Cell> cells = new ArrayList<>();
        for (String k : keys) {
            cells.add(put(k, "v"));
        }
        Table t = Tables.open(vfs, Tables.write(vfs, nextNumber++, 64, cells));
        opened.add(t);
        return t;
    }

    @SafeVarargs
    private static Version version(List<Table>... levels) {
        List<List<Table>> all = new ArrayList<>();
        for (int i = 0; i < ManifestFormat.MAX_LEVELS; i++) {
            all.add(i < levels.length ? new ArrayList<>(levels[i]) : new ArrayList<>());
        }
        Version.sortLevels(all);
        return new Version(all);
    }

    /** Level 0 compacts at 2 tables; level 1 may hold {@code level1Bytes}, level 2 ten times that. */
    private static Compaction compaction(long level1Bytes) {
        return new Compaction(LsmStore.Options.defaults().withVfs(Vfs.local()).withLevel0(2, 4).withLevels(level1Bytes, 10));
    }

    private static List<Long> numbers(List<Table> tables) {
        return tables.stream().map(Table::number).toList();
    }

    @AfterEach
    void release() {
        opened.forEach(Table::release);
    }

    @Test
    void aTreeWithinEveryLimitNeedsNoCompaction() {
        Table l0 = table("a", "b");
        Table l1 = table("c", "d");
        assertThat(compaction(1 << 20).pick(version(List.of(l0), List.of(l1)))).isNull();
        assertThat(compaction(1 << 20).pick(version())).isNull();
    }

    @Test
    void aFullLevel0GoesDownWholeWithTheLevel1TablesItsKeysOverlap() {
        Table older = table("c", "f");
        Table newer = table("e", "h");
        Table before = table("a", "b");
        Table overlapped = table("g", "i");
        Table after = table("x", "y");
        Compaction.Plan plan = compaction(1 << 20).pick(version(List.of(older, newer), List.of(before, overlapped, after)));
        assertThat(plan).isNotNull();
        assertThat(plan.outputLevel()).isEqualTo(1);
        assertThat(numbers(plan.inputs())).containsExactly(newer.number(), older.number(), overlapped.number());
        assertThat(plan.inputLevels()).containsExactly(0, 0, 1);
        assertThat(plan.sources()).as("newest first: each level-0 table, then level 1 as one run")
                .containsExactly(List.of(newer), List.of(older), List.of(overlapped));
    }

    @Test
    void level0ComesFirstEvenWhenADeeperLevelIsOverItsLimit() {
        Table a = table("a");
        Table b = table("b");
        Table big = table("m", "n", "o");
        Compaction.Plan plan = compaction(1).pick(version(List.of(a, b), List.of(big)));
        assertThat(plan.outputLevel()).isEqualTo(1);
        assertThat(plan.inputLevels()).containsExactly(0, 0);
    }

    @Test
    void aLevelOverItsLimitSendsOneTableDownWithWhatItOverlapsAndTakesTurnsThroughTheKeys() {
        Table first = table("a", "c");
        Table second = table("e", "g");
        Table third = table("k", "m");
        Table below = table("b", "d");
        Table elsewhere = table("h", "i");
        Compaction compaction = compaction(1); // level 1 is over its limit whatever it holds
        Version v = version(List.of(), List.of(first, second, third), List.of(below, elsewhere));
        Compaction.Plan plan = compaction.pick(v);
        assertThat(plan.outputLevel()).isEqualTo(2);
        assertThat(numbers(plan.inputs())).containsExactly(first.number(), below.number());
        assertThat(plan.inputLevels()).containsExactly(1, 2);
        assertThat(numbers(compaction.pick(v).inputs())).as("the next turn: the table after the last one")
                .containsExactly(second.number());
        assertThat(numbers(compaction.pick(v).inputs())).containsExactly(third.number());
        assertThat(numbers(compaction.pick(v).inputs())).as("then round again").containsExactly(first.number(),
                below.number());
    }

    @Test
    void aDeeperLevelWithinItsLimitIsLeftAlone() {
        Table l1 = table("a", "b");
        Table l2 = table("c", "d");
        long l1Bytes = l1.info().size();
        // Level 1 exactly at its limit (not over), level 2 well under ten times that.
        assertThat(compaction(l1Bytes).pick(version(List.of(), List.of(l1), List.of(l2)))).isNull();
        assertThat(compaction(l1Bytes - 1).pick(version(List.of(), List.of(l1), List.of(l2))).outputLevel()).isEqualTo(2);
    }
}
