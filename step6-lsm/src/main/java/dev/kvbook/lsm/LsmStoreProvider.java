package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Registers step 6 as {@code "step6"} with {@link dev.kvbook.api.Stores}. The path of a step-6
 * store is its directory ({@link StoreFiles}).
 */
public final class LsmStoreProvider implements StoreProvider {

    private static final String FLUSH = "flush";
    private static final String COMPACT = "compact";

    /** Public no-argument constructor, as {@link java.util.ServiceLoader} requires. */
    public LsmStoreProvider() {
    }

    @Override
    public String name() {
        return LsmStore.NAME;
    }

    @Override
    public String description() {
        return "log-structured merge tree: a log and a sorted memtable, flushed to sorted tables with Bloom filters,"
                + " merged level by level; O(1) puts, reads that probe a few tables";
    }

    /** Opens the store directory {@code path} with {@link LsmStore.Options#defaults()} on {@code vfs}. */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return LsmStore.open(path, LsmStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Under the readers' lock, checks CURRENT, the manifest, every table (block CRCs, key order,
     * Bloom filter against every key, key range against the manifest, levels disjoint) and the
     * live logs, reporting every problem. O(bytes).
     */
    @Override
    public VerifyReport verify(Path given, Vfs vfs) {
        Path dir = vfs.realPath(given);
        Path lockFile = dir.resolve(StoreFiles.LOCK);
        if (!vfs.exists(lockFile) && !vfs.exists(dir.resolve(StoreFiles.CURRENT))) {
            return Survey.of(vfs, dir).report(); // no store and no writer: no lock file left behind
        }
        return vfs.withSharedLock(lockFile, () -> Survey.of(vfs, dir).report());
    }

    /** Lists the levels and their tables (sizes, cells, key ranges), the logs and the manifest; draws the levels. */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * {@link #inspect(Path, Vfs)} with the structured model paged by {@code window}: the manifest,
     * the live log's records and the memtable they make, each level's tables, and a get's path when
     * the window names a key ({@link LsmModel}). Takes no lock, so it may run beside a store that
     * compacts in the background: a table that vanishes mid-read becomes a problem, never an
     * exception (try again to see the new version). O(bytes of the store).
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        Path dir = vfs.realPath(path);
        try {
            return Survey.of(vfs, dir, window.lookupKey()).inspection(window);
        } catch (UncheckedIOException | CorruptionException e) {
            // The directory changed under us (a file listed, then gone): report, do not crash.
            String why = dir + ": changed while being read (" + e.getMessage() + "); inspect again";
            StoreModel model = StoreModel.builder(LsmStore.NAME, dir.toString()).problem(why).build();
            return new Inspection(LsmStore.NAME, dir, "not readable: " + why, "flowchart TB\n  bad[\"changed while read\"]\n", model);
        }
    }

    /** Whether {@code path} is a directory with a CURRENT file starting with the magic "KVCU". */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        byte[] head = vfs.readHead(path.resolve(StoreFiles.CURRENT), Integer.BYTES);
        return head.length == Integer.BYTES && ByteBuffer.wrap(head).getInt() == ManifestFormat.CURRENT_MAGIC;
    }

    @Override
    public List<String> maintenanceOperations() {
        return List.of(FLUSH, COMPACT);
    }

    /** Runs {@code flush} or {@code compact} and says what the levels look like afterwards. */
    @Override
    public String runMaintenance(KeyValueStore store, String name) {
        if (!(store instanceof LsmStore lsm) || !(FLUSH.equals(name) || COMPACT.equals(name))) {
            return StoreProvider.super.runMaintenance(store, name);
        }
        if (FLUSH.equals(name)) {
            lsm.flush();
        } else {
            lsm.compact();
        }
        return name + "ed: " + lsm.stats().detail("levels");
    }
}
