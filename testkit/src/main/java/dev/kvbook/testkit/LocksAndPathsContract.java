package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.process.ProcessKillHarness;
import dev.kvbook.testkit.vfs.DirectorySyncAudit;
import dev.kvbook.testkit.vfs.ReadOnlyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Where a store lives, as tests every store inherits: one store, however its path is spelled or
 * reached, has one lock and one set of files, and a store touches only files it made.
 *
 * <p>The rules (DESIGN, "The Vfs seam"): a store resolves its real path once at open (symbolic
 * links followed) and names every sibling file from it; a lock is held per file identity, and a
 * refused open never disturbs the lock this process already holds; a store never deletes or
 * adopts files it did not create; a missing parent directory is refused; what a store creates is
 * durable in its parent directory before the first acknowledgement.
 *
 * <p>And the readers' rules (issue #18): the store's checker and inspector
 * ({@code StoreProvider.verify} and {@code inspect}) read a store without write access, on
 * read-only media too ({@link ReadOnlyVfs}), try to change nothing and leave no file behind;
 * verify holds the readers' lock ({@code Vfs.lockShared}) while it reads, so it fails fast while a
 * writer has the store open, keeps writers out while it reads, and lets other readers in.
 *
 * <p>A store's test class extends this and names the store ({@link Stores} finds it, as the CLI
 * does) and its shape: one file, or a directory. Everything runs on the real disk with real
 * symbolic and hard links; where another process is involved, a child JVM of the
 * {@link ProcessKillHarness} does the opening or the verifying (eight child JVMs per store in all).
 */
public abstract class LocksAndPathsContract {

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

    // ---- one lock per store, whatever the spelling ---------------------------------------

    @Test
    void aSecondOpenThroughASymlinkedDirectoryFailsWithStoreLocked() {
        Path real = directory("real");
        Path link = symlink(root.resolve("link"), real);
        try (KeyValueStore store = open(real.resolve("store"))) {
            write(store, 0, 3);
            assertLockedHere(link.resolve("store"));
            write(store, 3, 6);
            assertHolds(store, 0, 6);
        }
    }

    @Test
    void aRefusedOpenKeepsAnotherProcessOut() {
        Path real = directory("real");
        Path link = symlink(root.resolve("link"), real);
        Path path = real.resolve("store");
        try (KeyValueStore store = open(path)) {
            write(store, 0, 3);
            assertLockedHere(link.resolve("store"));
            assertLockedHere(path);
            List<String> outcomes = ProcessKillHarness.openAttemptsInAnotherProcess(storeName(), path, link.resolve("store"));
            assertThat(outcomes).as("another process opening %s, then %s, after this process refused"
                    + " a second open", path, link.resolve("store")).containsExactly("locked", "locked");
            write(store, 3, 6);
        }
    }

    @Test
    void twoSpellingsOfOnePathAreOneStore() {
        Path a = directory("a");
        Path path = a.resolve("store");
        try (KeyValueStore store = open(path)) {
            write(store, 0, 3);
            assertLockedHere(root.resolve("a").resolve("..").resolve("a").resolve("store"));
            assertLockedHere(root.resolve(".").resolve("a").resolve("store"));
            assertLockedHere(Path.of(path + "/"));
            assertLockedHere(Path.of("").toAbsolutePath().relativize(path));
            assertHolds(store, 0, 3);
        }
    }

    // ---- a symbolic link to the store itself ----------------------------------------------

    @Test
    void anotherProcessOpeningTheRealPathIsLockedOutWhileALinkHoldsTheStore() {
        Path target = directory("real").resolve("store");
        create(target);
        Path link = symlink(root.resolve("store-link"), target);
        try (KeyValueStore store = open(link)) {
            write(store, 0, 3);
            assertLockedHere(target);
            assertThat(ProcessKillHarness.openAttemptsInAnotherProcess(storeName(), target))
                    .as("another process opening %s while this one has it open through %s", target, link)
                    .containsExactly("locked");
        }
    }

