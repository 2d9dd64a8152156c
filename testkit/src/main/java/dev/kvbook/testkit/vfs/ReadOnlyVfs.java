package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Vfs} over another that behaves as read-only media: a read-only mount, a backup
 * snapshot, a CD. Reads work; every call that would change something fails as the kernel fails
 * it there ({@code EROFS}, which Java reports as a {@link FileSystemException} "Read-only file
 * system"): opening for writing, creating, deleting, renaming, creating a directory, syncing a
 * directory, and the writer's {@link #lock}, which needs its lock file open for writing.
 *
 * <p>Why simulate it: a test cannot mount a file system, and chmod is no substitute, because a
 * test run as root may write anywhere. A store's checker and inspector must work here
 * ({@code kv verify} on a backup), and must not even try to change anything: every refused call
 * is recorded in {@link #refusedCalls()}, so a test can say "the reader tried nothing".
 *
 * <p>{@link #lockShared} does what {@link Vfs#local()} does on read-only media: an existing lock
 * file is locked through a read-only channel as usual (so a writer reaching the same files through
 * another Vfs is still kept out); a missing one cannot be created, so no writer can hold it, and
 * the reader goes ahead with a handle that holds nothing. Thread-safe.
 */
public final class ReadOnlyVfs extends ForwardingVfs {

    /** What the kernel says when a read-only file system is asked for a change. */
    public static final String REASON = "Read-only file system";

    private final List<String> refused = new ArrayList<>();

    /** The files of {@code delegate}, as if mounted read-only. */
    public ReadOnlyVfs(Vfs delegate) {
        super(delegate);
    }

    /** Every call refused so far, described: empty when nobody tried to change anything. */
    public synchronized List<String> refusedCalls() {
        return List.copyOf(refused);
    }

    private synchronized UncheckedIOException refuse(String call, Path path) {
        refused.add(call + " " + path);
        return new UncheckedIOException("cannot " + call + " " + path,
                new FileSystemException(path.toString(), null, REASON));
    }

    /** Refused: opening for writing fails on read-only media even when the file exists. */
    @Override
    public VfsFile open(Path path, boolean create) {
        throw refuse(create && !delegate.exists(path) ? "create" : "open for writing", path);
    }

    @Override
    public void delete(Path path) {
        if (delegate.exists(path)) {
            throw refuse("delete", path);
        }
    }

    @Override
    public void rename(Path from, Path to) {
        throw refuse("rename to " + to + ":", from);
    }

    /** Refused when it would create a directory; an existing one is no change. */
    @Override
    public void createDirectories(Path dir) {
        if (!delegate.exists(dir)) {
            throw refuse("create directory", dir);
        }
    }

    @Override
    public void syncDirectory(Path dir) {
        throw refuse("sync directory", dir);
    }

    /** Refused: the writer's lock needs its lock file open for writing (and created if missing). */
    @Override
    public Closeable lock(Path lockFile) {
        throw refuse("lock for writing", lockFile);
    }

    /** The readers' lock, by the read-only-media rule of {@link Vfs#lockShared}. */
    @Override
    public Closeable lockShared(Path lockFile) {
        if (!delegate.exists(lockFile)) {
            return () -> { }; // it cannot be created here, so no writer can hold it
        }
        return delegate.lockShared(lockFile);
    }
}
