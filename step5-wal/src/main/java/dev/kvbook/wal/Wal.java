package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.PageFormat;
import dev.kvbook.btree.TreeMeta;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The log file, {@code <file>-wal}: appends transactions as frames ({@link WalFormat}), syncs,
 * reads frames back, and restarts under a new generation after a checkpoint. The file is kept
 * from one generation to the next and grows ahead of its frames ({@link #preallocate}), so most
 * commits write inside it and their sync has no new size to make durable (issue #27).
 *
 * <p>Two counters tell the whole durability story: {@code appended} frames have been written,
 * {@code synced} of them are known durable (a sync, fdatasync, that began after they were written
 * has returned). A commit is acknowledged only when {@code synced} covers its commit frame. Each new
 * frame records {@code synced}, so recovery can tell a torn tail from damage (see WalFormat).
 *
 * <p>Threads: {@link #append} runs under the store's writer lock; {@link #sync} runs in the
 * group-commit leader, at the same time as the next writer appends, which is the point of group
 * commit. The counters are guarded by this object's monitor; the sync itself runs outside it.
 */
final class Wal implements AutoCloseable {

    /** The most one growth writes ahead of a transaction's frames (a log allowed to grow without limit still grows in steps). */
    private static final long MAX_GROWTH = 64L << 20;
    /** Zeros are written in calls of at most this many bytes, so a growth never needs a large buffer. */
    private static final int ZERO_CHUNK = 1 << 20;

    private final Vfs vfs;
    private final Path path;
    private final VfsFile file;
    private final int pageSize;
    private long generation;
    private int salt;
    private int appended;
    private int synced;
    private long syncs;
    private long allocated;      // bytes the file is known to have: its size, kept by the writer (append) and restart
    private long preallocateUpTo; // how far append may grow the file ahead of its frames (0: no further than they need)

    private Wal(Vfs vfs, Path path, VfsFile file, int pageSize, long generation, int salt, int frames) {
        this.vfs = vfs;
        this.path = path;
        this.file = file;
        this.pageSize = pageSize;
        this.generation = generation;
        this.salt = salt;
        this.appended = frames;
        this.synced = frames;
        this.allocated = file.size();
    }

    /**
     * Starts an empty log of {@code generation}: creates the file if missing (and makes its name
     * durable), writes the header, cuts off whatever followed, fsyncs. Used on first open, after
     * a checkpoint, and by recovery for a log whose frames are all in the data file already
     * (invariant 1 of WalFormat: only then is the header rewritten).
     */
    static Wal start(Vfs vfs, Path path, VfsFile existing, int pageSize, long generation) {
        boolean created = existing == null;
        VfsFile file = created ? vfs.open(path, true) : existing;
        try {
            Wal wal = new Wal(vfs, path, file, pageSize, generation, 0, 0);
            wal.restart(generation, 0);
            if (created) {
                vfs.syncDirectory(path.toAbsolutePath().getParent());
            }
            return wal;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Lets {@link #append} grow the file ahead of its frames, up to {@code bytes} in all (the
     * checkpoint threshold: how long the log gets before a checkpoint restarts it). Without it the
     * file grows by exactly each transaction. Called once, before the first append.
     */
    synchronized void preallocateUpTo(long bytes) {
        preallocateUpTo = bytes;
    }

    /** Continues a log that recovery found holding {@code frames} committed frames (already fsynced). */
    static Wal adopt(Vfs vfs, Path path, VfsFile file, WalFormat.Header header, int frames) {
        return new Wal(vfs, path, file, header.pageSize(), header.generation(), header.salt(), frames);
    }

    /**
     * Restarts the log under {@code newGeneration} and a fresh random salt: header written at 0,
     * fsync. The old frames are <em>not</em> cut off: they stay behind the new header, carry the
     * old generation and salt, so they are never replayed, and the new frames overwrite them in
     * place (WalFormat invariant 6). Reusing the file's blocks is what keeps a commit at one cheap
     * fsync: an append that grows the file makes the file system allocate blocks and log the new
     * size, and the commit's fsync then waits for that too (about half the commit rate, measured
     * on ext4). A file longer than {@code keepBytes} (swollen by one huge transaction, or a log
     * recovery found) is cut back to the header instead. One write, maybe a truncate, one fsync.
     */
    synchronized void restart(long newGeneration, long keepBytes) {
        int newSalt = ThreadLocalRandom.current().nextInt();
        file.write(0, ByteBuffer.wrap(WalFormat.encodeHeader(new WalFormat.Header(pageSize, newGeneration, newSalt))));
        long size = file.size();
        if (size > keepBytes) {
            file.truncate(WalFormat.HEADER_SIZE);
            size = WalFormat.HEADER_SIZE;
        }
        file.sync();
        // No I/O after the sync: a failure must leave these as they were (GroupCommit counts on them).
        generation = newGeneration;
        salt = newSalt;
        appended = 0;
        synced = 0;
        syncs++;
        allocated = size;
    }

    /**
     * Appends one transaction: a frame per page, the last one the commit frame carrying
     * {@code pageCount} and {@code meta}. Seals each page (its step-4 checksum) first. One write
     * call for the whole transaction, no fsync. Returns the number of the commit frame.
     */
    int append(List<Page> pages, int pageCount, TreeMeta meta) {
        growAheadOf(pages.size());
        // LAB:BEGIN step5.append-frames — Commit, part 1: append one frame per page, the last one a commit frame, in a single write
        assert !pages.isEmpty() : "a commit logs at least one page";
        int first;
        int syncedNow;
        synchronized (this) {
            first = appended + 1;
            syncedNow = synced;
        }
        int frameSize = WalFormat.frameSize(pageSize);
        ByteBuffer out = ByteBuffer.allocate(frameSize * pages.size());
        for (int i = 0; i < pages.size(); i++) {
            Page page = pages.get(i);
            boolean commit = i == pages.size() - 1;
            PageFormat.seal(page.bytes());
            WalFormat.FrameHeader header = new WalFormat.FrameHeader(page.number(), first + i, generation, salt, syncedNow,
                    commit ? pageCount : 0, commit ? meta : TreeMeta.EMPTY);
            out.put(WalFormat.encodeFrameHeader(header, page.bytes())).put(page.bytes());
        }
        file.write(WalFormat.frameOffset(first, pageSize), out.flip());
        synchronized (this) {
            appended = first + pages.size() - 1;
            return appended;
        }
        // LAB:END
    }

    /** Before {@code frames} new frames are written: grows the file ahead of them if they would pass its end. */
    private void growAheadOf(int frames) {
        long end;
        long allocatedNow;
        synchronized (this) {
            end = WalFormat.frameOffset(appended + 1, pageSize) + (long) frames * WalFormat.frameSize(pageSize);
            allocatedNow = allocated;
        }
        if (end > allocatedNow) {
            preallocate(end);
        }
    }

    /**
     * Grows the file to at least {@code end}, and ahead of it: the frame area doubles (at most up
     * to {@link #preallocateUpTo}), the bytes past {@code end} written as zeros. Doubling is how
     * the first life of a log stops paying for its growth: a commit whose append grows the file
     * makes its sync commit the new size and blocks through the file system's journal, about a
     * second device trip; with doubling, a log of n frames grows about log2(n) times instead of n
     * times, and a restarted log (a checkpoint keeps the file) not at all. Zeros, not an
     * {@code fallocate}: a fallocated block is "unwritten" until its first write, and that
     * conversion is again a metadata change to commit. A zero frame never decodes (WalFormat
     * invariant 7), so the zeros end the valid run like a torn tail. Nothing is synced here: the
     * commit's own sync covers the zeros with its frames. Writer lock held.
     */
    private void preallocate(long end) {
        long target;
        synchronized (this) {
            long doubled = WalFormat.HEADER_SIZE + 2 * (allocated - WalFormat.HEADER_SIZE);
            target = Math.max(end, Math.min(Math.min(doubled, preallocateUpTo), end + MAX_GROWTH));
        }
        // Invariant: the zeros lie past every frame written so far and the ones about to be, never over one.
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, target - end));
        for (long at = end; at < target; at += zeros.capacity()) {
            file.write(at, zeros.clear().limit((int) Math.min(zeros.capacity(), target - at)));
        }
        synchronized (this) {
            allocated = target;
        }
    }

    /**
     * Makes the log durable and returns how many frames are now durable: those appended before
     * the sync began (frames appended meanwhile wait for the next one). The sync runs outside the
     * monitor so the next transaction can append during it.
     *
     * <p>A data-only sync ({@link VfsFile#syncData()}, fdatasync): recovery reads only the log's
     * bytes and its size, and fdatasync makes both durable, the size included when the append
     * grew the file; what it may skip is the modification time, which nothing reads. The saving
     * is on the common path, a commit that overwrote space the file already had (preallocated,
     * or kept by a checkpoint): fsync would still commit the new timestamp through the journal
     * whenever the clock had ticked since the last one. The bench's raw-prealloc and
     * raw-prealloc-fsync floors measure that difference on the machine at hand (issue #27).
     */
    int sync() {
        int target;
        synchronized (this) {
            target = appended;
        }
        file.syncData();
        synchronized (this) {
            synced = Math.max(synced, target);
            syncs++;
        }
        return target;
    }

    /** Reads frame {@code frame}, which must hold page {@code page}, and checks it. One read of a frame. */
    Page read(int frame, int page) {
        long offset = WalFormat.frameOffset(frame, pageSize);
        byte[] header = new byte[WalFormat.FRAME_HEADER_SIZE];
        byte[] image = new byte[pageSize];
        ByteBuffer both = ByteBuffer.allocate(header.length + image.length);
        file.readFully(offset, both);
        both.flip().get(header).get(image);
        WalFormat.Decoded<WalFormat.FrameHeader> checked = WalFormat.decodeFrame(header, image);
        if (!checked.isValid()) {
            throw new CorruptionException(path, offset, "frame " + frame + ": " + checked.problem() + " (damaged after it was"
                    + " committed: hardware problem?)", null);
        }
        WalFormat.FrameHeader decoded = checked.value();
        boolean mine;
        synchronized (this) {
            mine = decoded.generation() == generation && decoded.salt() == salt;
        }
        if (!mine || decoded.frameNumber() != frame || decoded.pageNumber() != page) {
            throw new CorruptionException(path, offset, "frame " + frame, "page " + page + " of generation " + generation,
                    "page " + decoded.pageNumber() + ", frame " + decoded.frameNumber() + " of generation " + decoded.generation());
        }
        Page result = new Page(page, image);
        PageFormat.verify(result, path, offset + WalFormat.FRAME_HEADER_SIZE);
        return result;
    }

    synchronized int appendedFrames() {
        return appended;
    }

    synchronized int syncedFrames() {
        return synced;
    }

    synchronized long generation() {
        return generation;
    }

    synchronized long syncs() {
        return syncs;
    }

    /** Bytes the log holds: header plus appended frames. */
    synchronized long bytes() {
        return WalFormat.HEADER_SIZE + (long) appended * WalFormat.frameSize(pageSize);
    }

    Path path() {
        return path;
    }

    /** Closes the file and removes it, durably: a clean close leaves the store as one file. */
    void delete() {
        file.close();
        vfs.delete(path);
        vfs.syncDirectory(path.toAbsolutePath().getParent());
    }

    @Override
    public void close() {
        file.close();
    }
}
