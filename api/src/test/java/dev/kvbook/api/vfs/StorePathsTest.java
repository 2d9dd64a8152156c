package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real paths, locks by file identity, and the rule of {@link StorePaths}, on the real disk. */
class StorePathsTest {

    @TempDir
    Path dir;

    private final Vfs vfs = Vfs.local();

    @Test
    void theRealPathFollowsASymlinkedDirectoryAndDropsDotDot() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("link"), real);
        Path expected = real.toRealPath().resolve("store");
        assertThat(vfs.realPath(dir.resolve("link/store"))).isEqualTo(expected);
        assertThat(vfs.realPath(dir.resolve("real/../real/./store"))).isEqualTo(expected);
        assertThat(vfs.realPath(dir.resolve("link/../real/store"))).isEqualTo(expected);
    }

    @Test
    void aDanglingSymlinkResolvesToWhereItPoints() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("store-link"), real.resolve("store"));
        assertThat(vfs.realPath(link)).isEqualTo(real.toRealPath().resolve("store"));
    }

    @Test
    void aLockTakenThroughASymlinkedDirectoryIsTheSameLock() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        try (Closeable held = vfs.lock(real.resolve("store.lock"))) {
            assertThat(held).as("the lock, held by this test").isNotNull();
            assertThatThrownBy(() -> vfs.lock(link.resolve("store.lock"))).isInstanceOf(StoreLockedException.class);
            assertThatThrownBy(() -> vfs.lock(dir.resolve("real/../real/store.lock"))).isInstanceOf(StoreLockedException.class);
        }
        vfs.lock(link.resolve("store.lock")).close();
    }

    @Test
    void aLockTakenThroughAHardLinkIsTheSameLock() throws Exception {
        Path lock = dir.resolve("store.lock");
        try (Closeable held = vfs.lock(lock)) {
            assertThat(held).as("the lock, held by this test").isNotNull();
            Files.createLink(dir.resolve("alias.lock"), lock);
            assertThatThrownBy(() -> vfs.lock(dir.resolve("alias.lock"))).isInstanceOf(StoreLockedException.class);
        }
    }

    @Test
    void aMissingParentDirectoryIsRefusedNamingIt() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> StorePaths.storeFile(vfs, missing.resolve("store")))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> StorePaths.storeDirectory(vfs, missing.resolve("store")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void aStoreFileWithTwoNamesIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("store"), "x");
        assertThat(StorePaths.storeFile(vfs, file)).isEqualTo(file.toRealPath());
        Files.createLink(dir.resolve("alias"), file);
        assertThat(vfs.linkCount(file)).isEqualTo(2);
        assertThatThrownBy(() -> StorePaths.storeFile(vfs, file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 names (hard links)");
    }

    @Test
    void siblingsAreNamedAfterTheFile() {
        assertThat(StorePaths.sibling(Path.of("/d/store"), "-wal")).isEqualTo(Path.of("/d/store-wal"));
    }
}
