package dev.kvbook.testkit;

import dev.kvbook.api.StoreLockedException;
import dev.kvbook.testkit.vfs.ReadOnlyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The locks-and-paths category can fail: run against a toy store that keys its lock by the path
 * as given (how kvbook locked before issue 16), the cases about symbolic links and a refused open
 * fail; run against a toy whose checker takes the writer's lock (how kvbook's checkers locked
 * before issue 18), the readers' cases fail. {@link ToyFileStoreLocksAndPathsTest} shows the same
 * cases pass the correct toy.
 */
class LocksAndPathsSelfTest {

    @TempDir
    Path dir;

    /** The category aimed at the flawed toy; each case gets a fresh root below {@code dir}. */
    private LocksAndPathsContract flawed(String caseName) throws IOException {
        return aimedAt("toy-lock-by-given-path", caseName);
    }

    /** The category aimed at the toy store {@code store}, in a fresh root below {@code dir}. */
    private LocksAndPathsContract aimedAt(String store, String caseName) throws IOException {
        LocksAndPathsContract category = new LocksAndPathsContract() {
            @Override
            protected String storeName() {
                return store;
            }

            @Override
            protected Shape shape() {
                return Shape.FILE;
            }
        };
        category.root = Files.createDirectory(dir.resolve(caseName));
        return category;
    }

    @Test
    void aStoreWhoseRefusedOpenDropsItsLockIsCaught() throws IOException {
        LocksAndPathsContract category = flawed("refused");
        assertThatThrownBy(category::aRefusedOpenKeepsAnotherProcessOut)
                .isInstanceOf(AssertionError.class).hasMessageContaining("another process opening");
    }

    @Test
    void aStoreThatLocksBesideTheSymlinkIsCaught() throws IOException {
        LocksAndPathsContract category = flawed("beside-link");
        assertThatThrownBy(category::anotherProcessOpeningTheRealPathIsLockedOutWhileALinkHoldsTheStore)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aStoreThatRenamesOverTheSymlinkIsCaught() throws IOException {
        LocksAndPathsContract category = flawed("over-link");
        assertThatThrownBy(category::writesThroughASymlinkLandInTheStoreAndLeaveTheLinkALink)
                .isInstanceOf(AssertionError.class).hasMessageContaining("still a symbolic link");
    }

    @Test
    void aStoreThatSplitsWhenAKilledWriterUsedASymlinkIsCaught() throws IOException {
        LocksAndPathsContract category = flawed("killed");
        assertThatThrownBy(category::killingAWriterThatUsedASymlinkLosesNoAcknowledgedWrite)
                .isInstanceOf(AssertionError.class).hasMessageContaining("acknowledged key");
    }

    @Test
    void aStoreFileWithTwoNamesOpenTwiceIsCaught() throws IOException {
        LocksAndPathsContract category = flawed("hard-link");
        assertThatThrownBy(category::twoNamesOfOneStoreFileAreNeverOpenAtOnce)
                .isInstanceOf(AssertionError.class).hasMessageContaining("a second name of");
    }

    @Test
    void aCheckerThatTakesTheWritersLockIsCaughtOnReadOnlyMedia() throws IOException {
        LocksAndPathsContract category = aimedAt("toy-verify-as-writer", "read-only-media");
        assertThatThrownBy(category::verifyAndInspectReadAStoreOnReadOnlyMediaAndTryToChangeNothing)
                .hasStackTraceContaining(ReadOnlyVfs.REASON);
    }

    @Test
    void aCheckerThatTakesTheWritersLockIsCaughtShuttingOutAnotherReader() throws IOException {
        LocksAndPathsContract category = aimedAt("toy-verify-as-writer", "second-reader");
        assertThatThrownBy(category::whileVerifyReadsWritersAreKeptOutAndOtherReadersLetIn)
                .isInstanceOf(StoreLockedException.class);
    }
}
