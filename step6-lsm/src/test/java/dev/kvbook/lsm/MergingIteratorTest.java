package dev.kvbook.lsm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.kvbook.lsm.Tables.put;
import static dev.kvbook.lsm.Tables.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

/** The merging iterator: one cell per key, the newest source's, tombstones passed on for the caller to judge. */
@Tag("lab:step6.merge-tombstones")
class MergingIteratorTest {

    @Test
    void theNewestSourceWinsForEachKey() {
        List<String> merged = merge(
                List.of(put("b", "new"), put("d", "new")),
                List.of(put("a", "old"), put("b", "old"), put("c", "old")),
                List.of(put("b", "oldest"), put("e", "oldest")));
        assertThat(merged).containsExactly("\"a\" = \"old\"", "\"b\" = \"new\"", "\"c\" = \"old\"", "\"d\" = \"new\"",
                "\"e\" = \"oldest\"");
    }

    @Test
    void aNewerTombstoneHidesAnOlderValueAndIsPassedOn() {
        List<String> merged = merge(List.of(tombstone("b")), List.of(put("a", "1"), put("b", "2")));
        assertThat(merged).containsExactly("\"a\" = \"1\"", "\"b\" TOMBSTONE");
    }

    @Test
    void anOlderTombstoneDoesNotHideANewerValue() {
        List<String> merged = merge(List.of(put("b", "back")), List.of(tombstone("b")), List.of(put("b", "first")));
        assertThat(merged).containsExactly("\"b\" = \"back\"");
    }

    @Test
    void emptySourcesAndNoSourcesMergeToNothingOrTheRest() {
        assertThat(merge()).isEmpty();
        assertThat(merge(List.of(), List.of(put("a", "1")), List.of())).containsExactly("\"a\" = \"1\"");
    }

    @Test
    void aTombstoneInTheNewestSourceWinsOverValuesInEveryOlderOneAndTheNextKeyFollows() {
        List<String> merged = merge(List.of(tombstone("a")), List.of(put("a", "1"), put("b", "1")),
                List.of(put("a", "0"), put("c", "0")));
        assertThat(merged).containsExactly("\"a\" TOMBSTONE", "\"b\" = \"1\"", "\"c\" = \"0\"");
    }

    @SafeVarargs
    private static List<String> merge(List<Cell>... sources) {
        List<Iterator<Cell>> iterators = new ArrayList<>();
        for (List<Cell> source : sources) {
            iterators.add(source.iterator());
        }
        List<String> out = new ArrayList<>();
        new MergingIterator(iterators).forEachRemaining(c -> out.add(c.toString()));
        return out;
    }
}
