package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/**
 * How a test opens the store under test: on this {@code vfs}, inside the directory {@code home}
 * (which exists). The store decides what to keep there: one file, or a directory of segments.
 * Every driver in the testkit reopens stores through this, so a store is tested with exactly
 * the options its test class chooses.
 */
@FunctionalInterface
public interface StoreOpener {

    KeyValueStore open(Vfs vfs, Path home);
}