    @Test
    void writesThroughASymlinkLandInTheStoreAndLeaveTheLinkALink() {
        Path target = directory("real").resolve("store");
        create(target);
        Path links = directory("links");
        Path link = symlink(links.resolve("store-link"), target);
        try (KeyValueStore store = open(link)) {
            write(store, 0, 20);
            runEveryMaintenanceOperation(store);
            write(store, 20, 40);
        }
        assertThat(Files.isSymbolicLink(link)).as("%s is still a symbolic link", link).isTrue();
        assertThat(names(links)).as("files beside the link").containsExactly("store-link");
        try (KeyValueStore store = open(target)) {
            assertHolds(store, 0, 40);
        }
    }

    @Test
    void aSymlinkToAStoreNotYetMadeMakesTheStoreAtItsTarget() {
        Path target = directory("real").resolve("store");
        Path links = directory("links");
        Path link = symlink(links.resolve("store-link"), target);
        try (KeyValueStore store = open(link)) {
            write(store, 0, 5);
        }
        assertThat(Files.isSymbolicLink(link)).as("%s is still a symbolic link", link).isTrue();
        assertThat(names(links)).as("files beside the link").containsExactly("store-link");
        try (KeyValueStore store = open(target)) {
            assertHolds(store, 0, 5);
        }
    }

    @Test
    void killingAWriterThatUsedASymlinkLosesNoAcknowledgedWrite() {
        Path target = directory("real").resolve("store");
        create(target);
        Path link = symlink(root.resolve("store-link"), target);
        ProcessKillHarness.Report report = new ProcessKillHarness(storeName(), link).reopenThrough(target)
                .kills(aKillMayLeaveAStoreThatRefusesToOpen() ? 1 : 2).maxAcksBeforeKill(40).seed(16).run();
        if (aKillMayLeaveAStoreThatRefusesToOpen() && report.problems().size() == 1
                && report.problems().get(0).contains(UncleanShutdownException.class.getName())) {
            return; // the real file is marked unclean: the killed writer was writing it, not a copy
        }
        report.assertNothingLost();
    }

    /**
     * Whether a writer killed in mid-write may leave a store that refuses to open with
     * {@link UncleanShutdownException} (step 4's crash promise, which has no log to recover with).
     * Then the kill case kills once and accepts that refusal of the real path: it shows the writer
     * wrote the real file. False by default: a store recovers.
     */
    protected boolean aKillMayLeaveAStoreThatRefusesToOpen() {
        return false;
    }

    // ---- hard links ------------------------------------------------------------------------

    @Test
    void twoNamesOfOneStoreFileAreNeverOpenAtOnce() {
        assumeThat(shape()).as("a directory cannot be hard-linked").isEqualTo(Shape.FILE);
        Path path = directory("a").resolve("store");
        create(path);
        Path alias = directory("b").resolve("alias");
        try {
            Files.createLink(alias, path);
        } catch (UnsupportedOperationException | IOException e) {
            assumeThat(e).as("hard links are not supported here").isNull();
        }
        KeyValueStore here = null;
        try {
            here = open(path);
        } catch (RuntimeException refused) {
            assertThat(refused).as("the refusal says why").hasMessageContaining(path.getFileName().toString());
        }
        try {
            String other = ProcessKillHarness.openAttemptsInAnotherProcess(storeName(), alias).get(0);
            if (here != null) {
                assertThat(other).as("another process opening %s, a second name of %s, which is open here",
                        alias, path).isNotEqualTo("opened");
            }
        } finally {
            if (here != null) {
                here.close();
            }
        }
    }

    // ---- other people's files --------------------------------------------------------------

    @Test
    void filesTheStoreDidNotMakeAreLeftAlone() {
        Path store = shape() == Shape.FILE ? directory("d").resolve("store") : root.resolve("store");
        if (shape() == Shape.DIRECTORY) {
            create(store);
        }
        Path dir = shape() == Shape.FILE ? store.getParent() : store;
        Map<Path, String> foreign = new LinkedHashMap<>();
        for (String name : List.of("draft.tmp", "notes.txt", "other.lock", "other.tmp", "other.compact", "other.new",
                "other-wal", "backup.data.tmp", "store.bak")) {
            foreign.put(dir.resolve(name), "a user's file called " + name);
        }
        foreign.forEach(LocksAndPathsContract::writeText);
        try (KeyValueStore s = open(store)) {
            write(s, 0, 20);
            runEveryMaintenanceOperation(s);
            write(s, 20, 30);
        }
        try (KeyValueStore s = open(store)) {
            assertHolds(s, 0, 30);
        }
        foreign.forEach((file, text) -> assertThat(file).as("a file the store did not make").hasContent(text));
    }

