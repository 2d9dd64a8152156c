package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.process.ProcessKillHarness;
import dev.kvbook.testkit.vfs.ReadOnlyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a store's own tools read it, as tests every store inherits through
 * {@link LocksAndPathsContract} (issue #18): the checker and the inspector
 * ({@code StoreProvider.verify} and {@code inspect}) read a store without write access, on
 * read-only media too ({@link ReadOnlyVfs}), try to change nothing and leave no file behind; verify
 * holds the readers' lock ({@code Vfs.lockShared}) while it reads, so it fails fast while a writer
 * has the store open, keeps writers out while it reads, and lets other readers in.
 *
 * <p>This class also holds what both categories stand on: the store's name and shape, the
 * directory each test works in, and small helpers. Everything runs on the real disk; where another
 * process is involved, a child JVM of the {@link ProcessKillHarness} opens or verifies the store
 * (three child JVMs per store).
 */
public abstract class ReadersContract {

    /** What a store's path names. */
    public enum Shape {
        /** One file, with siblings named after it ({@code <file>.lock}, ...). */
        FILE,
        /** A directory the store keeps all its files in. */
        DIRECTORY
    }

    /** A fresh directory per test; every path below is made inside it. */
    @TempDir
    protected Path root;

    /** The store's name for {@link Stores#open(String, Path)}: {@code "step1"} ... */
    protected abstract String storeName();

    /** Whether the store's path is a file or a directory. */
    protected abstract Shape shape();

    /** Opens the store at {@code path} with its defaults, on the real disk. */
    protected KeyValueStore open(Path path) {
        return Stores.open(storeName(), path);
    }

    // ---- the readers' rules ---------------------------------------------------------------

    @Test
    void verifyAndInspectReadAStoreOnReadOnlyMediaAndTryToChangeNothing() {
        Path path = closedStoreWithKeys("media");
        List<String> before = names(directoryOf(path));
        ReadOnlyVfs media = new ReadOnlyVfs(Vfs.local());
        assertReadersWork(path, media);
        assertThat(media.refusedCalls()).as("changes verify and inspect tried to make on read-only media").isEmpty();
        assertThat(names(directoryOf(path))).as("the store's files after verify and inspect").isEqualTo(before);
    }

    @Test
    void onReadOnlyMediaAStoreWithoutItsLockFileIsReadUnlocked() {
        Path path = closedStoreWithKeys("media");
        Path dir = directoryOf(path);
        List<String> lockFiles = names(dir).stream().filter(n -> n.toLowerCase(Locale.ROOT).endsWith("lock")).toList();
        assertThat(lockFiles).as("the lock file the store left beside its data").isNotEmpty();
        lockFiles.forEach(name -> deleteFile(dir.resolve(name))); // copied to the media without it
        List<String> before = names(dir);
        ReadOnlyVfs media = new ReadOnlyVfs(Vfs.local());
        assertReadersWork(path, media);
        assertThat(media.refusedCalls()).as("changes verify and inspect tried to make on read-only media").isEmpty();
        assertThat(names(dir)).as("the store's files after verify and inspect").isEqualTo(before);
    }

    @Test
    void verifyAndInspectLeaveNoFileBehindOnWritableMedia() {
        Path path = closedStoreWithKeys("disk");
        List<String> before = names(directoryOf(path));
        assertReadersWork(path, Vfs.local());
        assertThat(names(directoryOf(path))).as("the store's files after verify and inspect").isEqualTo(before);
    }

    @Test
    void whileAWriterHasTheStoreOpenVerifyFailsFastHereAndInAnotherProcess() {
        Path path = closedStoreWithKeys("held");
        StoreProvider provider = Stores.provider(storeName());
        try (KeyValueStore writer = open(path)) {
            write(writer, 0, 3);
            assertThatThrownBy(() -> provider.verify(path, Vfs.local())).as("verify while this process writes")
                    .isInstanceOf(StoreLockedException.class);
            assertThat(ProcessKillHarness.verifyAttemptsInAnotherProcess(storeName(), path))
                    .as("verify in another process while this one writes").containsExactly("locked");
            write(writer, 3, 6);
            assertHolds(writer, 0, 6);
            assertLockedHere(path); // the refused readers left the writer's lock in place
        }
    }

    /**
     * Holds verify in the middle of its reading (at its first read-only open, when it holds the
     * readers' lock) and tries the others meanwhile: a writer here and in another process is kept
     * out; a second reader here and one in another process are let in; and the second reader here,
     * having finished, has not released the lock under the first (the writer in the other process
     * comes after it, and is still kept out).
     */
    @Test
    void whileVerifyReadsWritersAreKeptOutAndOtherReadersLetIn() {
        Path path = closedStoreWithKeys("reading");
        StoreProvider provider = Stores.provider(storeName());
        List<String> others = new ArrayList<>();
        Vfs pausing = new ForwardingVfs(Vfs.local()) {
            @Override
            public VfsFile openReadOnly(Path file) {
                if (others.isEmpty()) {
                    others.add("paused at " + file.getFileName());
                    assertLockedHere(path);
                    assertThat(provider.verify(path, Vfs.local()).problems()).as("a second reader here").isEmpty();
                    others.addAll(ProcessKillHarness.openAttemptsInAnotherProcess(storeName(), path));
                    others.addAll(ProcessKillHarness.verifyAttemptsInAnotherProcess(storeName(), path));
                }
                return super.openReadOnly(file);
            }
        };
        assertThat(provider.verify(path, pausing).problems()).as("the first reader").isEmpty();
        assertThat(others).as("verify reads the store's files opened read-only").isNotEmpty();
        assertThat(others.subList(1, others.size())).as("a writer, then a reader, in another process")
                .containsExactly("locked", "verified");
        try (KeyValueStore writer = open(path)) {
            assertHolds(writer, 0, 10); // and when the readers are gone, the writer gets in
        }
    }

    /** Verify finds nothing wrong with the store at {@code path}, and inspect describes it, both through {@code vfs}. */
    private void assertReadersWork(Path path, Vfs vfs) {
        StoreProvider provider = Stores.provider(storeName());
        VerifyReport report = provider.verify(path, vfs);
        assertThat(report.problems()).as("verify of %s", path).isEmpty();
        assertThat(report.checked()).as("what verify checked").isNotEmpty();
        assertThat(provider.inspect(path, vfs).text()).as("inspect of %s", path).isNotBlank();
    }

    /**
     * A store holding keys 0..9, closed, at {@code <name>/store}: its file, or its directory, alone
     * in the directory {@code name}.
     */
    private Path closedStoreWithKeys(String name) {
        Path path = directory(name).resolve("store");
        try (KeyValueStore store = open(path)) {
            write(store, 0, 10);
        }
        return path;
    }

    /** The directory holding the store's files: its own, or the one its file lies in. */
    private Path directoryOf(Path path) {
        return shape() == Shape.DIRECTORY ? path : path.getParent();
    }

    // ---- helpers for both categories ---------------------------------------------------------

    /** Opens a second handle on {@code path}, which must fail with {@link StoreLockedException}. */
    void assertLockedHere(Path path) {
        KeyValueStore second;
        try {
            second = open(path);
        } catch (StoreLockedException expected) {
            return;
        }
        second.close();
        throw new AssertionError("a second open of " + path + " succeeded while the store was open");
    }

    static void write(KeyValueStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            store.put(key(i), value(i));
        }
    }

    static void assertHolds(KeyValueStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(store.get(key(i))).as("key %d", i).isEqualTo(value(i));
        }
    }

    static byte[] key(int i) {
        return utf8(String.format("key-%04d", i));
    }

    static byte[] value(int i) {
        return utf8("value " + i + " " + "v".repeat(i % 30));
    }

    Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteFile(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
