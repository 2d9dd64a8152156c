package dev.kvbook.api;

import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The maps open in this JVM, so that {@link PersistentMap#open} called twice for one store gives
 * two handles over one {@link MapCore} (one store, one lock, one cache), counted by its
 * {@link Handles} and closed with the last handle.
 *
 * <p>Why not simply open the store twice? Because a store may be open only once: it takes an
 * exclusive lock ({@link StoreLockedException}), and it must, since two stores over one set of
 * files would each append without knowing of the other's records. Sharing belongs one level up,
 * where a map can hand out a second handle to what is already open. A second process cannot share
 * (it has its own JVM) and still gets {@link StoreLockedException}.
 *
 * <p>Entries are keyed by the {@link Vfs} and the store's real path ({@link Vfs#realPath}), so two
 * spellings of one path (a symbolic link, {@code ./}) find the same map. Every change happens under
 * this class's monitor, so an open never meets a map that is half closed; the price is that opening
 * or closing one map (with its sweep on open) holds up opening or closing another.
 */
final class SharedStores {

    private record Key(Vfs vfs, Path realPath) {
    }

    private static final Map<Key, MapCore> OPEN = new HashMap<>();

    /** The stores a map is over, so that {@link #claim} refuses a second map with its own cache. Weak: a dropped store goes. */
    private static final Map<KeyValueStore, Boolean> CLAIMED = Collections.synchronizedMap(new WeakHashMap<>());

    private SharedStores() {
    }

    /**
     * The map at {@code path} with one more handle: the open one, or a new one over a store opened
     * now with {@link Stores#open(String, Path, Vfs)}.
     *
     * @throws IllegalArgumentException when it is open with other options or as another kind of store
     */
    static synchronized MapCore acquire(String storeName, Path path, Vfs vfs, MapOptions options) {
        Key key = new Key(vfs, vfs.realPath(path));
        MapCore open = OPEN.get(key);
        if (open != null) {
            open.handles().join(storeName, options);
            return open;
        }
        KeyValueStore store = Stores.open(storeName, path, vfs);
        MapCore core = MapCore.open(store, storeName, true, options);
        CLAIMED.put(store, Boolean.TRUE);
        OPEN.put(key, core);
        return core;
    }

    /** Drops a handle {@link #acquire} gave; the last closes the map and its store. */
    static synchronized void release(MapCore core) {
        if (core.release()) {
            OPEN.values().remove(core);
            CLAIMED.remove(core.store());
        }
    }

    /**
     * A map over {@code store}, which the caller opened and will close, as the only map over it.
     *
     * @throws IllegalStateException when a map is already over this store object
     */
    static MapCore claim(KeyValueStore store, MapOptions options) {
        if (CLAIMED.putIfAbsent(store, Boolean.TRUE) != null) {
            throw new IllegalStateException("a PersistentMap is already open over this store; use that one (its"
                    + " cache would not see this map's writes), or PersistentMap.open to share one map between handles");
        }
        try {
            return MapCore.open(store, null, false, options);
        } catch (RuntimeException e) {
            CLAIMED.remove(store);
            throw e;
        }
    }

    /** Closes a map {@link #claim} made (the store stays open). */
    static void unclaim(MapCore core) {
        if (core.release()) {
            CLAIMED.remove(core.store());
        }
    }
}
