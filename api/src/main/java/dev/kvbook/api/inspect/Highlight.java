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
 * @param added ids of items present after and not before, or holding other bytes at the same place of a file
 * @param moved ids (after) of live records whose key lived in another item before, an item that is now gone
 *              or holds other keys (an overwrite, which leaves the old record in place, is not a move)
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
     * marked as changed), plus the lookup path of {@code after}. Cost: a few passes over the items the two models show (a window bounds them).
     *
     * <p>Only what both windows could show is compared. An item missing from one model counts as
     * added or freed only if the other model's window covers its place: the region is shown whole,
     * or the item sits between two neighbours the window shows. "Between" is judged by what orders
     * the region: offsets for the strips of a file ({@code file}, {@code segment}, {@code log}),
     * keys for the regions kept in key order ({@code keydir}, {@code memtable}, {@code tree-level}),
     * the index otherwise. So an item that merely scrolled out of the window, because a put
     * earlier in the region pushed it along, is not reported as freed. An item whose region
     * disappeared (a segment a merge deleted) is freed.
     */
    public static Highlight between(StoreModel before, StoreModel after) {
        if (before == null || after == null) {
            return after == null ? none() : pathOf(after);
        }
        Set<String> added = new LinkedHashSet<>();
        Set<String> moved = new LinkedHashSet<>();
        Set<String> freed = new LinkedHashSet<>();
        Map<String, Item> then = byId(before);
        Map<String, Item> now = byId(after);
        for (Region region : after.regions()) {
            Region old = before.region(region.id());
            for (Item item : region.items()) {
                Item was = then.get(item.id());
                if (was == null && (old == null || covers(old, item))) {
                    added.add(item.id());
                } else if (was != null && rewritten(region, was, item)) {
                    added.add(item.id());
                } else if (was != null && becameFree(was, item)) {
                    freed.add(item.id());
                }
            }
        }
        for (Region region : before.regions()) {
            Region later = after.region(region.id());
            for (Item was : region.items()) {
                if (!now.containsKey(was.id()) && (later == null || covers(later, was))) {
                    freed.add(was.id());
                }
            }
        }
        Map<String, String> where = before.locations();
        after.locations().forEach((key, id) -> {
            String old = where.get(key);
            // An overwrite leaves the key's old record where it was (now dead): that is a new
            // record, not a move. A key moved when its old place is gone or holds something else.
            Item oldItem = old == null ? null : now.get(old);
            if (old != null && !old.equals(id) && (oldItem == null || !oldItem.keys().equals(List.of(key)))) {
                moved.add(id);
            }
        });
        return new Highlight(added, moved, freed, after.lookup() == null ? List.of() : after.lookup().touched());
    }

    /**
     * Whether a place in a file now holds something else: the same offset, another record (a
     * rewritten file, a log reused after a checkpoint). New bytes were written there, so it counts
     * as added, although its id is old. Pages are left out: a page that gained a key is the same page.
     */
    private static boolean rewritten(Region region, Item was, Item now) {
        boolean inFile = switch (region.kind()) {
            case "file", "segment", "log" -> true;
            default -> false;
        };
        return inFile && (!was.kind().equals(now.kind()) || !was.keys().equals(now.keys()) || was.length() != now.length());
    }

    /** Every item shown, by id (the first, should a model repeat an id). */
    private static Map<String, Item> byId(StoreModel model) {
        Map<String, Item> items = new java.util.HashMap<>();
        for (Item item : model.items()) {
            items.putIfAbsent(item.id(), item);
        }
        return items;
    }

    private static boolean becameFree(Item was, Item now) {
        boolean wasInUse = !"free".equals(was.state()) && !"dead".equals(was.state());
        boolean nowUnused = "free".equals(now.state()) || "dead".equals(now.state());
        return wasInUse && nowUnused;
    }

    /**
     * Whether {@code region}'s window shows the place where {@code item} (from the other model)
     * would be. A window is one run of consecutive indices, plus perhaps items a lookup touched
     * far away, so each run of consecutive indices is checked on its own.
     */
    static boolean covers(Region region, Item item) {
        if (region.elided() == 0) {
            return true;
        }
        List<Item> items = region.items();
        int runStart = 0;
        for (int i = 1; i <= items.size(); i++) {
            if (i == items.size() || items.get(i).index() != items.get(i - 1).index() + 1) {
                if (runCovers(region.kind(), items.get(runStart), items.get(i - 1), item)) {
                    return true;
                }
                runStart = i;
            }
        }
        return false;
    }

    private static boolean runCovers(String regionKind, Item first, Item last, Item item) {
        switch (regionKind) {
            case "file", "segment", "log" -> {
                if (item.offset() >= 0 && first.offset() >= 0 && last.offset() >= 0) {
                    return item.offset() >= first.offset() && item.offset() <= last.offset();
                }
            }
            case "keydir", "memtable", "tree-level" -> {
                if (!item.keys().isEmpty() && !first.keys().isEmpty() && !last.keys().isEmpty()) {
                    String key = item.keys().get(0);
                    return key.compareTo(first.keys().get(0)) >= 0
                            && key.compareTo(last.keys().get(last.keys().size() - 1)) <= 0;
                }
            }
            default -> {
            }
        }
        return item.index() >= first.index() && item.index() <= last.index();
    }
}
