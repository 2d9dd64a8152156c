package dev.kvbook.api.inspect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The few decisions of {@link Layout} a test can state without looking at the picture. */
class LayoutTest {

    @Test
    void idsAreOrderedWithTheirNumbersByValue() {
        List<String> ids = new ArrayList<>(List.of("seg:1@118", "seg:1@30", "seg:10@0", "seg:2@0", "page:9", "page:10"));
        ids.sort(Labels::naturally);
        assertThat(ids).containsExactly("page:9", "page:10", "seg:1@30", "seg:1@118", "seg:2@0", "seg:10@0");
    }

    @Test
    void theRootIsCentredOverItsLeaves() {
        Layout layout = Layout.of(Models.step4(), Highlight.none());
        Layout.Box root = box(layout, "page:2");
        Layout.Box first = box(layout, "page:5");
        Layout.Box last = box(layout, "page:8");
        assertThat(root.cx()).isCloseTo((first.x() + last.x() + last.w()) / 2, org.assertj.core.data.Offset.offset(1.0));
        assertThat(root.y()).isLessThan(first.y());
    }

    @Test
    void theKeydirStandsLeftOfTheSegmentsAndStep5sLogAboveTheTree() {
        Layout step3 = Layout.of(Models.step3(), Highlight.none());
        assertThat(box(step3, "key:61").x() + box(step3, "key:61").w()).isLessThan(box(step3, "seg:1@0").x());
        Layout step5 = Layout.of(Models.step5(), Highlight.none());
        assertThat(box(step5, "log@32").y()).isLessThan(box(step5, "page:2").y());
    }

    @Test
    void aLongerRecordIsAWiderBoxWithinBounds() {
        Layout step3 = Layout.of(Models.step3(), Highlight.none());
        assertThat(box(step3, "seg:2@0").w()).isGreaterThan(box(step3, "seg:2@4000").w()).isLessThanOrEqualTo(160);
    }

    @Test
    void aLargerTableIsAWiderBox() {
        Layout step6 = Layout.of(Models.step6(), Highlight.none());
        assertThat(box(step6, "table:000001").w()).isGreaterThan(box(step6, "table:000003").w());
        assertThat(box(step6, "table:000003").w()).as("wide enough for its key range")
                .isGreaterThanOrEqualTo(Labels.textWidth("a … z") + 12);
    }

    private static Layout.Box box(Layout layout, String id) {
        return layout.areas.stream().flatMap(a -> a.boxes().stream()).filter(b -> b.item().id().equals(id)).findFirst().orElseThrow();
    }
}
