package dev.kvbook.api.inspect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hand-built models in the shape package-info's vocabulary gives each step, small enough to check
 * by eye: the renderer's tests draw these rather than real stores, so they do not depend on the
 * steps' inspectors.
 */
final class Models {

    private Models() {
    }

    static Item item(String id, String kind, long index, String label, long offset, long length, String state, String... keys) {
        return new Item(id, kind, index, label, offset, length, state, List.of(keys), Map.of());
    }

    /** Step 1: one file, a header and one snapshot record per key. */
    static StoreModel step1() {
        List<Item> items = new ArrayList<>();
        items.add(item("file@0", "header", 0, "header", 0, 16, ""));
        long offset = 16;
        String[] keys = {"apple", "banana", "cherry"};
        for (int i = 0; i < keys.length; i++) {
            items.add(item("file@" + offset, "record", i + 1, keys[i], offset, 20 + i, "live", keys[i]));
            offset += 20 + i;
        }
        return StoreModel.builder("step1", "/tmp/x/data.pickle").fact("keys", 3).fact("bytes", offset)
                .region(new Region("file", "file", "data.pickle", Map.of("bytes", String.valueOf(offset)), items.size(), items))
                .build();
    }

    /** Step 2: a log of 100 records, a window of the first {@code shown}, some dead, a tombstone. */
    static StoreModel step2(int shown) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            String key = "k" + (i % 7);
            boolean tomb = i == 9;
            String state = i < 7 ? "dead" : "live";
            items.add(item("log@" + (i * 32), tomb ? "tombstone" : "record", i, key, i * 32L, 32, tomb ? "dead" : state, key));
        }
        return StoreModel.builder("step2", "/tmp/x/data.log").fact("records", 100)
                .region(new Region("log", "file", "data.log", Map.of(), 100, items))
                .build();
    }

    /** Step 3: two segments and a keydir whose entries point into them. */
    static StoreModel step3() {
        List<Item> seg1 = List.of(
                item("seg:1@0", "record", 0, "a", 0, 30, "dead", "a"),
                item("seg:1@30", "record", 1, "b", 30, 30, "live", "b"),
                item("seg:1@60", "tombstone", 2, "c", 60, 20, "dead", "c"));
        List<Item> seg2 = List.of(
                item("seg:2@0", "record", 0, "a", 0, 4000, "live", "a"),
                item("seg:2@4000", "record", 1, "d", 4000, 31, "live", "d"));
        List<Item> keydir = new ArrayList<>();
        for (String k : List.of("a", "b", "d")) {
            keydir.add(item(Item.keyId(k.getBytes(StandardCharsets.UTF_8)), "keydir-entry", keydir.size(), k, -1, 0, "live", k));
        }
        return StoreModel.builder("step3", "/tmp/x").fact("segments", 2).fact("keys", 3)
                .region(new Region("seg:1", "segment", "segment 1", Map.of("dead", "2"), 3, seg1))
                .region(new Region("seg:2", "segment", "segment 2 (active)", Map.of(), 2, seg2))
                .region(new Region("keydir", "keydir", "keydir", Map.of(), 3, keydir))
                .link("key:61", "seg:2@0", "points-to")
                .link("key:62", "seg:1@30", "points-to")
                .link("key:64", "seg:2@4000", "points-to")
                .build();
    }

    /** Step 4: a root, two branches, four leaves chained by next, a free page and an overflow page. */
    static StoreModel step4() {
        StoreModel.Builder b = StoreModel.builder("step4", "/tmp/x/tree.db").fact("page size", 4096).fact("height", 3);
        b.region(new Region("header", "header", "header slots", Map.of(), 2, List.of(
                item("slot:0", "header", 0, "slot A", 0, 4096, "live"),
                item("slot:1", "header", 1, "slot B", 4096, 4096, "dead"))));
        b.region(new Region("level:0", "tree-level", "root", Map.of(), 1, List.of(
                item("page:2", "branch", 0, "page 2", 8192, 4096, "live", "m"))));
        b.region(new Region("level:1", "tree-level", "branches", Map.of(), 2, List.of(
                item("page:3", "branch", 0, "page 3", 12288, 4096, "live", "f"),
                item("page:4", "branch", 1, "page 4", 16384, 4096, "live", "t"))));
        List<Item> leaves = new ArrayList<>();
        String[][] keys = {{"a", "c", "e"}, {"f", "k"}, {"m", "p", "s"}, {"t", "z"}};
        for (int i = 0; i < keys.length; i++) {
            leaves.add(item("page:" + (5 + i), "leaf", i, "page " + (5 + i), (5 + i) * 4096L, 4096, "live", keys[i]));
        }
        b.region(new Region("level:2", "tree-level", "leaves", Map.of(), 4, leaves));
        b.region(new Region("overflow", "overflow", "overflow pages", Map.of(), 1, List.of(
                item("page:9", "overflow", 0, "page 9", 9 * 4096L, 4096, "live"))));
        b.region(new Region("free", "free-list", "free list", Map.of(), 1, List.of(
                item("page:10", "free", 0, "page 10", 10 * 4096L, 4096, "free"))));
        b.link("page:2", "page:3", "child").link("page:2", "page:4", "child");
        b.link("page:3", "page:5", "child").link("page:3", "page:6", "child");
        b.link("page:4", "page:7", "child").link("page:4", "page:8", "child");
        b.link("page:5", "page:6", "next").link("page:6", "page:7", "next").link("page:7", "page:8", "next");
        b.link("page:6", "page:9", "overflow");
        b.lookup(new Lookup("p", true, List.of("page:2", "page:4", "page:7"), "three page reads"));
        return b.build();
    }

    /** Step 5: a log of frames (one uncommitted) beside a two-level tree, and the log index. */
    static StoreModel step5() {
        StoreModel.Builder b = StoreModel.builder("step5", "/tmp/x/db").fact("page size", 4096).fact("frames", 3);
        b.region(new Region("log", "log", "db-wal", Map.of(), 3, List.of(
                item("log@32", "frame", 0, "frame 1 · page 3", 32, 4120, "live", "a", "c"),
                item("log@4152", "frame", 1, "frame 2 · page 2", 4152, 4120, "live", "m"),
                item("log@8272", "frame", 2, "frame 3 · page 3", 8272, 4120, "uncommitted", "a", "b", "c"))));
        b.region(new Region("log-index", "log-index", "log index", Map.of(), 2, List.of(
                item("index:2", "index-entry", 0, "page 2", -1, 0, "live"),
                item("index:3", "index-entry", 1, "page 3", -1, 0, "live"))));
        b.region(new Region("level:0", "tree-level", "root", Map.of(), 1, List.of(
                item("page:2", "branch", 0, "page 2", 8192, 4096, "live", "m"))));
        b.region(new Region("level:1", "tree-level", "leaves", Map.of(), 2, List.of(
                item("page:3", "leaf", 0, "page 3", 12288, 4096, "live", "a", "c"),
                item("page:4", "leaf", 1, "page 4", 16384, 4096, "live", "m", "q"))));
        b.link("page:2", "page:3", "child").link("page:2", "page:4", "child").link("page:3", "page:4", "next");
        b.link("log@32", "page:3", "frame-of").link("log@4152", "page:2", "frame-of").link("log@8272", "page:3", "frame-of");
        b.link("index:2", "log@4152", "points-to").link("index:3", "log@32", "points-to");
        return b.build();
    }

    /** Step 6: a write-ahead log, a memtable, L0 with two tables and L1 with three. */
    static StoreModel step6() {
        StoreModel.Builder b = StoreModel.builder("step6", "/tmp/x/lsm").fact("levels", 2).fact("tables", 5);
        b.region(new Region("manifest", "header", "manifest", Map.of(), 1, List.of(item("MANIFEST", "header", 0, "MANIFEST-000004", 0, 180, "live"))));
        b.region(new Region("wal", "log", "000007.log", Map.of(), 2, List.of(
                item("wal@0", "record", 0, "put x", 0, 40, "live", "x"),
                item("wal@40", "tombstone", 1, "del y", 40, 20, "live", "y"))));
        b.region(new Region("memtable", "memtable", "memtable", Map.of("bytes", "60"), 2, List.of(
                item("mem:x", "record", 0, "x", -1, 0, "live", "x"),
                item("mem:y", "tombstone", 1, "y", -1, 0, "live", "y"))));
        b.region(new Region("L0", "lsm-level", "L0", Map.of(), 2, List.of(
                item("table:000006", "table", 0, "000006", 0, 2_000, "live", "b", "w"),
                item("table:000005", "table", 1, "000005", 0, 1_800, "live", "a", "z"))));
        b.region(new Region("L1", "lsm-level", "L1", Map.of(), 3, List.of(
                item("table:000001", "table", 0, "000001", 0, 64_000, "live", "a", "f"),
                item("table:000002", "table", 1, "000002", 0, 60_000, "live", "g", "p"),
                item("table:000003", "table", 2, "000003", 0, 30_000, "live", "q", "z"))));
        return b.build();
    }

    static List<StoreModel> all() {
        return List.of(step1(), step2(64), step3(), step4(), step5(), step6());
    }
}
