package dev.kvbook.api.vfs;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Vfs} that passes every call through to another and counts what it does: bytes read
 * and written, read and write calls, and syncs, per file and in total.
 *
 * <p>This is how kvbook shows write amplification. A 100-byte {@code put} that makes the store
 * write 1.2 MB (step 1 rewriting its whole file) or 4 KiB (step 4 writing one page) shows up
 * here as {@code bytesWritten} divided by the bytes the user asked to store.
 *
 * <p>Counting costs a map lookup and a few atomic increments per call. Thread-safe.
 */
public final class CountingVfs implements Vfs {

    private final Vfs delegate;
    private final Map<Path, Counters> perFile = new ConcurrentHashMap<>();

    /** Counts the calls made to {@code delegate}. */
    public CountingVfs(Vfs delegate) {
        this.delegate = delegate;
    }

    /**
     * The figures for one file or directory, or for all of them together.
     *
     * @param bytesRead      bytes returned by reads
     * @param bytesWritten   bytes passed to writes
     * @param reads          read calls
     * @param writes         write calls
     * @param syncs          file syncs (fsync), data-only file syncs (fdatasync) and directory
     *                       syncs, together: each is one flush to the device and waits for it
     *                       (the bench, not this count, shows what one costs)
     * @param metadataOps    creates-by-open, renames, deletes and truncates
     */
    public record IoCounts(long bytesRead, long bytesWritten, long reads, long writes, long syncs,
                           long metadataOps) {

        /** No I/O at all. */
        public static final IoCounts ZERO = new IoCounts(0, 0, 0, 0, 0, 0);

        /** Adds two sets of figures. */
        public IoCounts plus(IoCounts other) {
            return new IoCounts(bytesRead + other.bytesRead, bytesWritten + other.bytesWritten,
                    reads + other.reads, writes + other.writes, syncs + other.syncs,
                    metadataOps + other.metadataOps);
        }

        /** The figures accumulated since {@code earlier} was taken. */
        public IoCounts minus(IoCounts earlier) {
            return new IoCounts(bytesRead - earlier.bytesRead, bytesWritten - earlier.bytesWritten,
                    reads - earlier.reads, writes - earlier.writes, syncs - earlier.syncs,
                    metadataOps - earlier.metadataOps);
        }
    }

    /** The totals over every file and directory since creation or the last {@link #reset()}. */
    public IoCounts total() {
        IoCounts sum = IoCounts.ZERO;
        for (Counters counters : perFile.values()) {
            sum = sum.plus(counters.snapshot());
        }
        return sum;
    }

    /** The figures per path, sorted by path. */
    public Map<Path, IoCounts> perFile() {
        Map<Path, IoCounts> result = new TreeMap<>();
        perFile.forEach((path, counters) -> result.put(path, counters.snapshot()));
        return result;
    }

    /**
     * Sets every figure back to zero. Files already open keep counting into the same counters,
     * so the counters are zeroed rather than dropped.
     */
    public void reset() {
        perFile.values().forEach(Counters::zero);
    }

    private Counters counters(Path path) {
        return perFile.computeIfAbsent(path, p -> new Counters());
    }

    @Override
    public VfsFile open(Path path, boolean create) {
        boolean created = create && !delegate.exists(path);
        VfsFile file = delegate.open(path, create);
        Counters counters = counters(path);
        if (created) {
            counters.metadataOps.incrementAndGet();
        }
        return new CountingFile(file, counters);
    }

    /** A file whose reads are counted; it cannot be written, so nothing else is. */
    @Override
    public VfsFile openReadOnly(Path path) {
        return new CountingFile(delegate.openReadOnly(path), counters(path));
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void delete(Path path) {
        delegate.delete(path);
        counters(path).metadataOps.incrementAndGet();
    }

    @Override
    public void rename(Path from, Path to) {
        delegate.rename(from, to);
        counters(to).metadataOps.incrementAndGet();
    }

    @Override
    public List<Path> list(Path dir) {
        return delegate.list(dir);
    }

    @Override
    public void createDirectories(Path dir) {
        delegate.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) {
        delegate.syncDirectory(dir);
        counters(dir).syncs.incrementAndGet();
    }

    @Override
    public Closeable lock(Path lockFile) {
        return delegate.lock(lockFile);
    }

    @Override
    public Closeable lockShared(Path lockFile) {
        return delegate.lockShared(lockFile);
    }

    @Override
    public Path realPath(Path path) {
        return delegate.realPath(path);
    }

    @Override
    public int linkCount(Path path) {
        return delegate.linkCount(path);
    }

    private static final class Counters {
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong bytesWritten = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong metadataOps = new AtomicLong();

        void zero() {
            for (AtomicLong counter : List.of(bytesRead, bytesWritten, reads, writes, syncs, metadataOps)) {
                counter.set(0);
            }
        }

        IoCounts snapshot() {
            return new IoCounts(bytesRead.get(), bytesWritten.get(), reads.get(), writes.get(),
                    syncs.get(), metadataOps.get());
        }
    }

    private static final class CountingFile implements VfsFile {
        private final VfsFile delegate;
        private final Counters counters;

        CountingFile(VfsFile delegate, Counters counters) {
            this.delegate = delegate;
            this.counters = counters;
        }

        @Override
        public void readFully(long position, ByteBuffer dst) {
            int wanted = dst.remaining();
            delegate.readFully(position, dst);
            counters.reads.incrementAndGet();
            counters.bytesRead.addAndGet(wanted);
        }

        @Override
        public void write(long position, ByteBuffer src) {
            int length = src.remaining();
            delegate.write(position, src);
            counters.writes.incrementAndGet();
            counters.bytesWritten.addAndGet(length);
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void truncate(long size) {
            delegate.truncate(size);
            counters.metadataOps.incrementAndGet();
        }

        @Override
        public void sync() {
            delegate.sync();
            counters.syncs.incrementAndGet();
        }

        /** Counted with {@link #sync()}: each is one flush to the device, which is what the count is for. */
        @Override
        public void syncData() {
            delegate.syncData();
            counters.syncs.incrementAndGet();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
