package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.Vfs;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --store} and {@code --path} options that every command working on one store takes
 * (a picocli mixin). Leave {@code --store} out for an existing store and it is detected from the
 * file's magic number.
 */
final class StoreOptions {

    @Option(names = {"-s", "--store"}, paramLabel = "STORE",
            description = "The kind of store: step1, step2, ... ('kv stores' lists them). "
                    + "Detected from the file when left out.")
    String store;

    @Option(names = {"-p", "--path"}, paramLabel = "PATH", required = true,
            description = "Where the store lives: its file, or its directory for stores kept in one.")
    Path path;

    /**
     * The provider to open {@link #path} with: checked against what the path holds, looked at
     * through {@code vfs}.
     *
     * @param mustExist whether the path must already hold a store
     */
    StoreProvider provider(Vfs vfs, boolean mustExist) {
        return StoreLocator.forOpen(store, path, mustExist, vfs);
    }
}
