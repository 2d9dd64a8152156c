package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.HeaderFormat;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.TreeChecker;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The store as recovery would see it, opened for looking only: the data file's header slots,
 * the log as {@link Recovery#scan} reads it (nothing is cut or restarted), and a page reader over
 * both. {@link WalChecker} and {@link WalInspector} work on this, so they never change the files
 * (every file is opened read-only, which also lets them read a store on read-only media) and never
 * depend on the open store. Every failure is collected in {@link #problems}.
 */
final class StoreView implements AutoCloseable {

    final Path path;
    final Path walPath;
    final List<String> problems = new ArrayList<>();
    HeaderFormat.Slot[] slots = new HeaderFormat.Slot[0];
    HeaderFormat.Header header;
    long dataBytes;
    Recovery.Scan scan;
    Snapshot snapshot;
    private DataFile data;
    private Wal wal;
    /** The log file, open read-only for {@link #readFrame} (also the one {@link #wal} reads through, when live). */
    private VfsFile logFile;
    /** Bytes in the log file (0: none). */
    long logBytes;
    /** The log file's header as it lies there, valid or not (null: no log file). */
    WalFormat.Decoded<WalFormat.Header> logHeader;
    private final WalIndex index = new WalIndex();

    private StoreView(Path path) {
        this.path = path;
        this.walPath = WalStore.walPath(path);
    }

    /** Reads what it can of the store at {@code path}; look at {@link #problems} and {@link #snapshot} (null: unusable). */
    static StoreView open(Vfs vfs, Path path) {
        StoreView view = new StoreView(path);
        try {
            view.readDataFile(vfs);
            if (view.header != null) {
                view.readLog(vfs);
            }
        } catch (CorruptionException | UncheckedIOException e) {
            view.problems.add(e.getMessage());
        }
        return view;
    }

    private void readDataFile(Vfs vfs) {
        if (!vfs.exists(path)) {
            problems.add(path + ": no such file");
            return;
        }
        data = DataFile.openReadOnly(vfs, path);
        header = data.header();
        dataBytes = data.size();
        byte[] area = new byte[HeaderFormat.HEADER_AREA];
        try (VfsFile raw = vfs.openReadOnly(path)) {
            raw.readFully(0, ByteBuffer.wrap(area));
        }
        slots = new HeaderFormat.Slot[] {HeaderFormat.decode(area, 0, DataFile.MAGIC), HeaderFormat.decode(area, 1, DataFile.MAGIC)};
    }

    private void readLog(Vfs vfs) {
        snapshot = new Snapshot(0, header.pageCount(), header.meta());
        if (!vfs.exists(walPath)) {
            return;
        }
        VfsFile file = vfs.openReadOnly(walPath);
        logFile = file;
        logBytes = file.size();
        byte[] head = new byte[(int) Math.min(logBytes, WalFormat.HEADER_SIZE)];
        file.readFully(0, ByteBuffer.wrap(head));
        logHeader = WalFormat.decodeHeader(head);
        scan = Recovery.scan(file, walPath, header.pageSize(), header.sequence());
        if (scan.state() != Recovery.LogState.LIVE) {
            return;
        }
        wal = Wal.adopt(vfs, walPath, file, scan.header(), scan.committedEnd());
        scan.committed().frames().forEach(f -> index.add(f.page(), f.frame()));
        if (scan.committedEnd() > 0) {
            snapshot = new Snapshot(scan.committedEnd(), scan.committed().pageCount(), scan.committed().meta());
        }
    }

    /** Reads pages as of the last commit: the newest committed frame, else the data file; damage becomes a problem. */
    TreeChecker.PageReader pages() {
        return number -> {
            try {
                int frame = index.find(number, snapshot.maxFrame());
                return frame > 0 ? wal.read(frame, number) : readData(number);
            } catch (CorruptionException | UncheckedIOException e) {
                problems.add(e.getMessage());
                return null;
            }
        };
    }

    private Page readData(int number) {
        if ((long) (number + 1) * header.pageSize() > dataBytes) {
            throw new CorruptionException(path, (long) number * header.pageSize(), "page " + number
                    + " is in neither the log nor the data file (" + dataBytes + " bytes)", null);
        }
        return data.read(number);
    }

    /** The newest committed frame holding page {@code number}, or 0 when the page is read from the data file. */
    int frameOf(int number) {
        return snapshot == null ? 0 : index.find(number, snapshot.maxFrame());
    }

    /** Whole frames the log file holds, committed or not (0 without a log). */
    int framesInFile() {
        return header == null || logBytes < WalFormat.HEADER_SIZE ? 0
                : (int) ((logBytes - WalFormat.HEADER_SIZE) / WalFormat.frameSize(header.pageSize()));
    }

    /**
     * One frame of the log file as it lies there: its decoded header (or why it does not decode:
     * a torn write or damage) and its page image. Throws nothing for a bad frame; a read that fails
     * (the file shrank under a live store) becomes a problem and a null.
     */
    FrameRead readFrame(int frame) {
        int pageSize = header.pageSize();
        ByteBuffer both = ByteBuffer.allocate(WalFormat.frameSize(pageSize));
        try {
            logFile.readFully(WalFormat.frameOffset(frame, pageSize), both);
        } catch (UncheckedIOException e) {
            problems.add(walPath + ": frame " + frame + " could not be read: " + e.getMessage());
            return null;
        }
        byte[] frameHeader = new byte[WalFormat.FRAME_HEADER_SIZE];
        byte[] image = new byte[pageSize];
        both.flip().get(frameHeader).get(image);
        boolean zeros = java.util.Arrays.equals(both.array(), new byte[both.capacity()]);
        return new FrameRead(WalFormat.decodeFrame(frameHeader, image), image, zeros);
    }

    /** A frame as {@link #readFrame} found it. */
    record FrameRead(WalFormat.Decoded<WalFormat.FrameHeader> header, byte[] image, boolean zeros) {
    }

    /** Whether the log holds committed frames that are not in the data file yet. */
    boolean hasLiveFrames() {
        return scan != null && scan.committedEnd() > 0;
    }

    @Override
    public void close() {
        if (wal != null) {
            wal.close(); // closes logFile, which it reads through
        } else if (logFile != null) {
            logFile.close();
        }
        if (data != null) {
            data.close();
        }
    }
}
