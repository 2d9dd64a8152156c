package dev.kvbook.testkit.inspect;

import dev.kvbook.api.JsonReader;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Link;
import dev.kvbook.api.inspect.Region;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every step's {@link StoreModel} must pass, whatever the store: the rules of the
 * vocabulary ({@linkplain dev.kvbook.api.inspect the package documentation}) that do not depend
 * on what the store holds. Each step's model test adds what its store must show.
 */
public final class ModelChecks {

    private ModelChecks() {
    }

    /**
     * The structural rules: ids unique, each region's items in index order within
     * {@code [0, total)}, offsets strictly increasing within a region (items in a file follow
     * the file), and the JSON reading back as exactly {@link StoreModel#toMap}.
     */
    public static void assertWellFormed(StoreModel model) {
        assertThat(model.version()).isEqualTo(StoreModel.VERSION);
        Set<String> ids = new HashSet<>();
        for (Region region : model.regions()) {
            assertThat(ids.add("region " + region.id())).as("region ids are unique: %s", region.id()).isTrue();
            long lastIndex = -1;
            long lastOffset = -1;
            for (Item item : region.items()) {
                assertThat(ids.add(item.id())).as("item ids are unique: %s", item.id()).isTrue();
                assertThat(item.index()).as("index of %s", item.id()).isGreaterThan(lastIndex).isLessThan(region.total());
                lastIndex = item.index();
                if (item.offset() >= 0) {
                    assertThat(item.offset()).as("offsets increase in region %s at %s", region.id(), item.id())
                            .isGreaterThan(lastOffset);
                    lastOffset = item.offset();
                }
            }
        }
        assertJsonReadsBack(model);
    }

    /** The model's JSON parses, as the map it was printed from. */
    public static void assertJsonReadsBack(StoreModel model) {
        assertThat(JsonReader.parse(model.toJson())).isEqualTo(normalized(model.toMap()));
    }

    /** Every link's ends are items of the model (true when the window shows everything). */
    public static void assertLinksResolve(StoreModel model) {
        for (Link link : model.links()) {
            assertThat(model.item(link.from())).as("link from %s", link.from()).isNotNull();
            assertThat(model.item(link.to())).as("link %s -> %s", link.from(), link.to()).isNotNull();
        }
    }

    /**
     * Paging: each region shows at most {@code window.limit()} items in its window plus the items
     * the lookup touched, and every item outside the window is one the lookup touched; every
     * touched id is in the model.
     */
    public static void assertPagedBy(StoreModel model, Window window) {
        Set<String> touched = model.lookup() == null ? Set.of() : new HashSet<>(model.lookup().touched());
        for (Region region : model.regions()) {
            int outside = 0;
            for (Item item : region.items()) {
                if (!window.shows(item.index(), region.total())) {
                    assertThat(touched).as("%s is outside the window, so the lookup must have touched it", item.id())
                            .contains(item.id());
                    outside++;
                }
            }
            long inWindow = Math.min(window.limit(), region.total());
            assertThat(region.items().size() - outside).as("items in the window of %s", region.id())
                    .isEqualTo(inWindow);
        }
        for (String id : touched) {
            assertThat(model.item(id)).as("touched item %s is in the model", id).isNotNull();
        }
    }

    /** Integers as {@code Long}, as {@link JsonReader} reads them; everything else as it is. */
    static Object normalized(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalized(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(normalized(v)));
            return copy;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return value;
    }
}
