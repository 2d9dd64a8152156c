package dev.kvbook.hashindex;

import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the reference's merge plan promises beyond the crash promise: a merge takes every sealed
 * segment (so it leaves no garbage behind), and its output takes the numbers reserved between its
 * inputs and the new active segment. A merge policy of another design (only the segments with the
 * most garbage, say) may keep garbage and number its outputs otherwise, and still be right: the
 * build lab {@code step3.build-hints-merge} leaves this class out and judges by reopen and crash.
 */
@Tag("design:step3.build-hints-merge")
class ReferenceMergePlanTest {

    static final Path DIR = HashIndexStoreTest.DIR;

    final CrashSimVfs vfs = new CrashSimVfs();

    {
        vfs.createDirectories(DIR.getParent());
    }

    HashIndexStore open() {
        return HashIndexStore.open(DIR, HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(256));
    }

    void fill(HashIndexStore store, int keys) {
        for (int i = 0; i < keys; i++) {
            store.put(utf8("key" + i), HashIndexStoreTest.value(i));
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        vfs.list(DIR).forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }

    @Test
    void mergeDropsEveryTombstoneAndSupersededRecordOfTheMergedSegments() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
            fill(store, 20);
            store.delete(utf8("key7"));
            assertThat(store.stats().garbageBytes()).isGreaterThan(0);
            store.merge();
            // Only the new active segment is not merged, and it is empty: no garbage is left.
            assertThat(store.stats().garbageBytes()).isZero();
            assertThat(store.stats().detail("merges")).isEqualTo(1L);
        }
        assertThat(new HashIndexStoreProvider().verify(DIR, vfs).isClean()).isTrue();
    }

    @Test
    void mergeOutputTakesNumbersBetweenItsInputsAndTheNewActiveSegment() {
        try (HashIndexStore store = open()) {
            fill(store, 10);
            int activeBefore = (int) store.stats().detail("activeSegment");
            store.merge();
            int activeAfter = (int) store.stats().detail("activeSegment");
            assertThat(activeAfter).isGreaterThan(activeBefore + 1);
            for (String name : names()) {
                SegmentFormat.dataId(Path.of(name)).ifPresent(id ->
                        assertThat(id).isBetween(activeBefore + 1, activeAfter));
            }
        }
    }
}
