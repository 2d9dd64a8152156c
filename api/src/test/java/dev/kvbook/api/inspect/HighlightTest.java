package dev.kvbook.api.inspect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kvbook.api.inspect.Models.item;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link Highlight#between} says what a command added, moved and freed, and no more. */
class HighlightTest {

    private static StoreModel log(Item... records) {
        return StoreModel.builder("step2", "p").region(new Region("log", "file", "data.log", Map.of(), records.length, List.of(records))).build();
    }

    @Test
    void aPutOverAnExistingKeyAddsARecordAndFreesTheOldOne() {
        StoreModel before = log(item("log@0", "record", 0, "a", 0, 20, "live", "a"));
        StoreModel after = log(item("log@0", "record", 0, "a", 0, 20, "dead", "a"), item("log@20", "record", 1, "a", 20, 20, "live", "a"));
        Highlight h = Highlight.between(before, after);
        assertThat(h.added()).containsExactly("log@20");
        assertThat(h.freed()).containsExactly("log@0");
        assertThat(h.moved()).as("an overwrite is not a move: the old record is still there").isEmpty();
    }

    @Test
    void aCompactionThatRewritesTheFileMovesKeysAndFreesWhatIsGone() {
        StoreModel before = log(item("log@0", "record", 0, "a", 0, 20, "dead", "a"), item("log@20", "record", 1, "b", 20, 20, "live", "b"),
                item("log@40", "record", 2, "a", 40, 20, "live", "a"));
        StoreModel after = log(item("log@0", "record", 0, "b", 0, 20, "live", "b"), item("log@20", "record", 1, "a", 20, 20, "live", "a"));
        Highlight h = Highlight.between(before, after);
        assertThat(h.added()).as("the same offsets hold other records: new bytes").containsExactlyInAnyOrder("log@0", "log@20");
        assertThat(h.moved()).containsExactlyInAnyOrder("log@0", "log@20");
        assertThat(h.freed()).containsExactly("log@40");
    }

    @Test
    void aPageThatGainsAKeyIsNotAdded() {
        StoreModel before = StoreModel.builder("step4", "p").region(new Region("level:0", "tree-level", "leaves", Map.of(), 1,
                List.of(item("page:1", "leaf", 0, "1", 4096, 4096, "live", "a")))).build();
        StoreModel after = StoreModel.builder("step4", "p").region(new Region("level:0", "tree-level", "leaves", Map.of(), 1,
                List.of(item("page:1", "leaf", 0, "1", 4096, 4096, "live", "a", "b")))).build();
        assertThat(Highlight.between(before, after)).isEqualTo(Highlight.none());
    }

    @Test
    void aPageThatJoinsTheFreeListIsFreedAndARegionThatVanishedFreesItsItems() {
        StoreModel before = StoreModel.builder("step3", "p")
                .region(new Region("seg:1", "segment", "segment 1", Map.of(), 1, List.of(item("seg:1@0", "record", 0, "a", 0, 9, "live", "a"))))
                .region(new Region("level:1", "tree-level", "leaves", Map.of(), 1, List.of(item("page:7", "leaf", 0, "7", 0, 4096, "live", "q"))))
                .build();
        StoreModel after = StoreModel.builder("step3", "p")
                .region(new Region("free", "free-list", "free", Map.of(), 1, List.of(item("page:7", "free", 0, "7", 0, 4096, "free"))))
                .build();
        Highlight h = Highlight.between(before, after);
        assertThat(h.freed()).containsExactlyInAnyOrder("seg:1@0", "page:7");
        assertThat(h.added()).isEmpty();
    }

    /** A keydir of {@code total} keys k000.. in key order, of which the window shows the first 64, plus {@code extra} keys. */
    private static StoreModel keydir(int total, String... extra) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            keys.add(String.format("k%03d", i));
        }
        keys.addAll(List.of(extra));
        keys.sort(null);
        List<Item> shown = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            shown.add(item("key:" + keys.get(i), "keydir-entry", i, keys.get(i), -1, 0, "live", keys.get(i)));
        }
        return StoreModel.builder("step3", "p").region(new Region("keydir", "keydir", "keydir", Map.of(), keys.size(), shown)).build();
    }

    @Test
    void anEntryPushedOutOfTheWindowIsNotFreed() {
        StoreModel before = keydir(100);
        StoreModel after = keydir(100, "k010x");
        Highlight h = Highlight.between(before, after);
        assertThat(h.added()).containsExactly("key:k010x");
        assertThat(h.freed()).as("k063 only scrolled out").isEmpty();
        // and the other way: the key removed again is freed, and k063 coming back into view is not added
        Highlight back = Highlight.between(after, before);
        assertThat(back.freed()).containsExactly("key:k010x");
        assertThat(back.added()).isEmpty();
    }

    @Test
    void aRecordBeyondTheWindowIsNeitherAddedNorFreed() {
        List<Item> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(item("log@" + i * 10, "record", i, "k" + i, i * 10L, 10, "live", "k" + i));
        }
        // the window shows records 0-3 of 10, and record 9 because a lookup touched it
        List<Item> before = new ArrayList<>(first);
        before.add(item("log@90", "record", 9, "k9", 90, 10, "live", "k9"));
        List<Item> after = new ArrayList<>(first);
        after.add(item("log@100", "record", 10, "k10", 100, 10, "live", "k10"));
        Highlight h = Highlight.between(
                StoreModel.builder("step2", "p").region(new Region("log", "file", "", Map.of(), 10, before)).build(),
                StoreModel.builder("step2", "p").region(new Region("log", "file", "", Map.of(), 11, after)).build());
        assertThat(h.freed()).as("log@90 is only no longer touched").isEmpty();
        assertThat(h.added()).as("log@100 lies past the old window").isEmpty();
    }

    @Test
    void withoutABeforeOnlyThePathIsMarked() {
        StoreModel model = Models.step4();
        Highlight h = Highlight.between(null, model);
        assertThat(h.path()).containsExactly("page:2", "page:4", "page:7");
        assertThat(h.added()).isEmpty();
        assertThat(Highlight.between(model, null)).isEqualTo(Highlight.none());
    }
}
