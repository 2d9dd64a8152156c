package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Works out which kind of store to use: the one named with {@code --store}, or the one whose
 * magic number the file at the path carries (every provider is asked {@code recognizes(path)}).
 *
 * <p>This is where bad input about stores and paths is caught before anything is opened: an
 * unknown name, a path that does not exist, a path holding another kind of store. Each becomes a
 * {@link UsageException} saying what to do instead. Every look at the path goes through the
 * {@link Vfs} the command was given.
 */
public final class StoreLocator {

    private StoreLocator() {
    }

    /** Every registered store, sorted by name; refuses to go on when there is none. */
    static List<StoreProvider> providers() {
        List<StoreProvider> all = Stores.providers();
        if (all.isEmpty()) {
            throw new UsageException("no stores are registered: the step jars are missing from the class path; "
                    + "rebuild with ./kv");
        }
        return all;
    }

    /** The store called {@code name}; an unknown name lists the ones there are. */
    public static StoreProvider byName(String name) {
        List<StoreProvider> all = providers();
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("no store called '" + name + "'; the stores are "
                        + names(all) + " ('kv stores' describes them)"));
    }

    /** The store whose format the file at {@code path} has, judged by every provider's {@code recognizes}. */
    static StoreProvider detect(Path path, Vfs vfs) {
        requireExists(path, vfs);
        StoreProvider found = recognizer(path, vfs);
        if (found == null) {
            throw new UsageException(path + " holds no store kvbook knows: none of " + names(providers())
                    + " recognizes it; check the path");
        }
        return found;
    }

    /**
     * The store to open at {@code path}: the named one (checked against what the path holds) or,
     * when {@code name} is null, the detected one.
     *
     * @param mustExist whether the path must already hold a store (reads do; writes may create one)
     */
    public static StoreProvider forOpen(String name, Path path, boolean mustExist, Vfs vfs) {
        if (mustExist) {
            requireExists(path, vfs);
        }
        if (name == null) {
            if (!vfs.exists(path)) {
                throw new UsageException("no store at " + path + " yet: name the kind to create with --store ("
                        + names(providers()) + "; 'kv stores' describes them)");
            }
            return detect(path, vfs);
        }
        StoreProvider named = byName(name);
        if (vfs.exists(path) && !named.recognizes(path, vfs)) {
            StoreProvider other = recognizer(path, vfs);
            if (other != null) {
                throw new UsageException(path + " holds a " + other.name() + " store, not " + name
                        + ": use --store " + other.name() + " (or leave --store out to detect it)");
            }
        }
        return named;
    }

    /**
     * Fails with a clear line when {@code path} is missing, or when it cannot be read: a file is
     * opened and its first byte read, a directory listed, through {@code vfs}. "Permission denied"
     * comes out as the {@code UncheckedIOException} it is, which {@link Errors} words as
     * "permission denied: <file>"; a file inside the store that may not be read is caught the same
     * way by the providers' {@code recognizes}, which throw rather than say "not mine".
     */
    static void requireExists(Path path, Vfs vfs) {
        if (!vfs.exists(path)) {
            throw new UsageException("no such file or directory: " + path + "; check the path");
        }
        vfs.readHead(path, 1); // a file: throws when it may not be read
        vfs.list(path);        // a directory: throws when it may not be listed (a file lists as empty)
    }

    private static StoreProvider recognizer(Path path, Vfs vfs) {
        return providers().stream().filter(p -> p.recognizes(path, vfs)).findFirst().orElse(null);
    }

    static String names(List<StoreProvider> providers) {
        return providers.stream().map(StoreProvider::name).collect(Collectors.joining(", "));
    }
}
