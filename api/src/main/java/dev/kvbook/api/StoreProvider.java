package dev.kvbook.api;

import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.List;

/**
 * Names one kind of store and opens, checks and describes it: the plug that lets the CLI,
 * benchmarks and notebooks work with every step without knowing any of them.
 *
 * <p>Each step module registers one provider through {@link java.util.ServiceLoader} (a file
 * {@code META-INF/services/dev.kvbook.api.StoreProvider} naming the class), and
 * {@link Stores#open(String, Path)} finds it by {@link #name()}.
 */
public interface StoreProvider {

    /** The short name used everywhere: {@code "step1"} ... {@code "step5"}. */
    String name();

    /** One line for a person: what this store is and its one idea. */
    String description();

    /**
     * Opens (creating if needed) the store at {@code path} with default options on {@code vfs}.
     * Whether {@code path} is a file or a directory depends on the store.
     */
    KeyValueStore open(Path path, Vfs vfs);

    /**
     * Opens a store that {@link #open} refuses because it was not closed cleanly
     * ({@link UncleanShutdownException}), read-only instead, so a person can look at what
     * survived; a store that was closed cleanly opens as with {@link #open}. Only a store that
     * refuses rather than recovers after a crash offers this (step 4, which has no log to repair
     * with); the others recover on open and need no such mode. Reads may meet damaged pages.
     *
     * @throws UnsupportedOperationException when this store recovers on open and has no such mode
     *                                       (the default)
     */
    default KeyValueStore openUncleanReadOnly(Path path, Vfs vfs) {
        throw new UnsupportedOperationException(name() + " repairs a store that was not closed cleanly when it opens,"
                + " so it has no read-only mode for one");
    }

    /**
     * Checks the store at {@code path} without changing it: every checksum, length and
     * structural rule the store knows, and reports every problem found rather than only the
     * first. Holds the readers' lock ({@link Vfs#lockShared}) while it reads: it fails fast with
     * {@link StoreLockedException} while a writer has the store open, keeps writers out while it
     * reads, and lets other readers in. Opens files read-only and creates none, so it works on
     * read-only media.
     */
    VerifyReport verify(Path path, Vfs vfs);

    /**
     * Describes the store's on-disk layout for a person, as text and as a Mermaid diagram. Opens
     * files read-only and creates none, so it works on read-only media.
     */
    Inspection inspect(Path path, Vfs vfs);

    /**
     * {@link #inspect(Path, Vfs)} with the structured model paged by {@code window}: which items of
     * each long region to include, and optionally a key whose {@code get} path to trace
     * ({@link dev.kvbook.api.inspect.StoreModel#lookup}). Every step overrides this; the default,
     * for toy providers, ignores the window.
     */
    default Inspection inspect(Path path, Vfs vfs, dev.kvbook.api.inspect.Window window) {
        return inspect(path, vfs);
    }

    /**
     * Returns whether {@code path} holds a store of this kind, judging by its magic number, so a
     * tool can be pointed at a path and work out which store it is. Never throws for a path that
     * holds something else or nothing; throws for one it may not read, because then it cannot
     * tell, and "cannot read" must not pass for "not this kind of store".
     *
     * @throws java.io.UncheckedIOException wrapping a {@link java.nio.file.AccessDeniedException}
     *                                      when a file (or directory) it must read may not be read
     */
    boolean recognizes(Path path, Vfs vfs);

    /**
     * Whether a store opened by {@link #open} (its default options) makes every write durable
     * before the write returns. DESIGN requires this of every store's defaults, so the answer is
     * {@code true} unless a provider says otherwise; tools such as the crash-lab use it to know
     * which writes a crash may lose.
     */
    default boolean durableOnEveryWrite() {
        return true;
    }

    /**
     * The store-specific operations this kind of store offers by name, such as
     * {@code "compact"} (step 2), {@code "merge"} (step 3) or {@code "checkpoint"} (step 5), so
     * the shell and notebooks can offer them without knowing the store. None by default.
     */
    default List<String> maintenanceOperations() {
        return List.of();
    }

    /**
     * Runs the operation {@code name} (one of {@link #maintenanceOperations()}) on a store this
     * provider opened, and returns a line for a person saying what it did.
     *
     * @throws IllegalArgumentException when this store has no such operation
     */
    default String runMaintenance(KeyValueStore store, String name) {
        throw new IllegalArgumentException(name() + " has no operation '" + name + "'; it offers: "
                + (maintenanceOperations().isEmpty() ? "none" : String.join(", ", maintenanceOperations())));
    }
}
