package dev.kvbook.pickled;

import dev.kvbook.api.Limits;

import java.util.NavigableMap;

/**
 * The {@link Batch} handed to a {@link PickledMapStore#batch} consumer. Each write
 * goes straight into the store's map, its before-image into this batch's own {@link UndoLog}, so
 * a consumer that throws can be rolled back without touching writes made before the batch.
 *
 * <p>Used only by the thread running the batch, which holds the store's write lock throughout.
 */
final class OpenBatch implements Batch {

    private final NavigableMap<byte[], byte[]> map;
    private final UndoLog undo = new UndoLog();
    private final Thread owner = Thread.currentThread();
    private boolean over;

    /** A batch writing into {@code map}, owned by the calling thread. */
    OpenBatch(NavigableMap<byte[], byte[]> map) {
        this.map = map;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        byte[] k = Limits.checkKey(key).clone();
        byte[] v = Limits.checkValue(value).clone();
        checkActive();
        undo.apply(map, k, v);
    }

    @Override
    public boolean delete(byte[] key) {
        byte[] k = Limits.checkKey(key).clone();
        checkActive();
        return undo.apply(map, k, null);
    }

    /** The before-images of this batch's changes. */
    UndoLog undo() {
        return undo;
    }

    /** Ends the batch; when it did not complete, puts the map back as it was before it. O(k log N). */
    void end(boolean complete) {
        over = true;
        if (!complete) {
            undo.rollback(map);
        }
    }

    /** Only the thread running the batch, and only until the consumer returns. */
    private void checkActive() {
        if (Thread.currentThread() != owner || over) {
            throw new IllegalStateException("this batch is over; a Batch is valid only inside batch()");
        }
    }
}
