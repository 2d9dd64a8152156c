package dev.kvbook.api;

import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the stores on the class path and opens them by name: {@code Stores.open("step3", dir)}.
 *
 * <p>Every step registers a {@link StoreProvider}; this class asks {@link ServiceLoader} for
 * them, so a tool built before a step existed picks it up as soon as its jar is on the class
 * path.
 */
public final class Stores {

    private Stores() {
    }

    /** Every registered provider, sorted by name ({@code step1} first). */
    public static List<StoreProvider> providers() {
        List<StoreProvider> found = load(Thread.currentThread().getContextClassLoader());
        if (found.isEmpty()) {
            found = load(Stores.class.getClassLoader());
        }
        found.sort(Comparator.comparing(StoreProvider::name));
        return found;
    }

    private static List<StoreProvider> load(ClassLoader loader) {
        List<StoreProvider> found = new ArrayList<>();
        ServiceLoader.load(StoreProvider.class, loader).forEach(found::add);
        return found;
    }

    /**
     * The provider called {@code name}.
     *
     * @throws IllegalArgumentException naming the stores there are, when there is no such store
     */
    public static StoreProvider provider(String name) {
        List<StoreProvider> all = providers();
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no store called '" + name + "'; the stores are: "
                        + all.stream().map(StoreProvider::name).collect(Collectors.joining(", "))));
    }

    /** Opens the store {@code name} at {@code path} on the real file system, with its defaults. */
    public static KeyValueStore open(String name, Path path) {
        return open(name, path, Vfs.local());
    }

    /** Opens the store {@code name} at {@code path} on {@code vfs}, with its defaults. */
    public static KeyValueStore open(String name, Path path, Vfs vfs) {
        return provider(name).open(path, vfs);
    }
}
