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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    /** Windows cannot open a directory to fsync it; there, rename durability is the OS's. */
    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase().startsWith("windows");

    /**
     * Lock files held by this JVM. {@code FileChannel.tryLock} is per process: a second handle in
     * the same JVM would get {@link OverlappingFileLockException} at best, so we keep our own set
     * and fail fast with a clear {@link StoreLockedException} instead.
     */
    private final Set<Path> heldLocks = ConcurrentHashMap.newKeySet();

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
        Path key = lockFile.toAbsolutePath().normalize();
        if (!heldLocks.add(key)) {
            throw new StoreLockedException(lockFile);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StoreLockedException(lockFile);
            }
            FileChannel held = channel;
            return () -> {
                try {
                    held.close(); // closing the channel releases the lock
                } finally {
                    heldLocks.remove(key);
                }
            };
        } catch (IOException | OverlappingFileLockException | StoreLockedException e) {
            closeQuietly(channel);
            heldLocks.remove(key);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock " + lockFile, io);
            }
            throw e instanceof StoreLockedException locked ? locked : new StoreLockedException(lockFile);
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
