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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
     * of their path. {@code FileChannel.tryLock} is per process, and worse: on POSIX, closing
     * <em>any</em> channel on a file drops every lock the process holds on that file. So a second
     * handle must be refused here, before a channel is opened, with a clear
     * {@link StoreLockedException}; opening a channel and closing it after
     * {@link OverlappingFileLockException} would silently unlock the store that is open.
     */
    private final Set<Object> heldLocks = ConcurrentHashMap.newKeySet();

    private LocalVfs() {
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        OpenOption[] options = create
                ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE}
                : new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try {
            return new LocalFile(path, FileChannel.open(path, options));
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
    public Closeable lock(Path lockFile) {
        Path real = realPath(lockFile);
        Object identity = identityOf(createIfMissing(real));
        if (!heldLocks.add(identity)) {
            throw new StoreLockedException(lockFile); // no channel opened: ours stays locked
        }
        FileChannel channel = null;
        try {
            // Invariant: no other channel of this JVM holds a lock on this file (heldLocks), so
            // closing this one below, if the lock is refused, drops no lock of ours.
            channel = FileChannel.open(real, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreLockedException(lockFile); // another process holds it
            }
            FileChannel held = channel;
            return () -> {
                try {
                    held.close(); // closing the channel releases the lock
                } finally {
                    heldLocks.remove(identity);
                }
            };
        } catch (OverlappingFileLockException e) {
            // Code outside the Vfs locked this file in this JVM. Closing our channel would drop
            // that lock, so the channel is left open on purpose (a small leak beats an unlock).
            heldLocks.remove(identity);
            throw new StoreLockedException(lockFile);
        } catch (IOException | StoreLockedException e) {
            closeQuietly(channel);
            heldLocks.remove(identity);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock " + lockFile, io);
            }
            throw (StoreLockedException) e;
        }
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

        LocalFile(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
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
            try {
                channel.truncate(size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot truncate " + path, e);
            }
        }

        @Override
        public void sync() {
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
