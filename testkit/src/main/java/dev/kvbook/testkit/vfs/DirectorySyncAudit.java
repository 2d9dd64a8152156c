package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Vfs} that passes every call to another and keeps a list of the names a store created
 * (a file opened with {@code create}, a directory, the target of a rename) that no later
 * {@link #syncDirectory} of their parent has made durable yet.
 *
 * <p>A created file's own fsync does not make its name durable: after a power loss the file can
 * be gone although its bytes were synced, because its directory entry never was. So once a store
 * has acknowledged a write, {@link #namesNotYetDurable()} must be empty. Names that were renamed
 * away or deleted again (a temporary file) do not count. Lock files are not listed: they are made
 * inside {@link Vfs#lock} and hold no data.
 *
 * <p>This checks the rule on the real disk, where a crash cannot be simulated; the crash
 * simulator checks the consequences. Thread-safe (one monitor).
 */
public final class DirectorySyncAudit extends ForwardingVfs {

    private final Set<Path> pending = new LinkedHashSet<>();

    /** Audits the calls made to {@code delegate}. */
    public DirectorySyncAudit(Vfs delegate) {
        super(delegate);
    }

    /** The names created since the audit began whose directory has not been fsynced since. */
    public synchronized List<Path> namesNotYetDurable() {
        return new ArrayList<>(pending);
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    @Override
    public synchronized VfsFile open(Path path, boolean create) {
        boolean created = create && !delegate.exists(path);
        VfsFile file = delegate.open(path, create);
        if (created) {
            pending.add(key(path));
        }
        return file;
    }

    /** Creates nothing, so there is nothing to audit. */
    @Override
    public synchronized void delete(Path path) {
        delegate.delete(path);
        pending.remove(key(path));
    }

    @Override
    public synchronized void rename(Path from, Path to) {
        delegate.rename(from, to);
        pending.remove(key(from));
        pending.add(key(to));
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = key(dir); p != null && !delegate.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        delegate.createDirectories(dir);
        pending.addAll(missing);
    }

    @Override
    public synchronized void syncDirectory(Path dir) {
        delegate.syncDirectory(dir);
        Path synced = key(dir);
        pending.removeIf(p -> synced.equals(p.getParent()));
    }

    // Every other call (read-only opens, lists, locks, real paths) is passed on unaudited.
}
