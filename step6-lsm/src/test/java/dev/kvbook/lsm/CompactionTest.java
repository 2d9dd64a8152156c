package dev.kvbook.lsm;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.lsm.Tables.put;
import static dev.kvbook.lsm.Tables.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

/** Compaction's picks and its one subtle rule: a tombstone goes only when nothing below can hold its key. */
class CompactionTest {

    private final CrashSimVfs vfs = new CrashSimVfs();
    private long nextNumber = 100;
    private final List<Table> opened = new ArrayList<>();

    private static LsmStore.Options options() {
        return LsmStore.Options.defaults().withVfs(Vfs.local()).withLevel0(2, 4).withLevels(1000, 10);
    }

    private Table table(Cell... cells) {
        TableInfo info = Tables.write(vfs, nextNumber++, 64, List.of(cells));
        Table t = Tables.open(vfs, info);
        opened.add(t);
        return t;
    }

    private static Version version(List<Table> level0, List<Table> level1, List<Table> level2) {
        List<List<Table>> levels = new ArrayList<>();
        levels.add(new ArrayList<>(level0));
        levels.add(new ArrayList<>(level1));
        levels.add(new ArrayList<>(level2));
        for (int i = 3; i < ManifestFormat.MAX_LEVELS; i++) {
            levels.add(new ArrayList<>());
        }
        Version.sortLevels(levels);
        return new Version(levels);
    }

    private List<String> run(Compaction.Plan plan, Version version) {
        List<TableInfo> outputs = Compaction.run(plan, version, 1 << 20, () -> {
            long n = nextNumber++;
            Path path = StoreFiles.table(Tables.DIR, n);
            return new TableWriter(vfs.open(path, true), path, n, 64, 10);
        });
        List<String> cells = new ArrayList<>();
        for (TableInfo info : outputs) {
            Table t = Tables.open(vfs, info);
            t.cells(null, null).forEachRemaining(c -> cells.add(c.toString()));
            t.release();
        }
        return cells;
    }

    @Test
    void aFullLevelZeroIsMergedWithTheLevelOneTablesItOverlaps() {
        Table older = table(put("a", "1"), put("m", "1"));
        Table newer = table(put("a", "2"), tombstone("c"));
        Table overlapped = table(put("b", "L1"), put("c", "L1"));
        Table apart = table(put("x", "L1"), put("z", "L1"));
        Version version = version(List.of(older, newer), List.of(overlapped, apart), List.of());
        Compaction.Plan plan = new Compaction(options()).pick(version);
        assertThat(plan.outputLevel()).isEqualTo(1);
        assertThat(plan.inputs()).containsExactlyInAnyOrder(older, newer, overlapped);
        assertThat(run(plan, version)).as("newest wins; the tombstone for c drops: nothing below level 1 holds c")
                .containsExactly("\"a\" = \"2\"", "\"b\" = \"L1\"", "\"m\" = \"1\"");
        version.release();
    }

    @Test
    void aTombstoneIsKeptWhileADeeperLevelMayHoldItsKey() {
        Table newer = table(tombstone("c"), put("d", "0"));
        Table older = table(put("a", "0"));
        Table deep = table(put("c", "still here at level 2"));
        Version version = version(List.of(newer, older), List.of(), List.of(deep));
        Compaction.Plan plan = new Compaction(options()).pick(version);
        assertThat(plan.outputLevel()).isEqualTo(1);
        assertThat(run(plan, version)).as("dropping the tombstone would bring level 2's c back")
                .containsExactly("\"a\" = \"0\"", "\"c\" TOMBSTONE", "\"d\" = \"0\"");
        version.release();
    }

    @Test
    void aFullCompactionDropsEveryTombstoneAndSupersededValue() {
        Table newer = table(tombstone("c"), put("d", "new"));
        Table l1 = table(put("a", "0"), put("d", "old"));
        Table deep = table(put("c", "old"), put("e", "0"));
        Version version = version(List.of(newer), List.of(l1), List.of(deep));
        Compaction.Plan plan = Compaction.full(version);
        assertThat(plan.outputLevel()).isEqualTo(2);
        assertThat(run(plan, version)).containsExactly("\"a\" = \"0\"", "\"d\" = \"new\"", "\"e\" = \"0\"");
        version.release();
    }

    @Test
    void aLevelOverItsLimitSendsOneTableDownWithTheTablesItOverlaps() {
        List<Table> level1 = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            level1.add(table(put("k" + i + "a", "v".repeat(200)), put("k" + i + "b", "v".repeat(200))));
        }
        Table below = table(put("k0ab", "deep"));
        Version version = version(List.of(), level1, List.of(below));
        Compaction compaction = new Compaction(options());
        Compaction.Plan first = compaction.pick(version);
        assertThat(first.outputLevel()).isEqualTo(2);
        assertThat(first.inputs()).containsExactly(level1.get(0), below);
        Compaction.Plan second = compaction.pick(version);
        assertThat(second.inputs()).as("round-robin: the next table in key order").containsExactly(level1.get(1));
        version.release();
    }

    @org.junit.jupiter.api.AfterEach
    void releaseTables() {
        opened.forEach(Table::release);
    }
}
