package dev.kvbook.wal;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.Keys;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The log format, pinned: the worked example of {@link WalFormat}'s Javadoc, byte for byte. */
class WalFormatTest {

    private static final int SALT = 0x12345678;

    @Test
    void sizesAreTheSumsOfTheirFields() {
        assertThat(WalFormat.HEADER_SIZE).isEqualTo(32);
        assertThat(WalFormat.FRAME_HEADER_SIZE).isEqualTo(60);
        assertThat(WalFormat.frameOffset(2, 4096)).isEqualTo(32 + 4156);
    }

    @Test
    void aOneCommitLogMatchesTheGoldenFile() {
        byte[] log = oneCommitLog();
        assertThat(log.length).isEqualTo(32 + 60 + 4096);
        System.out.println(HexFormat.ofDelimiter(" ").formatHex(log, 0, 92));
        GoldenFiles.assertMatches("one-commit.wal", log);
    }

    @Test
    void aFrameWithAnotherSaltOrAFlippedByteIsNotValid() {
        byte[] log = oneCommitLog();
        byte[] header = Arrays.copyOfRange(log, 32, 92);
        byte[] page = Arrays.copyOfRange(log, 92, log.length);
        assertThat(WalFormat.decodeFrame(header, page).isValid()).isTrue();
        page[100] ^= 1;
        WalFormat.Decoded<WalFormat.FrameHeader> flipped = WalFormat.decodeFrame(header, page);
        assertThat(flipped.isValid()).isFalse();
        assertThat(flipped.problem()).startsWith("frame checksum");
    }

    /** WalFormat invariant 7: the zeros a log is grown by never decode as a frame, at any page size. */
    @Test
    void aFrameOfZerosIsNeverValid() {
        for (int pageSize = dev.kvbook.btree.PageFormat.MIN_PAGE_SIZE; pageSize <= dev.kvbook.btree.PageFormat.MAX_PAGE_SIZE; pageSize *= 2) {
            WalFormat.Decoded<WalFormat.FrameHeader> zeros = WalFormat.decodeFrame(new byte[WalFormat.FRAME_HEADER_SIZE],
                    new byte[pageSize]);
            assertThat(zeros.isValid()).as("a zero frame of a %d-byte page", pageSize).isFalse();
            assertThat(zeros.problem()).as("caught by its checksum first").startsWith("frame checksum");
        }
    }

    /**
     * A new 4 KiB store after {@code put("a", "1")}, log kept: its bytes with the random salt
     * replaced by 0x12345678 (header and frame re-encoded), so the file is reproducible.
     */
    static byte[] oneCommitLog() {
        CrashSimVfs vfs = new CrashSimVfs();
        Path home = Path.of("/golden");
        vfs.createDirectories(home);
        try (WalStore store = WalStore.open(home.resolve("g.db"),
                WalStore.Options.defaults().withVfs(vfs).withCheckpointOnClose(false))) {
            store.put(Keys.utf8("a"), Keys.utf8("1"));
        }
        byte[] log = vfs.files().get(home.resolve("g.db-wal"));
        WalFormat.Header header = WalFormat.decodeHeader(log).value();
        byte[] frameHeader = Arrays.copyOfRange(log, 32, 92);
        byte[] page = Arrays.copyOfRange(log, 92, log.length);
        WalFormat.FrameHeader frame = WalFormat.decodeFrame(frameHeader, page).value();
        WalFormat.FrameHeader fixed = new WalFormat.FrameHeader(frame.pageNumber(), frame.frameNumber(), frame.generation(),
                SALT, frame.syncedFrames(), frame.commitPageCount(), frame.meta());
        return ByteBuffer.allocate(log.length)
                .put(WalFormat.encodeHeader(new WalFormat.Header(header.pageSize(), header.generation(), SALT)))
                .put(WalFormat.encodeFrameHeader(fixed, page)).put(page).array();
    }

}
