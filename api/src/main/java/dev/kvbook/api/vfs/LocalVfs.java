package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The real file system: {@link Vfs#local()}. A thin layer over {@link FileChannel} and
 * {@link Files}, the only place in kvbook's stores where {@code java.nio.file} is touched.
 */
final class LocalVfs implements Vfs {

    static final LocalVfs INSTANCE = new LocalVfs();

    /** How many symbolic links {@link #realPath} follows before giving up, as Linux's ELOOP limit. */
    private static final int MAX_SYMBOLIC_LINKS = 40;

    /** Windows cannot open a directory to fsync it; there, rename durability is the OS's. */
    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase().startsWith("windows");

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

    private LocalVfs() {
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        OpenOption[] options = create
                ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE}
                : new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try {
            return new LocalFile(path, FileChannel.open(path, options), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    @Override
    public void rename(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    @Override
    public List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    @Override
    public void syncDirectory(Path dir) {
        if (!CAN_SYNC_DIRECTORIES) {
            return;
        }
        // On Linux and macOS a directory opened read-only can be fsynced; that makes the
        // directory's entries (creates, renames, deletes) durable.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync directory " + dir, e);
        }
    }

    @Override
    public VfsFile openReadOnly(Path path) {
        if (Files.isDirectory(path)) {
            // Linux opens a directory for reading; refuse it here, as open() does, so a directory
            // is never taken for an empty or unreadable file.
            throw new UncheckedIOException("cannot open " + path,
                    new FileSystemException(path.toString(), null, "Is a directory"));
        }
        try {
            return new LocalFile(path, FileChannel.open(path, StandardOpenOption.READ), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    @Override
    public Closeable lock(Path lockFile) {
        Path real = realPath(lockFile);
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

    @Override
    public Closeable lockShared(Path lockFile) {
        Path real = realPath(lockFile);
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

    /**
     * Resolves the part of {@code path} that exists with {@link Path#toRealPath} (which follows
     * every symbolic link, as the kernel does) and appends the rest; a dangling symbolic link is
     * followed to where it points, so a store created through it is created at its target.
     */
    @Override
    public Path realPath(Path path) {
        return realPath(path.toAbsolutePath(), 0);
    }

    private static Path realPath(Path absolute, int linksFollowed) {
        try {
            if (Files.exists(absolute)) {
                return absolute.toRealPath();
            }
            if (Files.isSymbolicLink(absolute)) {
                if (linksFollowed >= MAX_SYMBOLIC_LINKS) {
                    throw new FileSystemException(absolute.toString(), null, "too many levels of symbolic links");
                }
                return realPath(absolute.resolveSibling(Files.readSymbolicLink(absolute)), linksFollowed + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + absolute, e);
        }
        Path parent = absolute.getParent();
        if (parent == null) {
            return absolute;
        }
        // Below a missing directory nothing is a link, so the rest is plain names.
        return realPath(parent, linksFollowed).resolve(absolute.getFileName()).normalize();
    }

    @Override
    public int linkCount(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        try {
            return Files.getFileStore(path).supportsFileAttributeView("unix")
                    ? (Integer) Files.getAttribute(path, "unix:nlink")
                    : 1;
        } catch (IOException | UnsupportedOperationException e) {
            return 1; // a file system that cannot say has, as far as anyone can tell, one name
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

    /** One open file: positional reads and writes on a {@link FileChannel}. */
    private static final class LocalFile implements VfsFile {
        private final Path path;
        private final FileChannel channel;
        private final boolean readOnly;

        LocalFile(Path path, FileChannel channel, boolean readOnly) {
            this.path = path;
            this.channel = channel;
            this.readOnly = readOnly;
        }

        /** Refuses a change through a file opened by {@link #openReadOnly}, naming the file and the call. */
        private void checkWritable(String call) {
            if (readOnly) {
                throw new IllegalStateException("cannot " + call + " " + path + ": it was opened read-only");
            }
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            try {
                long at = position;
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, at);
                    if (n < 0) {
                        throw new EOFException(path + ": end of file at " + at + " with "
                                + dst.remaining() + " more bytes wanted (read from " + position + ")");
                    }
                    at += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }

        @Override
        public void write(long position, ByteBuffer src) {
            checkWritable("write");
            try {
                long at = position;
                while (src.hasRemaining()) {
                    at += channel.write(src, at);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + path, e);
            }
        }

        @Override
        public long size() {
            try {
                return channel.size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot size " + path, e);
            }
        }

        @Override
        public void truncate(long size) {
            checkWritable("truncate");
            try {
                channel.truncate(size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate " + path, e);
            }
        }

        @Override
        public void sync() {
            checkWritable("sync");
            try {
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync " + path, e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + path, e);
            }
        }
    }
}
