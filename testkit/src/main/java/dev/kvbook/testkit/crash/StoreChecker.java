package dev.kvbook.testkit.crash;

import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.List;

/**
 * A store's own consistency checker, as the drivers call it after each scenario: usually
 * {@code (vfs, home) -> provider.verify(fileIn(home), vfs).problems()}. Returns every problem
 * found; an empty list means healthy. The store is closed when this is called.
 */
@FunctionalInterface
public interface StoreChecker {

    /** A checker that finds nothing: for stores whose test has no checker yet. */
    StoreChecker NONE = (vfs, home) -> List.of();

    List<String> problems(Vfs vfs, Path home);
}
