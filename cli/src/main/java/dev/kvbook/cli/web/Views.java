package dev.kvbook.cli.web;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.inspect.Highlight;
import dev.kvbook.api.inspect.Picture;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.CountingVfs.IoCounts;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces of a {@code kv web} answer that do not depend on which command ran: the model as
 * JSON-ready maps, its picture, a highlight, the cost of a command and the store's figures; and
 * the way the server looks at a store that is open ({@link #inspect}).
 */
final class Views {

    /** How many times an inspection is tried before the answer says it failed (see {@link #inspect}). */
    static final int INSPECT_TRIES = 4;

    private Views() {
    }

    /**
     * A file system for inspecting a store this process holds open: {@code vfs} with its locks
     * made no-ops. The store holds its exclusive lock and an inspector asks for the readers' lock
     * ({@link Vfs#lockShared}), which would fail fast; here the server's own command lock already
     * keeps the store still while it is inspected (but for step 6's background work, see
     * {@link #inspect}). It must be an un-counted {@code vfs}, so that looking at the store does not
     * show up in the cost of the command that changed it.
     */
    static Vfs withoutLocks(Vfs vfs) {
        return new ForwardingVfs(vfs) {
            @Override
            public Closeable lock(Path lockFile) {
                return () -> { };
            }

            @Override
            public Closeable lockShared(Path lockFile) {
                return () -> { };
            }
        };
    }

    /**
     * The store's model in {@code window}, read from its files through {@code vfs}. Step 6 flushes
     * and compacts in a background thread, so a file the inspector lists can be gone when it opens
     * it, or a table half-written: such a failure is retried after a short pause (the background
     * work is usually done by then), up to {@value #INSPECT_TRIES} tries, and the last one thrown.
     */
    static StoreModel inspect(StoreProvider provider, Path path, Vfs vfs, Window window) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= INSPECT_TRIES; attempt++) {
            try {
                return provider.inspect(path, vfs, window).model();
            } catch (RuntimeException e) {
                last = e;
                pause(attempt);
            }
        }
        throw last;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(25L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The picture of {@code model} (or a note saying there is none) with {@code highlight}. */
    static String svg(StoreModel model, Highlight highlight) {
        if (model == null) {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kvbook-picture no-model\" width=\"640\" height=\"40\">"
                    + "<text x=\"8\" y=\"24\" font-size=\"13\" font-family=\"sans-serif\">This store gives no structured model yet, so there is nothing to draw.</text></svg>";
        }
        return Picture.svg(model, highlight);
    }

    /** What a highlight marks, by id, for the page's captions and the tests. */
    static Map<String, Object> highlight(Highlight highlight) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("added", List.copyOf(highlight.added()));
        map.put("moved", List.copyOf(highlight.moved()));
        map.put("freed", List.copyOf(highlight.freed()));
        map.put("path", highlight.path());
        return map;
    }

    /** The I/O of one command: the difference of two {@link IoCounts} taken before and after it. */
    static Map<String, Object> cost(IoCounts delta) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bytesWritten", delta.bytesWritten());
        map.put("bytesRead", delta.bytesRead());
        map.put("writes", delta.writes());
        map.put("reads", delta.reads());
        map.put("syncs", delta.syncs());
        map.put("metadataOps", delta.metadataOps());
        return map;
    }

    /** The store's figures; its own details as JSON numbers, booleans or strings. */
    static Map<String, Object> stats(StoreStats stats) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("store", stats.store());
        map.put("liveKeys", stats.liveKeys());
        map.put("files", stats.files());
        map.put("bytesOnDisk", stats.bytesOnDisk());
        map.put("garbageBytes", stats.garbageBytes());
        Map<String, Object> details = new LinkedHashMap<>();
        stats.details().forEach((name, value) -> details.put(name, jsonScalar(value)));
        map.put("details", details);
        return map;
    }

    /** {@code value} as JSON can hold it: a finite number, a boolean or a string. */
    private static Object jsonScalar(Object value) {
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return String.valueOf(value);
        }
        return value instanceof Number || value instanceof Boolean || value instanceof String ? value : String.valueOf(value);
    }

    /** The model as maps and lists, or null. */
    static Map<String, Object> model(StoreModel model) {
        return model == null ? null : model.toMap();
    }
}
