package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real file system: {@link Vfs#local()}. A thin layer over {@link FileChannel} and
 * {@link Files}, the only place in kvbook's stores where {@code java.nio.file} is touched (with
 * {@link FileLocks}, which keeps its locks).
 */
final class LocalVfs implements Vfs {

    static final LocalVfs INSTANCE = new LocalVfs();

    /** How many symbolic links {@link #realPath} follows before giving up, as Linux's ELOOP limit. */
    private static final int MAX_SYMBOLIC_LINKS = 40;

    /** Windows cannot open a directory to fsync it; there, rename durability is the OS's. */
    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase().startsWith("windows");

    /** The lock files this JVM holds, and the rules for taking them. */
    private final FileLocks locks = new FileLocks();

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

    /** See {@link FileLocks#lock}: the writer's lock, on the lock file's identity. */
    @Override
    public Closeable lock(Path lockFile) {
        return locks.lock(realPath(lockFile), lockFile);
    }

    /** See {@link FileLocks#lockShared}: the readers' lock, through a read-only channel. */
    @Override
    public Closeable lockShared(Path lockFile) {
        return locks.lockShared(realPath(lockFile), lockFile);
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
        public void syncData() {
            checkWritable("sync");
            try {
                channel.force(false); // fdatasync(2) on Linux: data and size, not timestamps
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the data of " + path, e);
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