    @Test
    void whatIsAtTheStorePathButIsNoStoreIsRefusedAndLeftAsItWas() {
        Path path = root.resolve("store");
        Map<Path, String> found = new LinkedHashMap<>();
        if (shape() == Shape.DIRECTORY) {
            directory("store");
            found.put(path.resolve("draft.tmp"), "a draft");
            found.put(path.resolve("notes.txt"), "some notes");
        } else {
            found.put(path, "a text file that happens to be where the store was asked to be\n".repeat(20));
        }
        found.forEach(LocksAndPathsContract::writeText);
        List<String> before = names(shape() == Shape.DIRECTORY ? path : root);
        try (KeyValueStore adopted = open(path)) {
            throw new AssertionError("opened " + path + ", which holds no store: " + found.keySet());
        } catch (StoreLockedException e) {
            throw new AssertionError("refused " + path + " as locked; it holds no store", e);
        } catch (RuntimeException refused) {
            assertThat(refused.toString() + causes(refused)).as("the refusal names what it found")
                    .contains(shape() == Shape.DIRECTORY ? "notes.txt" : path.getFileName().toString());
        }
        found.forEach((file, text) -> assertThat(file).as("a file the store did not make").hasContent(text));
        if (shape() == Shape.DIRECTORY) {
            assertThat(names(path)).as("the directory after the refused open").isEqualTo(before);
        }
    }

    // ---- directories -----------------------------------------------------------------------

    @Test
    void aMissingParentDirectoryIsRefusedNamingIt() {
        Path missing = root.resolve("missing");
        Path path = missing.resolve("store");
        try (KeyValueStore store = open(path)) {
            throw new AssertionError("opened " + path + " although " + missing + " does not exist");
        } catch (RuntimeException refused) {
            assertThat(refused).isNotInstanceOf(StoreLockedException.class);
            assertThat(refused.toString() + causes(refused)).as("the refusal names the missing directory")
                    .contains(missing.toString());
        }
        assertThat(missing).as("a refused open creates no directory").doesNotExist();
    }

    @Test
    void whatTheStoreCreatesIsDurableInItsDirectoryBeforeTheFirstAcknowledgement() {
        Path path = shape() == Shape.FILE ? directory("d").resolve("store") : root.resolve("store");
        DirectorySyncAudit audit = new DirectorySyncAudit(Vfs.local());
        try (KeyValueStore store = Stores.open(storeName(), path, audit)) {
            store.put(utf8("first"), utf8("acknowledged"));
            assertThat(audit.namesNotYetDurable())
                    .as("names created but not yet made durable by a sync of their directory, when put returned")
                    .isEmpty();
        }
    }

    // ---- readers: verify and inspect (issue #18) --------------------------------------------

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

    // ---- helpers ---------------------------------------------------------------------------

    /** Opens a second handle on {@code path}, which must fail with {@link StoreLockedException}. */
    private void assertLockedHere(Path path) {
        KeyValueStore second;
        try {
            second = open(path);
        } catch (StoreLockedException expected) {
            return;
        }
        second.close();
        throw new AssertionError("a second open of " + path + " succeeded while the store was open");
    }

    /** Makes a store at {@code path} holding nothing but keys 1000..1001, and closes it. */
    private void create(Path path) {
        try (KeyValueStore store = open(path)) {
            write(store, 1000, 1002);
        }
    }

    private void runEveryMaintenanceOperation(KeyValueStore store) {
        StoreProvider provider = Stores.provider(storeName());
        for (String operation : provider.maintenanceOperations()) {
            provider.runMaintenance(store, operation);
        }
    }

    private static void write(KeyValueStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            store.put(key(i), value(i));
        }
    }

    private static void assertHolds(KeyValueStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(store.get(key(i))).as("key %d", i).isEqualTo(value(i));
        }
    }

    private static byte[] key(int i) {
        return utf8(String.format("key-%04d", i));
    }

    private static byte[] value(int i) {
        return utf8("value " + i + " " + "v".repeat(i % 30));
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path symlink(Path link, Path target) {
        try {
            return Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeThat(e).as("symbolic links are not supported here").isNull();
            throw new AssertionError(e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            all.append(" / caused by ").append(c);
        }
        return all.toString();
    }
}
