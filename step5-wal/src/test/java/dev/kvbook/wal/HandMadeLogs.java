package dev.kvbook.wal;

import dev.kvbook.btree.Page;
import dev.kvbook.btree.PageFormat;
import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;

/**
 * Pages, frames and logs made by hand from {@link WalFormat}'s encoders, so that the tests of one
 * step-5 lab need none of the others: no commit wrote these frames.
 */
final class HandMadeLogs {

    static final int PAGE_SIZE = PageFormat.MIN_PAGE_SIZE;

    private HandMadeLogs() {
    }

    /**
     * A page image that passes {@link PageFormat#verify}: an empty free page numbered {@code number}
     * whose link field holds {@code marker}, so that versions of one page can be told apart. Sealed.
     */
    static Page page(int number, int marker) {
        byte[] bytes = new byte[PAGE_SIZE];
        ByteBuffer.wrap(bytes).putInt(4, number).put(8, (byte) PageFormat.TYPE_FREE).putInt(13, marker);
        PageFormat.seal(bytes);
        return new Page(number, bytes);
    }

    /** The marker {@link #page} put into a page image. */
    static int markerOf(byte[] image) {
        return ByteBuffer.wrap(image).getInt(13);
    }

    /** One frame of the log whose header is {@code log}: frame header, then the image of {@code page}. */
    static byte[] frame(WalFormat.Header log, int frameNumber, Page page, int syncedFrames, int commitPageCount,
                        TreeMeta meta) {
        WalFormat.FrameHeader header = new WalFormat.FrameHeader(page.number(), frameNumber, log.generation(), log.salt(),
                syncedFrames, commitPageCount, meta);
        return ByteBuffer.allocate(WalFormat.frameSize(PAGE_SIZE))
                .put(WalFormat.encodeFrameHeader(header, page.bytes())).put(page.bytes()).array();
    }

    /** A frame that is not the last of its transaction. */
    static byte[] frame(WalFormat.Header log, int frameNumber, Page page, int syncedFrames) {
        return frame(log, frameNumber, page, syncedFrames, 0, TreeMeta.EMPTY);
    }

    /** A whole log: its header, then {@code frames} in order. */
    static byte[] log(WalFormat.Header header, byte[]... frames) {
        ByteBuffer log = ByteBuffer.allocate(WalFormat.HEADER_SIZE + frames.length * WalFormat.frameSize(PAGE_SIZE));
        log.put(WalFormat.encodeHeader(header));
        for (byte[] frame : frames) {
            log.put(frame);
        }
        return log.array();
    }

    /** Decodes frame {@code frameNumber} of the log bytes {@code log}, which must be valid. */
    static WalFormat.FrameHeader decodeFrame(byte[] log, int frameNumber) {
        int at = (int) WalFormat.frameOffset(frameNumber, PAGE_SIZE);
        byte[] header = java.util.Arrays.copyOfRange(log, at, at + WalFormat.FRAME_HEADER_SIZE);
        byte[] image = java.util.Arrays.copyOfRange(log, at + WalFormat.FRAME_HEADER_SIZE, at + WalFormat.frameSize(PAGE_SIZE));
        WalFormat.Decoded<WalFormat.FrameHeader> decoded = WalFormat.decodeFrame(header, image);
        if (!decoded.isValid()) {
            throw new AssertionError("frame " + frameNumber + ": " + decoded.problem());
        }
        return decoded.value();
    }

    /** The page image in frame {@code frameNumber} of the log bytes {@code log}. */
    static byte[] imageOf(byte[] log, int frameNumber) {
        int at = (int) WalFormat.frameOffset(frameNumber, PAGE_SIZE) + WalFormat.FRAME_HEADER_SIZE;
        return java.util.Arrays.copyOfRange(log, at, at + PAGE_SIZE);
    }
}
