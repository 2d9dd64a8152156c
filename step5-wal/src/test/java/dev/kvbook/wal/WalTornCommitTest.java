package dev.kvbook.wal;

import dev.kvbook.api.Keys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit of several frames whose commit frame never reached the disk, made by hand from a real
 * log: the frames before it are whole, checksummed and of this log, yet nobody was told the
 * transaction committed, so recovery must not apply them. A crash produces this state only
 * rarely (every sector of those frames must survive a power loss, and none of the last one's),
 * so the crash tests alone seldom meet it; this test meets it every time. It reads the log only
 * through its format ({@link WalFormat}), so any recovery that keeps the format is judged.
 */
@Tag("lab:step5.build-recovery")
class WalTornCommitTest {

    private static final int PAGE_SIZE = 4096;

    private static final WalStore.Options KEEP_LOG = WalStore.Options.defaults().withCheckpointOnClose(false);

    /** Commit 1 puts "a"; commit 2, a transaction with a value too large for one page, puts "big" and "b". */
    private static void twoCommits(Path file) {
        try (WalStore store = WalStore.open(file, KEEP_LOG)) {
            store.put(Keys.utf8("a"), Keys.utf8("1"));
            store.inTransaction(t -> {
                t.put(Keys.utf8("big"), new byte[3 * PAGE_SIZE]);
                t.put(Keys.utf8("b"), Keys.utf8("2"));
                return null;
            });
        }
    }

    private static int wholeFrames(byte[] log) {
        return (log.length - WalFormat.HEADER_SIZE) / WalFormat.frameSize(PAGE_SIZE);
    }

    private static void assertOnlyTheFirstCommit(Path file) {
        try (WalStore store = WalStore.open(file, KEEP_LOG)) {
            assertThat(store.get(Keys.utf8("a"))).isEqualTo(Keys.utf8("1"));
            assertThat(store.get(Keys.utf8("big"))).as("a page of the uncommitted transaction").isNull();
            assertThat(store.get(Keys.utf8("b"))).isNull();
            assertThat(store.size()).isEqualTo(1);
        }
        assertThat(new WalStoreProvider().verify(file, dev.kvbook.api.vfs.Vfs.local()).problems()).isEmpty();
    }

    @Test
    void wholeFramesOfACommitWhoseCommitFrameIsLostAreNotApplied(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("torn.db");
        twoCommits(file);
        Path log = WalStore.walPath(file);
        byte[] bytes = Files.readAllBytes(log);
        int frames = wholeFrames(bytes);
        assertThat(frames).as("commit 1 is one frame; commit 2 several").isGreaterThanOrEqualTo(4);
        // The last frame is commit 2's commit frame: as if the power went before its sectors landed.
        Files.write(log, Arrays.copyOf(bytes, (int) WalFormat.frameOffset(frames, PAGE_SIZE)));
        assertOnlyTheFirstCommit(file);
    }

    @Test
    void wholeFramesBeforeAGarbledCommitFrameAreNotAppliedEither(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("garbled.db");
        twoCommits(file);
        Path log = WalStore.walPath(file);
        byte[] bytes = Files.readAllBytes(log);
        int frames = wholeFrames(bytes);
        int lastFrame = (int) WalFormat.frameOffset(frames, PAGE_SIZE);
        for (int i = lastFrame; i < bytes.length; i += 7) {
            bytes[i] ^= (byte) 0x5a; // the commit frame's sectors came back as garbage
        }
        Files.write(log, bytes);
        assertOnlyTheFirstCommit(file);
    }
}
