package dev.kvbook.whiteboard;

import dev.kvbook.api.*;
import dev.kvbook.api.vfs.*;
import dev.kvbook.whiteboard.WhiteboardLog.Rec;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.*;

/**
 * Whiteboard step 6: a log-structured merge tree. A write goes to a log, fsynced before it returns (every
 * acknowledged write is durable), and to the memtable, a sorted map in memory where a delete is a tombstone
 * (null). A full memtable is flushed as a sorted run (an immutable file of its records in key order, written
 * whole, renamed into place) and the log emptied. A get asks the memtable, then the runs newest first; the first
 * answer wins, a tombstone meaning "absent"; a scan merges them all, newest winning. A compaction merges all into
 * one run without tombstones, then deletes the old runs oldest first, each delete durable before the next: a crash
 * leaves the newest old runs, holding every tombstone newer than their puts. Log and runs: {@link WhiteboardLog} files. One lock.
 *
 * <p>What the full step adds: Bloom filters, so a get skips tables without its key ({@code dev.kvbook.lsm.BloomFilter});
 * levels compacted a few tables at a time ({@code dev.kvbook.lsm.Compaction}); a manifest, each change of the table set
 * one atomic edit ({@code dev.kvbook.lsm.Manifest}); refusing a non-empty directory holding no store (no LocksAndPathsContract).
 */
public final class WhiteboardLsm implements OrderedKeyValueStore {

    private record Run(long id, VfsFile file, NavigableMap<byte[], Long> index) { } // index: key to record offset
    private final Vfs vfs;
    private final Path dir;
    private final long memtableBytes;
    private final Closeable lock;
    private final NavigableMap<byte[], byte[]> memtable = new TreeMap<>(Keys.COMPARATOR); // null: a tombstone
    private final TreeMap<Long, Run> runs = new TreeMap<>(); // by number: the highest is the newest
    private VfsFile log;
    private long logEnd; // Invariant: the log holds exactly the memtable's writes, fsynced, and ends here
    private boolean closed;

    public WhiteboardLsm(Vfs vfs, Path dir, long memtableBytes) { // flushes once the log passes memtableBytes
        this.vfs = vfs;
        this.dir = StorePaths.storeDirectory(vfs, dir);
        this.memtableBytes = memtableBytes;
        if (!vfs.exists(this.dir)) { vfs.createDirectories(this.dir); vfs.syncDirectory(this.dir.getParent()); }
        this.lock = vfs.lock(this.dir.resolve("LOCK"));
        try {
            for (Path p : vfs.list(this.dir)) // the runs: NNNNNN.run
                if (p.getFileName().toString().matches("\\d{6}\\.run")) loadRun(Long.parseLong(p.getFileName().toString().substring(0, 6)));
            log = WhiteboardLog.openLog(vfs, this.dir.resolve("log"));
            logEnd = WhiteboardLog.recover(log, this.dir.resolve("log"), r -> memtable.put(r.key(), r.value()));
        } catch (RuntimeException e) {
            runs.values().forEach(r -> r.file.close());
            if (log != null) log.close();
            Closeables.closeAfterFailure(lock, e);
            throw e;
        }
    }

    private Path runPath(long id) { return dir.resolve(String.format("%06d.run", id)); }
    private void loadRun(long id) { // its keys and offsets; a run is written whole: a bad record is damage
        Run run = new Run(id, WhiteboardLog.openLog(vfs, runPath(id)), new TreeMap<>(Keys.COMPARATOR));
        runs.put(id, run);
        long at = WhiteboardLog.MAGIC.length, size = run.file.size();
        for (Rec r; (r = WhiteboardLog.read(run.file, at, size)) != null; at = r.next()) run.index.put(r.key(), r.at());
        if (at != size) throw new CorruptionException(runPath(id), at, "record in a run", "a valid one", "damage");
    }

    @Override public synchronized byte[] get(byte[] key) {
        Limits.checkKey(key);
        if (live().containsKey(key)) return memtable.get(key) == null ? null : memtable.get(key).clone();
        for (Run run : runs.descendingMap().values()) // newest first: the first answer wins
            if (run.index.containsKey(key)) return value(run, run.index.get(key));
        return null;
    }

