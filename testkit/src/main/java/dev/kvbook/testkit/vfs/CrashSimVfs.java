package dev.kvbook.testkit.vfs;

import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory file system that knows which of its bytes are durable, so a test can pull the
 * power cord at any moment and see what a real disk could have kept.
 *
 * <h2>The model</h2>
 * Like a POSIX file system, files are inodes and directories map names to inodes. Each inode
 * has its current bytes and its durable bytes; {@link VfsFile#sync()} makes the current bytes
 * (and so the size) durable, and so does {@link VfsFile#syncData()}: the model keeps no
 * timestamps, the one thing fdatasync(2) may leave unflushed. Names have the same split: creates, renames and deletes change the current names at
 * once but become durable only when {@link #syncDirectory} is called on their directory. This is
 * stricter than most real file systems, on purpose: a store that passes here relies only on
 * what POSIX promises. (Directories themselves, made by {@link #createDirectories}, are taken as
 * durable at once. Step 3 creates its directory and then fsyncs the parent before anything is
 * acknowledged; that order is checked on the real disk by {@link DirectorySyncAudit}.)
 *
 * <h2>Crashing</h2>
 * {@link #crash()} is a power loss. In the default mode only durable state survives. In
 * {@linkplain #harsh(long) harsh mode} each unsynced write is split at 512-byte sector
 * boundaries and every piece independently survives, vanishes or comes back as garbage; each
 * unsynced truncate survives or not; and a random prefix of the unsynced name operations
 * survives, so a later rename never survives without an earlier one. That prefix is an
 * assumption about the file system (one that journals metadata in order), not a POSIX promise:
 * ext2 and btrfs may reorder directory operations (Pillai et al., "All File Systems Are Not
 * Created Equal", OSDI 2014), so harsh mode does not produce every state such a file system can.
 * {@linkplain #harshReordered(long) Reordered harsh mode} does: it treats file contents as harsh
 * mode does, but lets any subset of the unsynced name operations survive, within the rules below.
 * Randomness comes from a seed, so every crash can be replayed.
 *
 * <h2>Reordered directory operations: the model</h2>
 * What a file system that reorders directory operations can and cannot leave after a crash:
 * <ol>
 *   <li><b>Any subset of the unsynced creates, renames and deletes may survive</b>, in any
 *       directories: a later operation may reach the disk while an earlier one does not. This is
 *       the state a protocol must not rely on: "my rename of the manifest survived, so the create
 *       of the table it names did too" is true under harsh mode and false here.</li>
 *   <li><b>Operations on one name stay in order.</b> If an operation survives, so does every
 *       earlier unsynced operation that names one of its paths (the source or the target of a
 *       rename, the file of a create or a delete); applied to survivors, this is transitive. A
 *       name is one directory entry, kept in one directory block; the disk holds some state of
 *       that block that the running system had, never a newer state of the entry with an older
 *       step missing. So "create tmp, rename tmp to db" never leaves db without the create of
 *       tmp, and "delete x, create x" never leaves the delete undone under a surviving create.</li>
 *   <li><b>A rename is atomic</b>: its source disappears exactly when its target appears (and the
 *       file the target replaced disappears with it). POSIX promises this to running processes
 *       only; we assume the file system keeps it across a crash, as journaling ones do. An ext2
 *       without a journal can leave both names after a crash; no rename-based protocol survives
 *       that, and this model does not produce it.</li>
 *   <li><b>{@link #syncDirectory} makes every pending operation of that directory durable</b>, as
 *       in the other modes, and file data follows names nowhere: a file's synced bytes survive
 *       under whatever names survive, and a name can survive with none of its unsynced bytes.</li>
 * </ol>
 * The surviving operations are applied in their original order. Prefixes are subsets closed
 * under rule 2, so every state of harsh mode is also a state of this mode.
 *
 * <p>{@link #crashAtOperation(long)} arms a crash at the Nth <em>mutating</em> call (create,
 * write, truncate, sync, data sync, rename, delete, directory sync): that call throws {@link SimulatedCrash}
 * and so does every later one, until the test calls {@link #crash()}. The interrupted call may
 * have partly happened: in harsh mode its write is treated as unsynced, so any of its sectors
 * may survive. Reads are not crash points: crashing before a read leaves the same disk as
 * crashing before the next write.
 *
 * <p>Locks live in memory and are all released by a crash, as the operating system releases
 * them when a process dies; lock files are not created. They follow the rules of the real ones:
 * a lock file has one writer ({@link #lock}) or any number of readers ({@link #lockShared}),
 * never both, and a refused lock fails fast with {@link StoreLockedException}. Files opened with
 * {@link #openReadOnly} refuse writes, truncates and syncs. Thread-safe (one monitor).
 */
public final class CrashSimVfs implements Vfs {

    /** The sector size of harsh mode: the unit a disk writes atomically, or not at all. */
    public static final int SECTOR_SIZE = 512;

    private Map<Path, Inode> names = new HashMap<>();
    private Map<Path, Inode> durableNames = new HashMap<>();
    private final List<NameOp> unsyncedNameOps = new ArrayList<>();
    private final Set<Path> directories = new HashSet<>();
    private final Set<Path> locks = new HashSet<>();              // lock files a writer holds
    private final Map<Path, Integer> sharedLocks = new HashMap<>(); // lock files readers hold, and how many
    private final List<String> mutationLog = new ArrayList<>();

    private RandomGenerator harsh;   // null: gentle crashes
    private boolean reorderNameOps;  // harsh only: any allowed subset of name ops survives, not a prefix
    private long mutations;          // mutating calls since creation or resetCounters()
    private long crashAt = -1;       // the mutating call that loses power; -1 when disarmed
    private boolean dead;            // power is off: every call throws SimulatedCrash
    private int generation;          // bumped by each crash; older file handles are dead

    /** An empty file system with gentle crashes (only durable state survives). */
    public CrashSimVfs() {
    }

    /** Switches to harsh crashes, reproducible from {@code seed}. Returns this. */
    public synchronized CrashSimVfs harsh(long seed) {
        // SplittableRandom mixes its seed well: crash points p and p+1 get unrelated choices,
        // which java.util.Random's first draws from adjacent seeds are not.
        harsh = new SplittableRandom(seed);
        reorderNameOps = false;
        return this;
    }

    /**
     * Switches to harsh crashes in which unsynced directory operations may also survive out of
     * order (see "Reordered directory operations" above), reproducible from {@code seed}. Returns this.
     */
    public synchronized CrashSimVfs harshReordered(long seed) {
        harsh(seed);
        reorderNameOps = true;
        return this;
    }

    /** Arms a power loss at the {@code n}th mutating call from now (1 = the next one). */
    public synchronized void crashAtOperation(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("crash point must be at least 1, was " + n);
        }
        crashAt = mutations + n;
    }

    /** The number of mutating calls since creation or the last {@link #resetCounters()}. */
    public synchronized long mutations() {
        return mutations;
    }

    /** Describes each mutating call since the last {@link #resetCounters()}, in order. */
    public synchronized List<String> mutationLog() {
        return List.copyOf(mutationLog);
    }

    /** Sets the count of mutating calls and its log back to empty. */
    public synchronized void resetCounters() {
        mutations = 0;
        crashAt = -1;
        mutationLog.clear();
    }

    /** Returns whether an armed crash has happened and {@link #crash()} has not yet been called. */
    public synchronized boolean isPoweredOff() {
        return dead;
    }

    /**
     * Loses power now (or completes a power loss an armed crash point started): keeps only what
     * a disk could have kept, releases every lock, and turns every open file handle dead. The
     * file system is usable again afterwards, as after a reboot.
     */
    public synchronized void crash() {
        Map<Path, Inode> survivors = new HashMap<>(durableNames);
        if (harsh != null) {
            List<NameOp> kept = reorderNameOps ? survivingReordered(unsyncedNameOps, harsh) : survivingPrefix(unsyncedNameOps, harsh);
            kept.forEach(op -> op.applyTo(survivors));
        }
        unsyncedNameOps.clear();
        Set<Inode> seen = new HashSet<>();
        for (Inode inode : survivors.values()) {
            if (seen.add(inode)) {
                inode.crash(harsh);
            }
        }
        names = survivors;
        durableNames = new HashMap<>(survivors);
        locks.clear();
        sharedLocks.clear();
        generation++;
        dead = false;
        crashAt = -1;
    }

    /** Harsh mode's choice: a random prefix of the unsynced name operations, in order. */
    private static List<NameOp> survivingPrefix(List<NameOp> unsynced, RandomGenerator random) {
        int keep = unsynced.isEmpty() ? 0 : random.nextInt(unsynced.size() + 1);
        return List.copyOf(unsynced.subList(0, keep));
    }

    /**
     * Reordered mode's choice: a random subset of the unsynced name operations that keeps the
     * operations on each name in order (rule 2 of the model), in their original order. Any such
     * subset must be possible, the empty one and the whole list included.
     */
    private static List<NameOp> survivingReordered(List<NameOp> unsynced, RandomGenerator random) {
        // BUILD:BEGIN step3.build-reorder-crash — CrashSimVfs: choose which unsynced name operations survive a reordering crash
        // Each operation survives on a coin toss; then, from the last to the first, a survivor
        // pulls in every earlier operation on one of its names. Walking backwards makes that
        // closure transitive in one pass: a pulled-in operation is visited after the one that
        // pulled it in, and pulls in its own predecessors in turn.
        boolean[] survives = new boolean[unsynced.size()];
        for (int i = 0; i < survives.length; i++) {
            survives[i] = random.nextBoolean();
        }
        for (int later = survives.length - 1; later >= 0; later--) {
            if (!survives[later]) {
                continue;
            }
            for (int earlier = later - 1; earlier >= 0; earlier--) {
                if (unsynced.get(earlier).sharesANameWith(unsynced.get(later))) {
                    survives[earlier] = true;
                }
            }
        }
        List<NameOp> kept = new ArrayList<>();
        for (int i = 0; i < survives.length; i++) {
            if (survives[i]) {
                kept.add(unsynced.get(i));
            }
        }
        return kept;
        // BUILD:END
    }

    /** The current content of every file, by path: what a test snapshots or corrupts. */
    public synchronized Map<Path, byte[]> files() {
        Map<Path, byte[]> result = new TreeMap<>();
        names.forEach((path, inode) -> result.put(path, inode.current()));
        return result;
    }

    /** Creates or replaces {@code path} with {@code content}, durably (test setup, not a crash point). */
    public synchronized void putDurableFile(Path path, byte[] content) {
        createDirectoriesQuietly(path.getParent());
        Inode inode = new Inode(content);
        names.put(path, inode);
        durableNames.put(path, inode);
    }

    // ---- the Vfs calls -------------------------------------------------------------------

    @Override
    public synchronized VfsFile open(Path path, boolean create) {
        checkAlive("open " + path);
        Inode inode = names.get(path);
        if (inode == null) {
            if (!create) {
                throw io("cannot open " + path, new NoSuchFileException(path.toString()));
            }
            requireDirectory(path.getParent(), "create " + path);
            mutation("create " + path);
            inode = new Inode(new byte[0]);
            names.put(path, inode);
            unsyncedNameOps.add(new NameOp(path, null, inode));
        }
        return new SimFile(path, inode, generation, false);
    }

    /** Opens an existing file whose handle refuses every change. Not a crash point: nothing changes. */
    @Override
    public synchronized VfsFile openReadOnly(Path path) {
        checkAlive("open " + path + " (read-only)");
        Inode inode = names.get(path);
        if (inode == null) {
            throw io("cannot open " + path, new NoSuchFileException(path.toString()));
        }
        return new SimFile(path, inode, generation, true);
    }

    @Override
    public synchronized boolean exists(Path path) {
        checkAlive("exists " + path);
        return names.containsKey(path) || directories.contains(path);
    }

    @Override
    public synchronized void delete(Path path) {
        checkAlive("delete " + path);
        if (!names.containsKey(path)) {
            return;
        }
        mutation("delete " + path);
        names.remove(path);
        unsyncedNameOps.add(new NameOp(path, null, null));
    }

    @Override
    public synchronized void rename(Path from, Path to) {
        checkAlive("rename " + from + " -> " + to);
        Inode inode = names.get(from);
        if (inode == null) {
            throw io("cannot rename " + from, new NoSuchFileException(from.toString()));
        }
        if (directories.contains(to)) {
            throw io("cannot rename onto directory " + to, new FileAlreadyExistsException(to.toString()));
        }
        requireDirectory(to.getParent(), "rename " + from + " -> " + to);
        mutation("rename " + from.getFileName() + " -> " + to.getFileName());
        names.remove(from);
        names.put(to, inode);
        unsyncedNameOps.add(new NameOp(to, from, inode));
    }

    @Override
    public synchronized List<Path> list(Path dir) {
        checkAlive("list " + dir);
        Set<Path> entries = new HashSet<>();
        names.keySet().stream().filter(p -> dir.equals(p.getParent())).forEach(entries::add);
        directories.stream().filter(p -> dir.equals(p.getParent())).forEach(entries::add);
        return entries.stream().sorted().toList();
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        checkAlive("createDirectories " + dir);
        createDirectoriesQuietly(dir);
    }

    @Override
    public synchronized void syncDirectory(Path dir) {
        checkAlive("syncDirectory " + dir);
        requireDirectory(dir, "sync directory " + dir);
        mutation("syncDirectory " + dir);
        Set<Path> inDir = new HashSet<>();
        names.keySet().stream().filter(p -> dir.equals(p.getParent())).forEach(inDir::add);
        durableNames.keySet().stream().filter(p -> dir.equals(p.getParent())).forEach(inDir::add);
        for (Path path : inDir) {
            Inode inode = names.get(path);
            if (inode == null) {
                durableNames.remove(path);
            } else {
                durableNames.put(path, inode);
            }
        }
        unsyncedNameOps.removeIf(op -> op.touches(dir));
    }

    @Override
    public synchronized Closeable lock(Path lockFile) {
        checkAlive("lock " + lockFile);
        Path identity = realPath(lockFile);
        if (sharedLocks.containsKey(identity) || !locks.add(identity)) {
            throw new StoreLockedException(lockFile); // readers, or another writer, hold it
        }
        return release(() -> locks.remove(identity));
    }

    /**
     * A readers' lock: refused while a writer holds {@code lockFile}, shared with other readers.
     * The model needs no read-only-media rule: this file system is always writable, and it never
     * creates lock files anyway.
     */
    @Override
    public synchronized Closeable lockShared(Path lockFile) {
        checkAlive("lock shared " + lockFile);
        Path identity = realPath(lockFile);
        if (locks.contains(identity)) {
            throw new StoreLockedException(lockFile); // a writer holds it
        }
        sharedLocks.merge(identity, 1, Integer::sum);
        return release(() -> sharedLocks.computeIfPresent(identity, (path, readers) -> readers == 1 ? null : readers - 1));
    }

    /**
     * A release handle that runs {@code unlock} once, and only if no crash came between (a crash
     * already released every lock, and the names may be someone else's now).
     */
    private Closeable release(Runnable unlock) {
        int lockedIn = generation;
        boolean[] released = {false};
        return () -> {
            synchronized (CrashSimVfs.this) {
                if (generation == lockedIn && !released[0]) {
                    unlock.run();
                }
                released[0] = true;
            }
        };
    }

    /**
     * The path without {@code .} and {@code ..}: this file system has no symbolic links, hard links
     * or working directory, so that is all a path's identity takes. Not a crash point.
     */
    @Override
    public Path realPath(Path path) {
        return path.normalize();
    }

    // ---- bookkeeping --------------------------------------------------------------------

    /** Counts a mutating call and loses power if it is the armed one. */
    private void mutation(String description) {
        mutations++;
        mutationLog.add(description);
        if (mutations == crashAt) {
            dead = true;
            throw new SimulatedCrash(description);
        }
    }

    private void checkAlive(String call) {
        if (dead) {
            throw new SimulatedCrash(call + " (power is already off)");
        }
    }

    private void requireDirectory(Path dir, String call) {
        if (dir != null && !directories.contains(dir)) {
            throw io("cannot " + call, new NoSuchFileException(dir + " (no such directory)"));
        }
    }

    private void createDirectoriesQuietly(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            directories.add(p);
        }
    }

    private static UncheckedIOException io(String message, java.io.IOException cause) {
        return new UncheckedIOException(message, cause);
    }

    /**
     * One create, delete or rename not yet made durable by a directory sync.
     * {@code from == null, inode != null}: create; {@code inode == null}: delete of {@code path};
     * otherwise a rename of {@code from} to {@code path}.
     */
    private record NameOp(Path path, Path from, Inode inode) {
        void applyTo(Map<Path, Inode> namespace) {
            if (from != null) {
                namespace.remove(from);
            }
            if (inode == null) {
                namespace.remove(path);
            } else {
                namespace.put(path, inode);
            }
        }

        /** The paths this operation changes: its target, and a rename's source. */
        List<Path> names() {
            return from == null ? List.of(path) : List.of(path, from);
        }

        /** Whether this operation and {@code other} change a common directory entry. */
        boolean sharesANameWith(NameOp other) {
            return names().stream().anyMatch(other.names()::contains);
        }

        boolean touches(Path dir) {
            return dir.equals(path.getParent()) || from != null && dir.equals(from.getParent());
        }
    }

    /** A handle on an inode; dead after a crash, like a file descriptor of a killed process. */
    private final class SimFile implements VfsFile {
        private final Path path;
        private final Inode inode;
        private final int openedIn;
        private final boolean readOnly;
        private boolean closed;

        SimFile(Path path, Inode inode, int openedIn, boolean readOnly) {
            this.path = path;
            this.inode = inode;
            this.openedIn = openedIn;
            this.readOnly = readOnly;
        }

        /** As {@link #check}, for a call that would change the file: refused on a read-only handle. */
        private void checkWritable(String call) {
            check(call);
            if (readOnly) {
                throw new IllegalStateException("cannot " + call + " " + path + ": it was opened read-only");
            }
        }

        private void check(String call) {
            checkAlive(call + " " + path);
            if (openedIn != generation) {
                throw new IllegalStateException(path + ": file handle opened before a crash");
            }
            if (closed) {
                throw new IllegalStateException(path + ": file handle is closed");
            }
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            synchronized (CrashSimVfs.this) {
                check("read");
                int wanted = dst.remaining();
                if (position < 0 || position + wanted > inode.size) {
                    throw io("cannot read " + path, new EOFException(path + ": end of file at " + inode.size
                            + " reading " + wanted + " bytes from " + position));
                }
                dst.put(inode.data, (int) position, wanted);
            }
        }

        @Override
        public void write(long position, ByteBuffer src) {
            synchronized (CrashSimVfs.this) {
                checkWritable("write");
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                mutation("write " + path.getFileName() + " @" + position + " +" + bytes.length + " bytes", bytes, position);
            }
        }

        /** A write is a crash point whose interrupted form may leave some sectors behind. */
        private void mutation(String description, byte[] bytes, long position) {
            try {
                CrashSimVfs.this.mutation(description);
            } catch (SimulatedCrash interrupted) {
                inode.recordUnsyncedWrite(position, bytes); // never applied now, only in a harsh crash
                throw interrupted;
            }
            inode.write(position, bytes);
        }

        @Override
        public long size() {
            synchronized (CrashSimVfs.this) {
                check("size");
                return inode.size;
            }
        }

        @Override
        public void truncate(long size) {
            synchronized (CrashSimVfs.this) {
                checkWritable("truncate");
                if (size >= inode.size) {
                    return;
                }
                CrashSimVfs.this.mutation("truncate " + path.getFileName() + " to " + size);
                inode.truncate(size);
            }
        }

        @Override
        public void sync() {
            synchronized (CrashSimVfs.this) {
                checkWritable("sync");
                CrashSimVfs.this.mutation("sync " + path.getFileName());
                inode.sync();
            }
        }

        /**
         * Makes the file's bytes and size durable, and nothing else: the same as {@link #sync()}
         * in this model, which keeps no timestamps (the only thing fdatasync(2) may leave behind)
         * and never lets a file sync make a name durable. A crash point of its own.
         */
        @Override
        public void syncData() {
            synchronized (CrashSimVfs.this) {
                checkWritable("syncData");
                CrashSimVfs.this.mutation("syncData " + path.getFileName());
                inode.sync();
            }
        }

        @Override
        public void close() {
            synchronized (CrashSimVfs.this) {
                checkAlive("close " + path);
                closed = true;
            }
        }
    }
}
