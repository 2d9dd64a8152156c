package dev.kvbook.cli;

import dev.kvbook.api.Json;
import dev.kvbook.api.vfs.CountingVfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tour's figures as JSON ({@code kv tour --json}), for programs: the book's and notebooks'
 * checks compare the figures quoted in prose with it. Counts (operations, bytes, reads, writes,
 * syncs, files, keys) are the same on every run, since the work is fixed; timings ({@code nanos},
 * {@code heapHeld}) are measurements and vary.
 *
 * <pre>{@code
 * {"keys": 5000, "budgetSeconds": null, "failures": [],
 *  "stores": [{"store": "step1", "keys": 1000, "wrongAnswers": 0,
 *              "phases": {"load": {"planned": 1000, "done": 1000, "nanos": ..., "bytesRead": ..., ...},
 *                         "readBack": {...}, "overwrite": {...}, "delete": {...}, "transaction": {...}},
 *              "reopen": {"closeNanos": ..., "reopenNanos": ..., "bytesRead": ..., "heapHeld": ...},
 *              "stats": {"liveKeys": ..., "files": ..., "bytesOnDisk": ..., "garbageBytes": ...},
 *              "own": {"atClose": {the store's own figures}, "readBack": {how its counters grew}},
 *              "perOp": {"writtenPerPut": ..., "writeAmplification": ..., "syncsPerPut": ...,
 *                        "readPerGet": ..., "readsPerGet": ...}}, ...]}
 * }</pre>
 */
final class TourJson {

    private TourJson() {
    }

    /** The whole document: what was asked, each store's figures, and what went wrong. */
    static String of(long keysAsked, Double budgetSeconds, List<TourFigures> all, List<String> failures) {
        Map<String, Object> tour = new LinkedHashMap<>();
        tour.put("keys", keysAsked);
        tour.put("budgetSeconds", budgetSeconds);
        tour.put("failures", failures);
        List<Object> stores = new ArrayList<>();
        for (TourFigures f : all) {
            stores.add(store(f));
        }
        tour.put("stores", stores);
        return Json.write(tour);
    }

    private static Map<String, Object> store(TourFigures f) {
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("store", f.store());
        store.put("keysAsked", f.keysAsked());
        store.put("keys", f.keys());
        store.put("wrongAnswers", f.wrongAnswers());
        Map<String, Object> phases = new LinkedHashMap<>();
        TourFigures.Phases p = f.phases();
        for (TourFigures.Phase phase : List.of(p.loaded().phase(), p.read(), p.overwrite(), p.delete(), p.transaction())) {
            phases.put(jsonName(phase.name()), phase(phase));
        }
        store.put("phases", phases);
        Map<String, Object> reopen = new LinkedHashMap<>();
        reopen.put("closeNanos", f.reopen().closeNanos());
        reopen.put("reopenNanos", f.reopen().reopenNanos());
        reopen.putAll(io(f.reopen().io()));
        reopen.put("heapHeld", f.reopen().heapHeld());
        store.put("reopen", reopen);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("liveKeys", f.stats().liveKeys());
        stats.put("files", f.stats().files());
        stats.put("bytesOnDisk", f.stats().bytesOnDisk());
        stats.put("garbageBytes", f.stats().garbageBytes());
        stats.put("bytesOnDiskAfterLoad", f.loaded().diskAfterLoad());
        store.put("stats", stats);
        // The store's own figures (step 6's flushes, compactions, levels, Bloom-filter savings, ...),
        // as the first open left them, and how its counters moved during the read-back.
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("atClose", f.own().atClose().details());
        own.put("readBack", f.own().readBack());
        store.put("own", own);
        Map<String, Object> perOp = new LinkedHashMap<>();
        perOp.put("writtenPerPut", f.writtenPerPut());
        perOp.put("writeAmplification", f.writeAmplification());
        perOp.put("syncsPerPut", f.syncsPerPut());
        perOp.put("readPerGet", f.readPerGet());
        perOp.put("readsPerGet", f.readsPerGet());
        perOp.put("syncsPerTransactionPut", f.syncsPerTransactionPut());
        store.put("perOp", perOp);
        return store;
    }

    /** "read back" as "readBack": a JSON name a selector can spell without quotes. */
    private static String jsonName(String phase) {
        String[] words = phase.split(" ");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }

    private static Map<String, Object> phase(TourFigures.Phase phase) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("planned", phase.planned());
        json.put("done", phase.done());
        json.put("nanos", phase.nanos());
        json.putAll(io(phase.io()));
        return json;
    }

    private static Map<String, Object> io(CountingVfs.IoCounts io) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bytesRead", io.bytesRead());
        json.put("bytesWritten", io.bytesWritten());
        json.put("reads", io.reads());
        json.put("writes", io.writes());
        json.put("syncs", io.syncs());
        json.put("metadataOps", io.metadataOps());
        return json;
    }
}
