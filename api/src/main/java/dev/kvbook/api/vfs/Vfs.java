package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The file system as a store sees it: every byte any kvbook store reads or writes, every fsync,
 * rename and lock, goes through this interface and nothing else.
 *
 * <p>Why a seam? Because durability can only be tested by crashing, and a test cannot pull the
 * power cord on the JVM it runs in. With every I/O call behind one interface, a test can swap in
 * a file system that fails the 17th write, or that forgets everything not yet fsynced, and then
 * check what the store makes of it. SQLite calls this its VFS, LevelDB its {@code Env}, Lucene
 * its {@code Directory}.
 *
 * <p>Implementations: {@link #local()} (the real disk through {@code FileChannel}),
 * {@link CountingVfs} (counts bytes and syncs over another Vfs), and in the testkit an in-memory
 * crash simulator and a fault injector.
 *
 * <p>Writers and readers: a store opens its files with {@link #open} and holds {@link #lock}, the
 * writer's exclusive lock, while it is open. Tools that only read a store (its checker, its
 * inspector) open files with {@link #openReadOnly} and hold {@link #lockShared}, the readers'
 * lock, so they work on read-only media and keep writers out without being writers.
 *
 * <p>Failures are unchecked: {@link java.io.UncheckedIOException} wrapping the real
 * {@code IOException}, and {@link dev.kvbook.api.StoreLockedException} from {@link #lock} and
 * {@link #lockShared}.
 */
public interface Vfs {

    /**
     * Opens {@code path} for reading and writing. With {@code create}, a missing file is created
     * empty (the new directory entry is durable only after {@link #syncDirectory}); without it,
     * a missing file is an error ({@code NoSuchFileException}).
     */
    VfsFile open(Path path, boolean create);

    /**
     * Opens the existing file at {@code path} for reading only. Reads work as on a file from
     * {@link #open}; {@link VfsFile#write}, {@link VfsFile#truncate} and {@link VfsFile#sync}
     * through it throw {@link IllegalStateException}, because nothing may be changed through it.
     * A missing file is an error ({@code NoSuchFileException}), and so is a directory.
     *
     * <p>Why a second way to open: {@link #open} asks the operating system for write access too,
     * and a file on read-only media (a read-only mount, a backup snapshot, a CD) or one the user
     * may only read refuses that, although reading it is fine. Checkers and inspectors, which
     * only read, open files this way, so they work there. Cost: as {@link #open}, one system call.
     *
     * <p>Contract addition (issue #18). A {@code Vfs} that wraps another must pass this call on.
     */
    VfsFile openReadOnly(Path path);

    /** Returns whether a file or directory exists at {@code path}. */
    boolean exists(Path path);

    /**
     * Removes the file at {@code path}; a missing file is not an error, so recovery code can
     * repeat a delete that a crash interrupted. Durable only after {@link #syncDirectory}.
     */
    void delete(Path path);

    /**
     * Renames {@code from} to {@code to} atomically, replacing {@code to} if it exists: a reader
     * sees the old file or the new one, never neither and never a mix. This is how whole files
     * are replaced safely. Durable only after {@link #syncDirectory}.
     */
    void rename(Path from, Path to);

    /** Lists the entries of {@code dir}, sorted by name; an empty list when it does not exist. */
    List<Path> list(Path dir);

    /** Creates {@code dir} and any missing parents; an existing directory is not an error. */
    void createDirectories(Path dir);

    /**
     * Makes the creates, renames and deletes done in {@code dir} durable. A file's own
     * {@link VfsFile#sync()} does not do this: after a crash a freshly created, fsynced file can
     * be missing because its directory entry was never made durable.
     */
    void syncDirectory(Path dir);

    /**
     * Takes an exclusive lock on {@code lockFile} (created if missing) and returns its release
     * handle. Fails fast with {@link dev.kvbook.api.StoreLockedException} when another process,
     * or another open handle in this process, holds it. The operating system releases the lock
     * when the process dies, so a crash never leaves a store locked.
     *
     * <p>The lock belongs to the file, not to the spelling of its path: {@code a/store.lock},
     * {@code a/../a/store.lock} and {@code link-to-a/store.lock} are one lock. A refused lock never
     * disturbs a lock this process already holds (on POSIX, closing any handle on a file drops
     * every lock the process has on it, so the implementation must not even open one).
     */
    Closeable lock(Path lockFile);

    /**
     * Takes a shared lock on {@code lockFile}, the readers' lock, and returns its release handle:
     * how a checker or inspector keeps writers out while it reads, without write access. Fails
     * fast with {@link dev.kvbook.api.StoreLockedException} while a writer holds {@link #lock} on
     * the same file, in this process or another; while any reader holds it, a writer's
     * {@link #lock} fails fast in the same way. Any number of readers may hold it at once.
     *
     * <p>Why a second lock: a writer's lock needs the lock file open for writing (and created if
     * missing), which read-only media and read-only users refuse. A shared lock needs the file
     * open for reading only. And if the lock file is missing and cannot be created because the
     * medium is read-only, no writer can create it either, so none can hold the store: then this
     * returns a handle that holds nothing, and the reader goes ahead unlocked. On writable media a
     * missing lock file is created, so that a writer arriving later finds the reader's lock.
     *
     * <p>Like {@link #lock}, it belongs to the file's identity, releases itself when the process
     * dies, and a refusal disturbs no lock this process holds. Cost: a metadata read or two, one
     * open and one lock call for the first reader of a file in this process; a counter for the
     * others. Closing the handle twice releases once.
     *
     * <p>Contract addition (issue #18). A {@code Vfs} that wraps another must pass this call on.
     */
    Closeable lockShared(Path lockFile);

    /**
     * Returns what {@code path} really names: an absolute path with every symbolic link in it
     * followed and no {@code .} or {@code ..} left. The path need not exist: the part that exists
     * is resolved, and the rest appended (a dangling symbolic link resolves to where it points).
     * Two paths name the same file exactly when their real paths are equal, hard links apart
     * (see {@link #linkCount}). A store calls this once, at open ({@link StorePaths}), and names
     * every file it makes from the result. One or a few metadata reads.
     *
     * <p>Contract addition (issue #16). The default suits a file system without symbolic links,
     * such as an in-memory one: the absolute, normalized path. A {@code Vfs} that wraps another
     * must pass this call on.
     */
    default Path realPath(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /**
     * Returns how many names (hard links) the file at {@code path} has: 1 for an ordinary file, 0
     * when nothing is there, and more when the same file is also reachable under other names.
     * Stores kept in one file refuse a file with more than one name, because their lock sits
     * beside a name, and another name would mean another lock ({@link StorePaths#storeFile}).
     * One metadata read.
     *
     * <p>Contract addition (issue #16). The default suits a file system without hard links: 1 when
     * the path exists. A {@code Vfs} that wraps another must pass this call on.
     */
    default int linkCount(Path path) {
        return exists(path) ? 1 : 0;
    }

    /**
     * Runs {@code work} while holding the readers' lock on {@code lockFile} ({@link #lockShared}),
     * and releases it afterwards, also when {@code work} throws. This is how a checker reads a
     * store's files without a writer changing them underneath, and without write access: fails
     * fast with {@link dev.kvbook.api.StoreLockedException} while a writer has the store open.
     */
    default <T> T withSharedLock(Path lockFile, Supplier<T> work) {
        Closeable lock = lockShared(lockFile);
        try {
            return work.get();
        } finally {
            try {
                lock.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock " + lockFile, e);
            }
        }
    }

    /**
     * Returns the first {@code maxBytes} bytes of the file at {@code path} (fewer when the file
     * is shorter), or an empty array when there is no file to read there: a missing path, a
     * directory. For telling file types apart by their magic number. Opens the file read-only
     * ({@link #openReadOnly}), so it also works on read-only media. One read.
     *
     * <p>A file that is there but may not be read is not "not ours": nobody can tell what it
     * holds, and a tool that said "no store here" would send its user looking in the wrong place.
     * So that one failure is thrown, not swallowed (issue #18); any other failure to read still
     * means "no file to read here".
     *
     * @throws UncheckedIOException wrapping an {@link AccessDeniedException} when this process
     *                              may not read the file at {@code path}
     */
    default byte[] readHead(Path path, int maxBytes) {
        try {
            if (!exists(path)) {
                return new byte[0];
            }
            try (VfsFile file = openReadOnly(path)) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(file.size(), maxBytes));
                file.readFully(0, head);
                return head.array();
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw e; // "cannot read" is not "not ours"
            }
            return new byte[0];
        }
    }

    /** The real file system, through {@code java.nio.channels.FileChannel}. */
    static Vfs local() {
        return LocalVfs.INSTANCE;
    }
}
