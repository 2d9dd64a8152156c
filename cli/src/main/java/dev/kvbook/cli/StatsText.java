package dev.kvbook.cli;

import dev.kvbook.api.StoreStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A store's {@link StoreStats} for people: every label in words ({@code cacheHits} becomes
 * "cache hits"), every count with thousands separators, every byte figure also in KB or MB, so
 * {@code kv stats}, the shell and {@code kv load} print one number format.
 */
final class StatsText {

    /** Said under the figures: the counters are this process's, which a one-shot command makes surprising. */
    static final String COUNTERS_NOTE = "Counters (commits, cache hits, merges...) count from when this process "
            + "opened the store; a one-shot kv command opens it anew.";

    private StatsText() {
    }

    /** Label and value per line, aligned: the common figures first, then the store's own. */
    static List<String> lines(StoreStats stats) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"store", stats.store()});
        rows.add(new String[]{"live keys", Units.count(stats.liveKeys())});
        rows.add(new String[]{"files", Units.count(stats.files())});
        rows.add(new String[]{"bytes on disk", bytes(stats.bytesOnDisk())});
        rows.add(new String[]{"garbage bytes", bytes(stats.garbageBytes())});
        for (Map.Entry<String, Object> detail : stats.details().entrySet()) {
            rows.add(new String[]{label(detail.getKey()), value(detail.getKey(), detail.getValue())});
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        rows.forEach(r -> lines.add(String.format("%-" + width + "s  %s", r[0], r[1])));
        return lines;
    }

    /** One line: {@code step4: 3,000 live keys, 1 file, 737 KB on disk, 0 B garbage}. */
    static String summary(StoreStats stats) {
        return stats.store() + ": " + Units.count(stats.liveKeys(), "live key") + ", " + Units.count(stats.files(), "file")
                + ", " + Units.bytes(stats.bytesOnDisk()) + " on disk, " + Units.bytes(stats.garbageBytes()) + " garbage";
    }

    /** {@code walSyncs} as "WAL syncs", {@code keydirBytesPerKey} as "keydir bytes per key". */
    static String label(String camelCase) {
        String words = camelCase.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return words.replaceAll("\\bwal\\b", "WAL");
    }

    /** Counts with separators; a figure named {@code ...Bytes} also in KB/MB; anything else as it is. */
    static String value(String key, Object value) {
        if (value instanceof Long || value instanceof Integer) {
            long n = ((Number) value).longValue();
            return key.endsWith("Bytes") && n >= 1_000 ? bytes(n) : Units.count(n);
        }
        return String.valueOf(value);
    }

    private static String bytes(long n) {
        return Units.count(n) + " (" + Units.bytes(n) + ")";
    }
}
