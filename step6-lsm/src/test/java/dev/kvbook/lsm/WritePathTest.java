package dev.kvbook.lsm;

import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write path's back-pressure: writes slow down before they stop. */
class WritePathTest {

    @TempDir
    Path home;

    private static long slowdowns(LsmStore store) {
        return (long) store.stats().detail("writeSlowdowns");
    }

    @ParameterizedTest(name = "background compaction {0}")
    @ValueSource(booleans = {false, true})
    void eachWriteIsSlowedDownOnceLevel0HoldsTheSlowdownCountAndNoneBefore(boolean background) {
        // Compaction starts at 3 level-0 tables, writes slow down at 3 and stop at 12. An explicit
        // flush() adds a level-0 table without compacting, so the count is set by the test alone.
        LsmStore.Options options = LsmStoreContractTest.small(Vfs.local()).withLevel0(3, 3, 12)
                .withBackgroundCompaction(background);
        try (LsmStore store = LsmStore.open(home.resolve("db"), options)) {
            for (int table = 0; table < 2; table++) {
                store.put(utf8("k" + table), utf8("v"));
                store.flush();
            }
            store.put(utf8("two tables"), utf8("v"));
            assertThat(slowdowns(store)).as("below the slowdown count").isZero();
            store.flush();
            assertThat(store.stats().detail("levels").toString()).startsWith("L0: 3 tables");
            store.put(utf8("three tables"), utf8("v"));
            store.delete(utf8("k0"));
            assertThat(slowdowns(store)).as("one wait per write batch at the slowdown count").isEqualTo(2);
            store.compact();
            store.put(utf8("compacted"), utf8("v"));
            assertThat(slowdowns(store)).as("compaction emptied level 0").isEqualTo(2);
            assertThat((long) store.stats().detail("writeStalls")).as("slowed, never stopped").isZero();
            assertThat(store.get(utf8("three tables"))).isEqualTo(utf8("v"));
            assertThat(store.get(utf8("k0"))).isNull();
        }
    }

    @Test
    void theDefaultsSlowWritesBetweenTheCompactionTriggerAndTheStop() {
        LsmStore.Options defaults = LsmStore.Options.defaults();
        assertThat(defaults.level0CompactionTrigger()).isLessThan(defaults.level0SlowdownWrites());
        assertThat(defaults.level0SlowdownWrites()).isLessThan(defaults.level0StopWrites());
        assertThat(defaults.withLevel0(2, 4).level0SlowdownWrites()).as("the two-count form: no slowdown band")
                .isEqualTo(4);
    }

    @Test
    void aSlowdownCountBelowTheCompactionTriggerOrAboveTheStopIsRefused() {
        LsmStore.Options defaults = LsmStore.Options.defaults();
        assertThatThrownBy(() -> defaults.withLevel0(4, 3, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level0SlowdownWrites");
        assertThatThrownBy(() -> defaults.withLevel0(4, 13, 12)).isInstanceOf(IllegalArgumentException.class);
    }
}
