package dev.kvbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a store's figures, as {@link KeyValueStore#stats()} returns it: what the tour,
 * the shell's {@code stats} verb and the notebooks print.
 *
 * @param store        the store's name, such as {@code "step1"}
 * @param liveKeys     keys that {@code get} would find
 * @param files        files the store keeps on disk (the lock file not counted)
 * @param bytesOnDisk  the total size of those files
 * @param garbageBytes bytes on disk that hold no live data (superseded records, tombstones,
 *                     free pages): what compaction or merge could reclaim
 * @param details      the store's own figures, in a stable order (for example
 *                     {@code "rewrites" -> 12} or {@code "tornTailBytesTruncated" -> 37})
 */
public record StoreStats(String store, long liveKeys, int files, long bytesOnDisk, long garbageBytes,
                         Map<String, Object> details) {

    public StoreStats {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Returns one of the store's own figures, or {@code null} when it has no such figure. */
    public Object detail(String name) {
        return details.get(name);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder()
                .append(store).append(": ").append(Plural.of(liveKeys, "live key")).append(", ")
                .append(Plural.of(files, "file")).append(", ")
                .append(bytesOnDisk).append(" bytes on disk, ")
                .append(garbageBytes).append(" garbage bytes");
        details.forEach((name, value) -> text.append(", ").append(name).append('=').append(value));
        return text.toString();
    }
}
