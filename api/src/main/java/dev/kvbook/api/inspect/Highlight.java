package dev.kvbook.api.inspect;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a picture should mark: the items a command added, moved (a key whose record now sits
 * elsewhere) or freed, and the path of the last {@code get}. Computed by comparing two models by
 * item id ({@link #between}), so it needs nothing from the store but its inspections.
 *
 * @param added ids of items present after and not before
 * @param moved ids (after) of live records whose key lived in another item before
 * @param freed ids of items present before and gone after, or whose state became {@code free} or {@code dead}
 * @param path  the ids a {@code get} touched, in order (from the newer model's {@link StoreModel#lookup})
 */
public record Highlight(Set<String> added, Set<String> moved, Set<String> freed, List<String> path) {

    public Highlight {
        added = Set.copyOf(added);
        moved = Set.copyOf(moved);
        freed = Set.copyOf(freed);
        path = List.copyOf(path);
    }

    /** Nothing marked. */
    public static Highlight none() {
        return new Highlight(Set.of(), Set.of(), Set.of(), List.of());
    }

    /** Only the lookup path of {@code model}, if it has one. */
    public static Highlight pathOf(StoreModel model) {
        return new Highlight(Set.of(), Set.of(), Set.of(), model.lookup() == null ? List.of() : model.lookup().touched());
    }

    /**
     * What changed from {@code before} to {@code after} (either may be null: then nothing is
     * marked as changed), plus the lookup path of {@code after}. Only items inside both windows
     * can be compared; an item that scrolled out of the window is not reported as freed.
     */
    public static Highlight between(StoreModel before, StoreModel after) {
        if (before == null || after == null) {
            return after == null ? none() : pathOf(after);
        }
        Set<String> added = new LinkedHashSet<>();
        Set<String> moved = new LinkedHashSet<>();
        Set<String> freed = new LinkedHashSet<>();
        for (Region region : after.regions()) {
            Region old = before.region(region.id());
            for (Item item : region.items()) {
                Item was = before.item(item.id());
                if (was == null && (old == null || old.elided() == 0 || coversIndex(old, item.index()))) {
                    added.add(item.id());
                } else if (was != null && becameFree(was, item)) {
                    freed.add(item.id());
                }
            }
        }
        for (Region region : before.regions()) {
            Region now = after.region(region.id());
            for (Item was : region.items()) {
                if (after.item(was.id()) == null && (now == null || now.elided() == 0 || coversIndex(now, was.index()))) {
                    freed.add(was.id());
                }
            }
        }
        Map<String, String> then = before.locations();
        after.locations().forEach((key, id) -> {
            String old = then.get(key);
            if (old != null && !old.equals(id)) {
                moved.add(id);
            }
        });
        return new Highlight(added, moved, freed, after.lookup() == null ? List.of() : after.lookup().touched());
    }

    private static boolean becameFree(Item was, Item now) {
        boolean wasInUse = !"free".equals(was.state()) && !"dead".equals(was.state());
        boolean nowUnused = "free".equals(now.state()) || "dead".equals(now.state());
        return wasInUse && nowUnused;
    }

    private static boolean coversIndex(Region region, long index) {
        if (region.items().isEmpty()) {
            return false;
        }
        long lo = region.items().get(0).index();
        long hi = region.items().get(region.items().size() - 1).index();
        return index >= lo && index <= hi;
    }
}
