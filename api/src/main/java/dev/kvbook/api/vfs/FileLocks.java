package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The locks of {@link LocalVfs}: the writer's ({@link Vfs#lock}) and the readers'
 * ({@link Vfs#lockShared}), taken with {@code FileChannel.tryLock} on lock files, and the list of
 * those this JVM holds that makes them safe to use from many stores in one process. One instance,
 * inside {@link LocalVfs#INSTANCE}. Thread-safe (one monitor).
 */
final class FileLocks {

    /**
     * The lock files this JVM holds, by file identity ({@link #identityOf}), not by the spelling
     * of their path, with who holds each: one writer, or a count of readers sharing one channel.
     * Guarded by its own monitor, which every lock, shared lock and release takes for its whole
     * bookkeeping, channel calls included (they do not block: {@code tryLock} never waits).
     *
     * <p>Why the JVM must keep this list itself: the operating system's locks
     * ({@code FileChannel.tryLock}) belong to the process, not to a channel, and worse, on POSIX,
     * closing <em>any</em> channel on a file drops every lock the process holds on that file. The
     * JVM adds its own rule: a second {@code tryLock} on a file it already locks throws
     * {@link OverlappingFileLockException}, shared or not. So:
     *
     * <p>Invariant: this JVM opens at most one lock channel per lock file, the one recorded here,
     * and it opens none on a file recorded here. A second writer, or a writer while readers read,
     * or a reader while a writer writes, is refused from this map before any channel is opened,
     * so refusing closes no channel and drops no lock. A second reader opens no channel either:
     * it joins the first reader's lock by counting, and the channel closes when the count falls
     * to zero. (If each reader opened its own channel, the first reader to finish would close its
     * channel and so release the lock under the readers still reading.)
     */
    private final Map<Object, Holder> heldLocks = new HashMap<>();

    /** Who in this JVM holds the lock on one lock file, and the one channel that holds it. */
    private static final class Holder {
        final boolean exclusive;
        final FileChannel channel;
        int readers; // shared holders still reading; always 0 for the exclusive holder

        Holder(boolean exclusive, FileChannel channel) {
            this.exclusive = exclusive;
            this.channel = channel;
        }
    }

    /**
     * Takes the writer's lock on the lock file whose real path is {@code real} (created if
     * missing), as {@link Vfs#lock} describes; {@code lockFile} is the path as the caller spelled
     * it, for messages.
     */
    Closeable lock(Path real, Path lockFile) {
        Object identity = identityOf(createIfMissing(real));
        synchronized (heldLocks) {
            if (heldLocks.containsKey(identity)) {
                throw new StoreLockedException(lockFile); // no channel opened: our lock stays
            }
            // A channel opened for writing: the operating system grants an exclusive lock only there.
            FileChannel channel = lockedChannel(real, lockFile, StandardOpenOption.WRITE, false);
            heldLocks.put(identity, new Holder(true, channel));
            return release(identity, lockFile);
        }
    }

    /**
     * Takes the readers' lock on the lock file whose real path is {@code real}, as
     * {@link Vfs#lockShared} describes: the first reader of this JVM opens a channel for reading
     * and takes a shared lock; later readers count themselves in.
     */
    Closeable lockShared(Path real, Path lockFile) {
        if (!createUnlessReadOnlyMedium(real)) {
            return () -> { }; // read-only media: no writer can create the lock file, so none holds it
        }
        Object identity = identityOf(real);
        synchronized (heldLocks) {
            Holder holder = heldLocks.get(identity);
            if (holder != null && holder.exclusive) {
                throw new StoreLockedException(lockFile); // a writer of this JVM: no channel opened
            }
            if (holder == null) {
                // The first reader in this JVM: a channel opened for reading is all a shared lock needs.
                holder = new Holder(false, lockedChannel(real, lockFile, StandardOpenOption.READ, true));
                heldLocks.put(identity, holder);
            }
            holder.readers++; // later readers join this channel's lock (the invariant above)
            return release(identity, lockFile);
        }
    }

    /**
     * Opens a channel on {@code real} with {@code mode} and takes the operating system's lock on
     * the whole file, shared or exclusive; returns the channel, which holds the lock until closed.
     * Called under {@link #heldLocks}'s monitor with no channel of this JVM open on the file.
     *
     * @throws StoreLockedException when another process holds a conflicting lock
     */
    private static FileChannel lockedChannel(Path real, Path lockFile, StandardOpenOption mode, boolean shared) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(real, mode);
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                throw new StoreLockedException(lockFile); // another process holds it
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            // Code outside the Vfs locked this file in this JVM. Closing our channel would drop
            // that lock, so the channel is left open on purpose (a small leak beats an unlock).
            throw new StoreLockedException(lockFile);
        } catch (IOException | StoreLockedException e) {
            // Invariant: no other channel of this JVM holds a lock on this file (heldLocks), so
            // closing this one drops no lock of ours.
            closeQuietly(channel);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock " + lockFile, io);
            }
            throw (StoreLockedException) e;
        }
    }

    /**
     * The release handle of one holder of the lock on {@code identity}: the writer, or one reader.
     * The last holder out closes the channel, which releases the operating system's lock. Closing
     * the handle again does nothing, so a double close cannot release someone else's hold.
     */
    private Closeable release(Object identity, Path lockFile) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            synchronized (heldLocks) {
                Holder holder = heldLocks.get(identity);
                assert holder != null : "a lock released that nobody holds: " + lockFile;
                if (!holder.exclusive && --holder.readers > 0) {
                    return; // other readers still read under this channel's lock
                }
                heldLocks.remove(identity);
                holder.channel.close(); // closing the channel releases the lock
            }
        };
    }

    /**
     * Creates {@code file} if it does not exist, without ever opening an existing one
     * ({@code CREATE_NEW} is {@code O_EXCL}: it fails rather than open), so it cannot disturb a
     * lock held on it. Returns {@code file}.
     */
    private static Path createIfMissing(Path file) {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException exists) {
            // the usual case: the lock file stays from earlier opens
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lock file " + file, e);
        }
        return file;
    }

    /**
     * As {@link #createIfMissing}, but returns false instead of failing when {@code file} is
     * missing and cannot be created because its file system is read-only. Only that: a directory
     * this user may not write to is another matter (another user may write there, and so hold the
     * store), and fails as usual. Asks the file store rather than reading the error's text, which
     * the platform words (and may translate).
     */
    private static boolean createUnlessReadOnlyMedium(Path file) {
        if (Files.exists(file)) {
            return true;
        }
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException exists) {
            // created meanwhile, by a writer or another reader
        } catch (ReadOnlyFileSystemException readOnly) {
            return false; // a file system provider that says so directly
        } catch (IOException e) {
            if (onReadOnlyFileStore(file.getParent())) {
                return false;
            }
            throw new UncheckedIOException("cannot create the lock file " + file, e);
        }
        return true;
    }

    /** Whether {@code dir} lies on a file store mounted read-only; false when that cannot be told. */
    private static boolean onReadOnlyFileStore(Path dir) {
        try {
            return dir != null && Files.getFileStore(dir).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The identity of an existing file: its file key (device and inode on POSIX) where the
     * platform has one, so that hard links are one file too; its real path otherwise.
     */
    private static Object identityOf(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the identity of " + file, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                // Already failing: the lock error is the one worth reporting.
            }
        }
    }
}
