package dev.kvbook.whiteboard;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.whiteboard.Whiteboards.Whiteboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The list the tour and the tests find the whiteboards in: one per step, in order, each opener a working store. */
class WhiteboardsTest {

    @TempDir
    Path home;

    @Test
    void thereIsOneWhiteboardPerStepInStepOrder() {
        assertThat(Whiteboards.all()).extracting(Whiteboard::abridges)
                .containsExactly("step1", "step2", "step3", "step4", "step5", "step6");
        assertThat(Whiteboards.all()).extracting(Whiteboard::name).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(Whiteboards.find(name)).isPresent());
        assertThat(Whiteboards.find("step1")).as("the steps' names stay the steps'").isEmpty();
    }

    @Test
    void everyOpenerOpensAStoreThatKeepsAWriteAndRefusesASecondOpen() {
        Set<String> ordered = Set.of("WhiteboardPickle", "WhiteboardBTree", "WhiteboardRedoLog", "WhiteboardLsm");
        for (Whiteboard w : Whiteboards.all()) {
            Path path = home.resolve(w.fileName());
            try (KeyValueStore store = w.open(Vfs.local(), path)) {
                store.put(utf8("apple"), utf8("red"));
                store.sync();
                assertThatThrownBy(() -> w.open(Vfs.local(), path)).as(w.name()).isInstanceOf(StoreLockedException.class);
                assertThat(store instanceof OrderedKeyValueStore).as("%s is ordered", w.name()).isEqualTo(ordered.contains(w.name()));
            }
            try (KeyValueStore store = w.open(Vfs.local(), path)) {
                assertThat(store.get(utf8("apple"))).as(w.name()).isEqualTo(utf8("red"));
                assertThat(List.of(store.stats().store())).as(w.name()).allSatisfy(name -> assertThat(name).startsWith("whiteboard-"));
            }
        }
    }
}
