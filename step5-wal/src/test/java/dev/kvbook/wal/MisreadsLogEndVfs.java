package dev.kvbook.wal;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A deliberately broken reader of the log for the crash tests' self-test ({@link WalEndSelfTest}):
 * it passes every call to another {@link Vfs}, but when a whole frame of the log ({@code -wal}) is
 * read, it hands back what a recovery with one of two planted mistakes would believe:
 *
 * <ul>
 *   <li>{@link Flaw#OLD_FRAMES_AS_CURRENT}: a frame with a right checksum but another generation
 *       or salt (a frame an earlier life of the log left behind a checkpoint) comes back stamped
 *       with the current generation, salt and its place as frame number: a recovery that checks
 *       checksums but not whose frame it is;</li>
 *   <li>{@link Flaw#ZEROS_AS_A_COMMIT}: a frame of zeros (space the log was grown by) comes back
 *       as a commit frame of this log, repeating the last commit frame's metadata over a page of
 *       zeros: a recovery that takes the file's end as the log's end.</li>
 * </ul>
 * The stamped frames carry correct checksums, so the real recovery accepts them exactly as the
 * flawed one would. With {@link Flaw#NONE} it changes nothing: the same wrapper, as a control.
 *
 * <p>Test-only.
 */
final class MisreadsLogEndVfs extends ForwardingVfs {

    /** Which mistake the reader makes. */
    enum Flaw { NONE, OLD_FRAMES_AS_CURRENT, ZEROS_AS_A_COMMIT }

    private final Flaw flaw;

    MisreadsLogEndVfs(Vfs delegate, Flaw flaw) {
        super(delegate);
        this.flaw = flaw;
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        VfsFile file = delegate.open(path, create);
        if (flaw == Flaw.NONE || !path.getFileName().toString().endsWith("-wal")) {
            return file;
        }
        return new ForwardingVfs.File(file) {
            private WalFormat.FrameHeader lastCommit; // the last commit frame this handle handed back

            @Override
            public void readFully(long position, ByteBuffer dst) {
                int start = dst.position();
                delegate.readFully(position, dst);
                WalFormat.FrameHeader handedBack = misread(delegate, position, dst, start, lastCommit);
                if (handedBack != null && handedBack.isCommit()) {
                    lastCommit = handedBack;
                }
            }
        };
    }

    /** Rewrites a whole frame just read into {@code dst} as the flaw sees it; returns the frame handed back (null: not a frame). */
    private WalFormat.FrameHeader misread(VfsFile file, long position, ByteBuffer dst, int start,
                                          WalFormat.FrameHeader lastCommit) {
        if (position < WalFormat.HEADER_SIZE) {
            return null;
        }
        byte[] headerBytes = new byte[WalFormat.HEADER_SIZE];
        file.readFully(0, ByteBuffer.wrap(headerBytes));
        WalFormat.Decoded<WalFormat.Header> log = WalFormat.decodeHeader(headerBytes);
        if (!log.isValid()) {
            return null;
        }
        WalFormat.Header header = log.value();
        int frameSize = WalFormat.frameSize(header.pageSize());
        if (dst.position() - start != frameSize || (position - WalFormat.HEADER_SIZE) % frameSize != 0) {
            return null;
        }
        int frameNumber = (int) ((position - WalFormat.HEADER_SIZE) / frameSize) + 1;
        byte[] frameHeader = new byte[WalFormat.FRAME_HEADER_SIZE];
        byte[] page = new byte[header.pageSize()];
        dst.get(start, frameHeader).get(start + frameHeader.length, page);
        WalFormat.Decoded<WalFormat.FrameHeader> read = WalFormat.decodeFrame(frameHeader, page);
        WalFormat.FrameHeader stamped = null;
        if (flaw == Flaw.OLD_FRAMES_AS_CURRENT && read.isValid()
                && (read.value().generation() != header.generation() || read.value().salt() != header.salt())) {
            WalFormat.FrameHeader old = read.value();
            stamped = new WalFormat.FrameHeader(old.pageNumber(), frameNumber, header.generation(), header.salt(),
                    Math.min(old.syncedFrames(), frameNumber - 1), old.commitPageCount(), old.meta());
        } else if (flaw == Flaw.ZEROS_AS_A_COMMIT && lastCommit != null && isZeros(frameHeader) && isZeros(page)) {
            TreeMeta meta = lastCommit.meta();
            stamped = new WalFormat.FrameHeader(meta.rootPage(), frameNumber, header.generation(), header.salt(), 0,
                    lastCommit.commitPageCount(), meta);
        }
        if (stamped != null) {
            dst.put(start, WalFormat.encodeFrameHeader(stamped, page));
            return stamped;
        }
        return read.value();
    }

    private static boolean isZeros(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