    private byte[] value(Run run, long at) { // null for a tombstone
        Rec r = WhiteboardLog.read(run.file, at, run.file.size());
        if (r == null) throw new CorruptionException(runPath(run.id), at, "record", "a valid one", "damage");
        return r.value();
    }

    @Override public synchronized void put(byte[] key, byte[] value) { write(Limits.checkKey(key).clone(), Limits.checkValue(value).clone()); }

    @Override public synchronized boolean delete(byte[] key) {
        if (get(key) == null) return false; // get checks the key and the store; an absent key needs no tombstone
        write(key.clone(), null);
        return true;
    }

    private void write(byte[] key, byte[] value) {
        live();
        long next = WhiteboardLog.append(log, logEnd, key, value);
        log.sync(); // durable before it is acknowledged
        logEnd = next;
        memtable.put(key, value);
        if (logEnd >= memtableBytes) flush();
    }

    public synchronized void flush() { // the memtable as the newest run, then empties it and its log
        if (live().isEmpty()) return;
        writeRun(runs.isEmpty() ? 1 : runs.lastKey() + 1, memtable); // durable before the log forgets
        log.truncate(WhiteboardLog.MAGIC.length);
        log.sync();
        logEnd = WhiteboardLog.MAGIC.length;
        memtable.clear();
    }

    public synchronized void compact() { // everything into one run, then deletes the others
        flush(); // the memtable too: then the one run left holds everything, and needs no tombstone
        NavigableMap<Long, Run> old = new TreeMap<>(runs);
        writeRun(runs.isEmpty() ? 1 : runs.lastKey() + 1, view(null, null));
        old.forEach((id, run) -> { run.file.close(); vfs.delete(runPath(id)); vfs.syncDirectory(dir); runs.remove(id); });
    }

    private void writeRun(long id, NavigableMap<byte[], byte[]> entries) { // in key order, atomically
        AtomicReplace.replace(vfs, runPath(id), dir.resolve(id + ".run.tmp"), out -> {
            long at = WhiteboardLog.MAGIC.length;
            out.write(0, ByteBuffer.wrap(WhiteboardLog.MAGIC));
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) at = WhiteboardLog.append(out, at, e.getKey(), e.getValue());
            return at;
        });
        loadRun(id); // reads it back: its index, and a check of what was written
    }

    private NavigableMap<byte[], byte[]> view(byte[] from, byte[] to) { // merge on read: oldest first, newer overwrite
        NavigableMap<byte[], byte[]> view = new TreeMap<>(Keys.COMPARATOR);
        for (Run run : runs.values()) Whiteboards.sub(run.index, from, to).forEach((k, at) -> view.put(k, value(run, at)));
        view.putAll(Whiteboards.sub(live(), from, to));
        view.values().removeIf(Objects::isNull); // tombstones: absent
        return view;
    }

    @Override public synchronized CloseableIterator<Entry> scan(byte[] from, byte[] to) {
        return Whiteboards.range(view(Limits.checkBound(from), Limits.checkBound(to)), null, null);
    }

    @Override public synchronized CloseableIterator<Entry> iterator() { return scan(null, null); }
    @Override public synchronized long size() { return view(null, null).size(); } // O(n): a whiteboard's way
    @Override public synchronized void sync() { live(); } // every write is fsynced in the log already

    @Override public synchronized StoreStats stats() {
        long bytes = logEnd + runs.values().stream().mapToLong(r -> r.file.size()).sum();
        return new StoreStats("whiteboard-lsm", size(), runs.size() + 1, bytes, 0, Map.of("runs", runs.size()));
    }

    @Override public synchronized void close() {
        if (!closed) { log.close(); runs.values().forEach(r -> r.file.close()); Closeables.closeUnchecked(lock, "LOCK in " + dir); }
        closed = true;
    }

    private NavigableMap<byte[], byte[]> live() { if (closed) throw new StoreClosedException("whiteboard LSM " + dir); return memtable; }
}
