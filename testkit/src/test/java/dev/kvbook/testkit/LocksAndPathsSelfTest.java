package dev.kvbook.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The locks-and-paths category can fail: run against a toy store that keys its lock by the path
 * as given (how kvbook locked before issue 16), the cases about symbolic links and a refused open
 * fail. {@link ToyFileStoreLocksAndPathsTest} shows the same cases pass the correct toy.
 */
class LocksAndPathsSelfTest {

    @TempDir
    Path dir;

    /** The category aimed at the flawed toy; each case gets a fresh root below {@code dir}. */
    private LocksAndPathsContract flawed(String caseName) throws IOException {
        LocksAndPathsContract category = new LocksAndPathsContract() {
            @Override
            protected String storeName() {
                return "toy-lock-by-given-path";
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
}
