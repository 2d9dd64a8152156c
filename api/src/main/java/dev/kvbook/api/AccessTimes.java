package dev.kvbook.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last-access times that reads have noted but not yet written: the batch behind
 * {@link MapOptions#metadata} and expiry after last access.
 *
 * <p>Why batch: writing an envelope on every read would make each {@code get} a durable write,
 * a get-heavy map as slow as a put-heavy one. Instead a read notes "key k read at t" here, under
 * the map's read lock, and the times are written together when {@link MapOptions#accessBatch}
 * have piled up, on {@code sync()}, on {@code close()} and on each background sweep. The price,
 * stated in {@link PersistentMap}: a crash loses the times not yet written (never an entry), and
 * expiry after last access then counts from the last time that was written.
 *
 * <p>Readers of the map consult this batch too ({@link #latest}), so within the process an entry
 * read a moment ago is not expired just because its time is still here.
 *
 * <p>Keys are the key codec's bytes (unique per entry, unlike stored keys, which a bucket of long
 * keys shares). Thread safety: a concurrent map, written by readers under the read lock and
 * drained by {@code MapCore.flushAccessTimes} under the write lock, which excludes them.
 */
final class AccessTimes {

    private final Map<ByteBuffer, Long> pending = new ConcurrentHashMap<>();
    private final int batch;

    AccessTimes(int batch) {
        this.batch = batch;
    }

    /** Notes that {@code key} was read at {@code at} (keeping the later time if it was already noted). O(1). */
    void note(byte[] key, long at) {
        pending.merge(ByteBuffer.wrap(key.clone()), at, Math::max);
    }

    /** The time noted for {@code key}, or {@link Long#MIN_VALUE} when none is. O(1). */
    long latest(byte[] key) {
        Long at = pending.get(ByteBuffer.wrap(key));
        return at == null ? Long.MIN_VALUE : at;
    }

    /** Forgets {@code key}'s time: a write or delete of the key has just superseded it. */
    void forget(byte[] key) {
        pending.remove(ByteBuffer.wrap(key));
    }

    /** Forgets every time: the map was cleared. */
    void clear() {
        pending.clear();
    }

    /** Whether a batch is due: {@link MapOptions#accessBatch} times or more are waiting. */
    boolean full() {
        return pending.size() >= batch;
    }

    /** How many times are waiting. */
    int size() {
        return pending.size();
    }

    /**
     * Removes and returns up to {@code max} noted times (key, time). Call it under the write
     * lock, so no reader notes a time for a key between its removal here and its write.
     */
    List<Map.Entry<byte[], Long>> take(int max) {
        List<Map.Entry<byte[], Long>> taken = new ArrayList<>();
        for (var it = pending.entrySet().iterator(); it.hasNext() && taken.size() < max; ) {
            Map.Entry<ByteBuffer, Long> e = it.next();
            taken.add(Map.entry(e.getKey().array(), e.getValue()));
            it.remove();
        }
        return taken;
    }
}
