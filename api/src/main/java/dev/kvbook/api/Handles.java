package dev.kvbook.api;

/**
 * The handles open over one {@link MapCore}, and the map's one-way life: open, closing, closed.
 *
 * <p>{@link PersistentMap#open} called twice for one path in one JVM gives two handles over one
 * map ({@link SharedStores}), because the store below may be opened only once. So closing a handle
 * cannot simply close the map: the map counts its handles, and only the last one to
 * {@link #leave} closes it. A handle that {@link #join joins} must ask for the very map that is
 * open, the same kind of store and the same options, since it will share its store, cache, clock
 * and sweep; anything else is refused rather than quietly given a map unlike the one it asked for.
 *
 * <pre>
 *   open (1..n handles) --last leave--&gt; closing --{@link #closed}--&gt; closed
 * </pre>
 * While <em>closing</em>, the last handle is shutting the map down (stopping its sweep, writing
 * its access times); a running sweep sees {@link #closing} and stops between batches, and no handle
 * may join. Once <em>closed</em>, every call on the map throws {@link StoreClosedException}.
 * Nothing goes back.
 *
 * <p>Thread safety: counting is under this object's monitor; the two states are volatile, so the
 * map's calls check them without a lock.
 */
final class Handles {

    private final String storeName;
    private final MapOptions options;
    private int count = 1;
    private volatile boolean closing;
    private volatile boolean closed;

    /**
     * The first handle of a map with {@code options}.
     *
     * @param storeName the store's provider name ({@code "step3"}), or {@code null} when unknown
     */
    Handles(String storeName, MapOptions options) {
        this.storeName = storeName;
        this.options = options;
    }

    /**
     * One more handle, asking for a {@code name} store with {@code asked}.
     *
     * @throws IllegalArgumentException when the map is open as another kind of store or with other options
     * @throws StoreClosedException     when the map is closing or closed
     */
    synchronized void join(String name, MapOptions asked) {
        if (closing) {
            throw new StoreClosedException("the PersistentMap");
        }
        if (storeName != null && !storeName.equals(name)) {
            throw new IllegalArgumentException("this path is open in this JVM as a " + storeName
                    + " store, not " + name);
        }
        if (!options.equals(asked)) {
            throw new IllegalArgumentException("this map is open in this JVM with " + options + "; a second handle"
                    + " shares its store, cache, clock and sweep, so it must be opened with the same options, not "
                    + asked);
        }
        count++;
    }

    /**
     * One handle fewer. Returns {@code true} for the last one, exactly once: the map is closing
     * from now on, and the caller must close it and then call {@link #closed}.
     */
    synchronized boolean leave() {
        if (closing || --count > 0) {
            return false;
        }
        closing = true;
        return true;
    }

    /** The last handle has closed the map: every call on it throws from now on. */
    void closed() {
        assert closing : "only the last handle to leave closes the map";
        closed = true;
    }

    /** Whether the last handle has left: a sweep stops between batches. */
    boolean closing() {
        return closing;
    }

    /** Handles open now: 0 once the last has left. */
    synchronized int count() {
        return count;
    }

    /** Throws {@link StoreClosedException} when the map is closed. */
    void checkOpen() {
        if (closed) {
            throw new StoreClosedException("the PersistentMap");
        }
    }
}
