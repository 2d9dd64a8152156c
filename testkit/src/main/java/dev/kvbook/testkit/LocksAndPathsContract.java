package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.process.ProcessKillHarness;
import dev.kvbook.testkit.vfs.DirectorySyncAudit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
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
 * <p>It extends {@link ReadersContract}, the rules for the store's checker and inspector (read-only
 * media, the readers' lock), so every store that runs this category runs those too.
 *
 * <p>A store's test class extends this and names the store ({@link Stores} finds it, as the CLI
 * does) and its shape: one file, or a directory. Everything runs on the real disk with real
 * symbolic and hard links; where another process is involved, a child JVM of the
 * {@link ProcessKillHarness} does the opening (five child JVMs per store, and three for the readers).
 */
public abstract class LocksAndPathsContract extends ReadersContract {

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
            throw new AssertionError("opened " + path + " (" + adopted.size() + " keys), which holds no store: "
                    + found.keySet());
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
            throw new AssertionError("opened " + path + " (" + store.size() + " keys) although " + missing
                    + " does not exist");
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

    // ---- helpers ---------------------------------------------------------------------------

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

    private static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            all.append(" / caused by ").append(c);
        }
        return all.toString();
    }
}
