package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Vfs} that passes calls to another and makes one of them fail, the way a real disk
 * fails: an I/O error on the Nth call, or a full disk from the Nth call on.
 *
 * <p>Every call counts, reads included (a disk can fail a read too), except {@code exists},
 * {@code list}, {@code realPath} and {@code linkCount}, which stores use only to decide what to open. {@link #calls()} tells how many
 * a workload makes, so a driver can fail each of them in turn.
 */
public final class FaultyVfs implements Vfs {

    /** How the chosen call fails. */
    public enum Mode {
        /** The Nth call throws an I/O error; later calls work again (a transient fault). */
        FAIL_ONCE,
        /** From the Nth call on, every write, create, truncate, sync and rename fails with "No space left on device". */
        DISK_FULL
    }

    private final Vfs delegate;
    private long calls;
    private long failAt = -1;
    private Mode mode = Mode.FAIL_ONCE;
    private final List<String> log = new ArrayList<>();
    private String failedCall;

    /** Passes every call to {@code delegate} until told to fail. */
    public FaultyVfs(Vfs delegate) {
        this.delegate = delegate;
    }

    /** Makes the {@code n}th counted call from now fail in the given way. Returns this. */
    public synchronized FaultyVfs failAt(long n, Mode how) {
        failAt = calls + n;
        mode = how;
        return this;
    }

    /** Counted calls so far. */
    public synchronized long calls() {
        return calls;
    }

    /** The counted calls so far, described. */
    public synchronized List<String> callLog() {
        return List.copyOf(log);
    }

    /** The call that was made to fail, or {@code null} when none has yet. */
    public synchronized String failedCall() {
        return failedCall;
    }

    /** Counts a call and throws if it is the one to fail. */
    private synchronized void call(String description, boolean mutating) {
        calls++;
        log.add(description);
        boolean fail = mode == Mode.FAIL_ONCE ? calls == failAt : failAt > 0 && calls >= failAt && mutating;
        if (fail) {
            if (failedCall == null) {
                failedCall = description;
            }
            String why = mode == Mode.DISK_FULL ? "No space left on device" : "Input/output error (injected)";
            throw new UncheckedIOException(description + " failed", new IOException(why));
        }
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        call("open " + path.getFileName() + (create ? " (create)" : ""), create && !delegate.exists(path));
        return new FaultyFile(path, delegate.open(path, create));
    }

    /** Counted, as a read is: a disk can fail to open a file for reading too. */
    @Override
    public VfsFile openReadOnly(Path path) {
        call("open " + path.getFileName() + " (read-only)", false);
        return new FaultyFile(path, delegate.openReadOnly(path));
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void delete(Path path) {
        call("delete " + path.getFileName(), false); // deleting frees space, even on a full disk
        delegate.delete(path);
    }

    @Override
    public void rename(Path from, Path to) {
        call("rename " + from.getFileName() + " -> " + to.getFileName(), true);
        delegate.rename(from, to);
    }

    @Override
    public List<Path> list(Path dir) {
        return delegate.list(dir);
    }

    @Override
    public void createDirectories(Path dir) {
        call("createDirectories " + dir, true);
        delegate.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) {
        call("syncDirectory " + dir, true);
        delegate.syncDirectory(dir);
    }

    @Override
    public Closeable lock(Path lockFile) {
        call("lock " + lockFile.getFileName(), false);
        return delegate.lock(lockFile);
    }

    /** Counted, as {@link #lock} is; fails as an I/O error would, not as a held lock. */
    @Override
    public Closeable lockShared(Path lockFile) {
        call("lock shared " + lockFile.getFileName(), false);
        return delegate.lockShared(lockFile);
    }

    /** Not counted: like {@code exists}, it only decides what to open. */
    @Override
    public Path realPath(Path path) {
        return delegate.realPath(path);
    }

    /** Not counted: like {@code exists}, it only decides what to open. */
    @Override
    public int linkCount(Path path) {
        return delegate.linkCount(path);
    }

    private final class FaultyFile implements VfsFile {
        private final Path path;
        private final VfsFile file;

        FaultyFile(Path path, VfsFile file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            call("read " + path.getFileName() + " @" + position + " +" + dst.remaining(), false);
            file.readFully(position, dst);
        }

        @Override
        public void write(long position, ByteBuffer src) {
            call("write " + path.getFileName() + " @" + position + " +" + src.remaining(), true);
            file.write(position, src);
        }

        @Override
        public long size() {
            call("size " + path.getFileName(), false);
            return file.size();
        }

        @Override
        public void truncate(long size) {
            call("truncate " + path.getFileName() + " to " + size, false);
            file.truncate(size);
        }

        @Override
        public void sync() {
            call("sync " + path.getFileName(), true);
            file.sync();
        }

        /** A data-only sync is a call of its own: it can fail (EIO, a full disk) like {@link #sync()}. */
        @Override
        public void syncData() {
            call("syncData " + path.getFileName(), true);
            file.syncData();
        }

        @Override
        public void close() {
            file.close(); // closing is never made to fail: it would only hide the interesting faults
        }
    }
}
