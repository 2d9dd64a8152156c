package dev.kvbook.testkit;

import dev.kvbook.api.StoreLockedException;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How kvbook locked before issue 16, kept as a flaw for the self-test: held locks keyed by the
 * path as given ({@code toAbsolutePath().normalize()}, which follows no symbolic link), so a
 * second spelling of a locked file reaches {@code tryLock}, gets
 * {@link OverlappingFileLockException}, and closing its channel drops the first handle's lock.
 */
final class PathKeyedLocks {

    private static final java.util.Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private PathKeyedLocks() {
    }

    static Closeable lock(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
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
                    held.close();
                } finally {
                    HELD.remove(key);
                }
            };
        } catch (IOException | OverlappingFileLockException | StoreLockedException e) {
            if (channel != null) {
                try {
                    channel.close(); // the flaw: this drops the lock another channel holds
                } catch (IOException ignored) {
                    // the lock error is the one to report
                }
            }
            HELD.remove(key);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e instanceof StoreLockedException locked ? locked : new StoreLockedException(lockFile);
        }
    }
}
