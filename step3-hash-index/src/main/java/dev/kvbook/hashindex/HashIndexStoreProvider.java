package dev.kvbook.hashindex;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Item;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.applog.LogFormat;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;

/**
 * Registers step 3 as {@code "step3"} with {@link dev.kvbook.api.Stores}. The path of a step-3
 * store is its directory ({@link SegmentFormat}).
 */
public final class HashIndexStoreProvider implements StoreProvider {

    private static final String MERGE = "merge";

    @Override
    public String name() {
        return HashIndexStore.NAME;
    }

    @Override
    public String description() {
        return "hash index (Bitcask): an in-memory keydir over log segments; O(1) get and put, every key in RAM";
    }

    /** Opens the store directory {@code path} with {@link HashIndexStore.Options#defaults()} on {@code vfs}. */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return HashIndexStore.open(path, HashIndexStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Takes the readers' lock (so it fails fast while a writer has the store open, and needs no
     * write access), then checks every segment header and record checksum, every hint file
     * (header, checksums, and each entry against its record), reporting every problem. O(bytes).
     */
    @Override
    public VerifyReport verify(Path given, Vfs vfs) {
        Path path = vfs.realPath(given);
        Path lockFile = path.resolve(SegmentFormat.LOCK);
        if (!vfs.exists(lockFile) && vfs.list(path).stream().noneMatch(file -> SegmentFormat.dataId(file).isPresent())) {
            // Neither a store (no directory, or no segment in it) nor a writer's lock file: nothing
            // to lock against, and the lock would leave a LOCK file in a directory that is no store.
            return Survey.of(vfs, path).report();
        }
        return vfs.withSharedLock(lockFile, () -> Survey.of(vfs, path).report());
    }

    /**
     * Lists the segments (size, records, live and garbage bytes, hint status) and draws the
     * keydir pointing into them, with the first {@value Window#DEFAULT_LIMIT} items of each
     * region of the structured model ({@link #inspect(Path, Vfs, Window)}). O(bytes).
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * Describes the store as {@link #inspect(Path, Vfs)} does, with the structured model paged by
     * {@code window}. Reads only (read-only media will do), without the lock, so it also works on
     * a store open in a notebook or in {@code kv web}. Each segment is read once, as verify reads
     * it; the keydir is rebuilt from the scans in memory (O(live keys)), and only the records in
     * the window are kept (O(window) more).
     *
     * <p>What the model holds, for a learner. First region {@code keydir}: one
     * {@code keydir-entry} per live key, in key order (the real keydir is a hash table with no
     * order; sorting makes a page of it readable), id {@link Item#keyId} ({@code key:<hex>}),
     * fields segment, offset and size, and a {@code points-to} link to the record it locates.
     * Then one region {@code segment} per segment file ({@code seg:<n>}), oldest first, the
     * active segment (the one appended to) last; facts: file name, bytes, records, live and dead
     * counts, live and garbage bytes, hint file status. Its items are its records by offset, ids
     * {@code seg:<n>@<offset>}: a {@code record} (PUT) is {@code live} when the keydir points at
     * it, else {@code dead}; a {@code tombstone} is always {@code dead}, since a merge drops it
     * with the records it hides. Dead items are what a merge reclaims. Bytes after a segment's
     * valid records are a {@code damaged} item (a torn tail of the active segment, which open
     * truncates, is not in {@code problems}; damage is).
     *
     * <p>The lookup shows step 3's one idea: a get touches the key's keydir slot and then reads
     * exactly one record, the one it points at, found or not without a scan; a key not in the
     * keydir touches nothing on disk.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        return Survey.of(vfs, path, window).inspection();
    }

    /**
     * Returns whether {@code path} is a directory with a segment file starting with the log magic.
     * Never throws for what is no step-3 store; throws "permission denied" for a directory it may
     * not list or a segment it may not read, since then it cannot tell.
     */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        try {
            for (Path file : vfs.list(path)) {
                if (SegmentFormat.dataId(file).isPresent()) {
                    return LogFormat.hasMagic(vfs.readHead(file, Integer.BYTES));
                }
            }
            return false;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw e; // "cannot read" is not "not a step-3 store"
            }
            return false; // a file, or a directory that vanished meanwhile: not a step-3 store as far as we can tell
        }
    }


    @Override
    public List<String> maintenanceOperations() {
        return List.of(MERGE);
    }

    /** Runs {@code merge} on a step-3 store and says what it reclaimed. */
    @Override
    public String runMaintenance(KeyValueStore store, String name) {
        if (!MERGE.equals(name) || !(store instanceof HashIndexStore hashIndex)) {
            return StoreProvider.super.runMaintenance(store, name);
        }
        long before = hashIndex.stats().bytesOnDisk();
        hashIndex.merge();
        long after = hashIndex.stats().bytesOnDisk();
        return "merged: " + before + " -> " + after + " bytes on disk";
    }
}
