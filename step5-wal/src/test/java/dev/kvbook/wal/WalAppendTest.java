package dev.kvbook.wal;

import dev.kvbook.btree.Page;
import dev.kvbook.btree.PageFormat;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.wal.HandMadeLogs.PAGE_SIZE;
import static dev.kvbook.wal.HandMadeLogs.decodeFrame;
import static dev.kvbook.wal.HandMadeLogs.imageOf;
import static dev.kvbook.wal.HandMadeLogs.markerOf;
import static dev.kvbook.wal.HandMadeLogs.page;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appending one transaction to the log ({@link Wal#append}) on its own, over a log started on
 * {@link CrashSimVfs}: one frame per page, numbered on from the last, the last one the commit
 * frame carrying the page count and the tree's metadata, all in one write and no fsync. The
 * frames are read back with {@link WalFormat}'s decoder.
 */
@Tag("lab:step5.append-frames")
class WalAppendTest {

    static final Path DIR = Path.of("/wal");
    static final Path LOG = DIR.resolve("t.db-wal");
    static final TreeMeta META = new TreeMeta(5, 2, 0, 0, 0, 42);

    final CrashSimVfs vfs = new CrashSimVfs();
    final Wal wal;

    WalAppendTest() {
        vfs.createDirectories(DIR);
        wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
    }

    byte[] logBytes() {
        return vfs.files().get(LOG);
    }

    WalFormat.Header logHeader() {
        return WalFormat.decodeHeader(logBytes()).value();
    }

    @Test
    void aTransactionBecomesOneFramePerPageTheLastOneItsCommitFrame() {
        int last = wal.append(List.of(page(3, 30), page(5, 50)), 7, META);

        assertThat(last).as("the number of the commit frame").isEqualTo(2);
        assertThat(wal.appendedFrames()).isEqualTo(2);
        byte[] log = logBytes();
        assertThat(log).hasSize(WalFormat.HEADER_SIZE + 2 * WalFormat.frameSize(PAGE_SIZE));
        WalFormat.FrameHeader first = decodeFrame(log, 1);
        WalFormat.FrameHeader commit = decodeFrame(log, 2);
        assertThat(first).isEqualTo(new WalFormat.FrameHeader(3, 1, 1, logHeader().salt(), 0, 0, TreeMeta.EMPTY));
        assertThat(commit).isEqualTo(new WalFormat.FrameHeader(5, 2, 1, logHeader().salt(), 0, 7, META));
        assertThat(first.isCommit()).isFalse();
        assertThat(markerOf(imageOf(log, 1))).isEqualTo(30);
        assertThat(markerOf(imageOf(log, 2))).isEqualTo(50);
    }

    @Test
    void theWholeTransactionIsOneWriteAndNoFsync() {
        vfs.resetCounters();
        wal.append(List.of(page(1, 1), page(2, 2), page(3, 3)), 4, META);
        assertThat(vfs.mutationLog()).containsExactly(
                "write " + LOG.getFileName() + " @" + WalFormat.HEADER_SIZE + " +" + 3 * WalFormat.frameSize(PAGE_SIZE) + " bytes");
        assertThat(wal.syncedFrames()).as("durable only once an fsync covers it").isZero();
    }

    @Test
    void eachPageIsSealedBeforeItIsLogged() {
        Page stale = page(4, 40);
        stale.bytes()[100] = 7; // changed after its last seal: its checksum is stale
        assertThat(PageFormat.checksum(stale.bytes())).isNotEqualTo(java.nio.ByteBuffer.wrap(stale.bytes()).getInt(0));

        wal.append(List.of(stale), 5, META);

        byte[] image = imageOf(logBytes(), 1);
        assertThat(java.nio.ByteBuffer.wrap(image).getInt(0)).as("the logged image carries its checksum")
                .isEqualTo(PageFormat.checksum(image));
        PageFormat.verify(new Page(4, image), LOG, WalFormat.frameOffset(1, PAGE_SIZE) + WalFormat.FRAME_HEADER_SIZE);
    }

    @Test
    void theNextTransactionFollowsAndRecordsWhatWasDurableWhenItWasWritten() {
        assertThat(wal.append(List.of(page(1, 11)), 2, META)).isEqualTo(1);
        wal.sync();
        assertThat(wal.append(List.of(page(1, 12), page(2, 22)), 3, META)).isEqualTo(3);

        byte[] log = logBytes();
        assertThat(decodeFrame(log, 1).syncedFrames()).isZero();
        assertThat(decodeFrame(log, 2).syncedFrames()).as("frame 1 was durable when frame 2 was written").isEqualTo(1);
        assertThat(decodeFrame(log, 3).syncedFrames()).isEqualTo(1);
        assertThat(decodeFrame(log, 2).frameNumber()).isEqualTo(2);
        assertThat(decodeFrame(log, 3).commitPageCount()).isEqualTo(3);
        assertThat(markerOf(wal.read(2, 1).bytes())).as("read back through the log").isEqualTo(12);
    }

    @Test
    void afterARestartFramesCountFromOneAgainUnderTheNewGenerationAndSalt() {
        wal.append(List.of(page(1, 1), page(2, 2)), 3, META);
        wal.sync();
        wal.restart(9, Long.MAX_VALUE);

        assertThat(wal.append(List.of(page(2, 3)), 3, META)).isEqualTo(1);

        WalFormat.FrameHeader frame = decodeFrame(logBytes(), 1);
        assertThat(frame.generation()).isEqualTo(9);
        assertThat(frame.salt()).isEqualTo(logHeader().salt());
        assertThat(frame.syncedFrames()).isZero();
        assertThat(markerOf(wal.read(1, 2).bytes())).isEqualTo(3);
    }
}
