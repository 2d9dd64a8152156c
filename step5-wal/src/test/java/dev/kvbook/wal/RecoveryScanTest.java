package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.kvbook.wal.HandMadeLogs.PAGE_SIZE;
import static dev.kvbook.wal.HandMadeLogs.frame;
import static dev.kvbook.wal.HandMadeLogs.log;
import static dev.kvbook.wal.HandMadeLogs.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery's scan of the frames ({@link Recovery#scan}, steps 2 and 3) over logs made by hand:
 * the run of valid frames of this log, its last commit frame as the committed end, the rest as
 * the tail, and a frame that proves a durable frame was lost reported as corruption.
 */
@Tag("lab:step5.recovery-scan")
@Tag("design:step5.build-recovery") // calls Recovery.scan and pins its records: a design of the build lab
class RecoveryScanTest {

    static final Path LOG = Path.of("/wal/t.db-wal");
    static final long GENERATION = 3;
    static final WalFormat.Header HEADER = new WalFormat.Header(PAGE_SIZE, GENERATION, 0x5A17);
    static final TreeMeta FIRST = new TreeMeta(2, 1, 0, 0, 0, 1);
    static final TreeMeta SECOND = new TreeMeta(3, 2, 0, 0, 0, 9);

    /** Scans the log {@code bytes} as recovery does beside a data file whose newest header is {@code GENERATION}. */
    static Recovery.Scan scan(byte[] bytes) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.putDurableFile(LOG, bytes);
        try (VfsFile file = vfs.open(LOG, false)) {
            return Recovery.scan(file, LOG, PAGE_SIZE, GENERATION);
        }
    }

    /** Two transactions: frames 1-2 (commit, 3 pages) and 3-4 (commit, 4 pages). */
    static byte[][] twoCommits() {
        return new byte[][] {
            frame(HEADER, 1, page(1, 10), 0),
            frame(HEADER, 2, page(2, 20), 0, 3, FIRST),
            frame(HEADER, 3, page(1, 11), 2),
            frame(HEADER, 4, page(3, 30), 2, 4, SECOND)};
    }

    static byte[] damaged(byte[] frame) {
        byte[] copy = frame.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }

    @Test
    void theCommittedEndIsTheLastCommitFrameAndItsMetadataIsTheTree() {
        byte[][] frames = twoCommits();
        Recovery.Scan scan = scan(log(HEADER, frames[0], frames[1], frames[2], frames[3]));
        assertThat(scan.state()).isEqualTo(Recovery.LogState.LIVE);
        assertThat(scan.committedEnd()).isEqualTo(4);
        assertThat(scan.committed().commitFrames()).containsExactly(2, 4);
        assertThat(scan.committed().pageCount()).isEqualTo(4);
        assertThat(scan.committed().meta()).isEqualTo(SECOND);
        assertThat(scan.committed().frames()).containsExactly(new Recovery.LoggedPage(1, 1), new Recovery.LoggedPage(2, 2),
                new Recovery.LoggedPage(1, 3), new Recovery.LoggedPage(3, 4));
        assertThat(scan.tail()).isEqualTo(Recovery.Tail.NONE);
    }

    @Test
    void framesAfterTheLastCommitAreAnUncommittedTail() {
        byte[][] frames = twoCommits();
        byte[] log = log(HEADER, frames[0], frames[1], frames[2]);
        Recovery.Scan scan = scan(log);
        assertThat(scan.committedEnd()).isEqualTo(2);
        assertThat(scan.committed().meta()).isEqualTo(FIRST);
        assertThat(scan.committed().frames()).hasSize(2);
        assertThat(scan.tail()).isEqualTo(new Recovery.Tail(1, WalFormat.frameSize(PAGE_SIZE)));
    }

    @Test
    void aFrameCutShortIsPartOfTheTailButNoWholeFrame() {
        byte[][] frames = twoCommits();
        byte[] whole = log(HEADER, frames[0], frames[1], frames[2], frames[3]);
        byte[] torn = Arrays.copyOf(whole, whole.length - 100);
        Recovery.Scan scan = scan(torn);
        assertThat(scan.committedEnd()).isEqualTo(2);
        assertThat(scan.tail()).isEqualTo(new Recovery.Tail(1, WalFormat.frameSize(PAGE_SIZE) * 2L - 100));
    }

    @Test
    void aFrameWithABadChecksumEndsTheValidRun() {
        byte[][] frames = twoCommits();
        Recovery.Scan scan = scan(log(HEADER, frames[0], frames[1], damaged(frames[2]), frames[3]));
        assertThat(scan.committedEnd()).as("frame 4 is valid, but the run ended at frame 3").isEqualTo(2);
        assertThat(scan.tail().frames()).isEqualTo(2);
    }

    @Test
    void aFrameOfAnotherGenerationOrSaltOrOutOfPlaceEndsTheValidRun() {
        byte[][] frames = twoCommits();
        WalFormat.Header older = new WalFormat.Header(PAGE_SIZE, GENERATION - 1, HEADER.salt());
        WalFormat.Header otherSalt = new WalFormat.Header(PAGE_SIZE, GENERATION, HEADER.salt() + 1);
        byte[][] strangers = {
            frame(older, 3, page(1, 11), 2),       // left over from the log's previous life
            frame(otherSalt, 3, page(1, 11), 2),   // same generation, restarted with a new salt
            frame(HEADER, 7, page(1, 11), 2)};     // a frame number that is not its place
        for (byte[] stranger : strangers) {
            Recovery.Scan scan = scan(log(HEADER, frames[0], frames[1], stranger, frames[3]));
            assertThat(scan.committedEnd()).isEqualTo(2);
            assertThat(scan.committed().meta()).isEqualTo(FIRST);
        }
    }

    @Test
    void aLogWithoutACommitFrameCommitsNothing() {
        Recovery.Scan scan = scan(log(HEADER, frame(HEADER, 1, page(1, 10), 0), frame(HEADER, 2, page(2, 20), 0)));
        assertThat(scan.state()).isEqualTo(Recovery.LogState.LIVE);
        assertThat(scan.committedEnd()).isZero();
        assertThat(scan.committed().frames()).isEmpty();
        assertThat(scan.committed().meta()).isNull();
        assertThat(scan.tail().frames()).isEqualTo(2);
        assertThat(scan(log(HEADER)).committedEnd()).as("a header alone").isZero();
    }

    /** Frame 4 was written when frames 1 to 3 were durable: so frame 3 was durable, and its damage is not a torn tail. */
    @Test
    void aValidFrameThatSaysALostFrameWasDurableMakesItCorruption() {
        byte[][] frames = twoCommits();
        byte[] proof = frame(HEADER, 4, page(3, 30), 3, 4, SECOND);
        assertThatThrownBy(() -> scan(log(HEADER, frames[0], frames[1], damaged(frames[2]), proof)))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.offset()).isEqualTo(WalFormat.frameOffset(3, PAGE_SIZE)))
                .hasMessageContaining("frame 4 says frames 1 to 3 were durable")
                .hasMessageContaining("the committed log ends at frame 2");
    }
}
