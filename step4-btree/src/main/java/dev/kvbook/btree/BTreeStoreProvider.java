package dev.kvbook.btree;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/**
 * Registers step 4 as {@code "step4"} with {@link dev.kvbook.api.Stores}, through
 * {@code META-INF/services/dev.kvbook.api.StoreProvider}. The store's {@code path} is its file.
 */
public final class BTreeStoreProvider implements StoreProvider {

    /** The store's name everywhere: CLI, benchmarks, stats, messages. */
    public static final String NAME = "step4";

    /** Public no-argument constructor, as {@link java.util.ServiceLoader} requires. */
    public BTreeStoreProvider() {
    }

    /** Returns {@code "step4"}. */
    @Override
    public String name() {
        return NAME;
    }

    /** One line: the store and its idea. */
    @Override
    public String description() {
        return "B+tree: sorted pages in one file through a bounded buffer pool; O(log n) gets, puts and range scans,"
                + " updated in place (a crash mid-write is detected, not repaired)";
    }

    /** Opens the store in the file {@code path} on {@code vfs}, every write durable on return. O(1). */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return BTreeStore.open(path, BTreeStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Opens the file with {@link BTreeStore.Options#withOpenUncleanReadOnly}: a file that was not
     * closed cleanly opens read-only (writes throw, reads may meet half-written pages) instead of
     * being refused; a clean one opens as with {@link #open}. O(1).
     */
    @Override
    public KeyValueStore openUncleanReadOnly(Path path, Vfs vfs) {
        return BTreeStore.open(path, BTreeStore.Options.defaults().withVfs(vfs).withOpenUncleanReadOnly(true));
    }

    /**
     * Checks the file with the {@link TreeChecker}, under the readers' lock (so it fails fast
     * while a writer has the store open, and needs no write access), without changing it.
     * Reports every problem, including "not closed cleanly"; never throws for a damaged file.
     * O(file size).
     */
    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        Path absolute = vfs.realPath(path); // the lock beside the real file
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
        if (!vfs.exists(absolute) && !vfs.exists(lockFile)) {
            return TreeChecker.check(vfs, absolute); // neither store nor writer: no lock, and no lock file left behind
        }
        return vfs.withSharedLock(lockFile, () -> TreeChecker.check(vfs, absolute));
    }

    /**
     * Describes the file: both header slots, the tree level by level with each page's keys, the
     * free list, and a Mermaid flowchart of the tree (small trees in full, large ones with each
     * level past {@value TreeInspector#DRAWN_PER_LEVEL} pages summarized). Takes no lock, reads
     * only (read-only media will do), and also shows files that were not closed cleanly. O(file
     * size) at most.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * {@link #inspect(Path, Vfs)} with the structured model paged by {@code window}: header slots,
     * tree levels, overflow pages, free list, and a {@code get}'s path when the window names a key
     * ({@link TreeInspector}, {@link TreeModel}). Takes no lock; a file that is damaged, or that
     * vanishes mid-read, gives problems, not an exception. O(file size) at most.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        return TreeInspector.inspect(vfs, path.toAbsolutePath(), window);
    }

    /**
     * Returns whether {@code path} is a file whose header (either slot) starts with the magic
     * {@code KVB+TREE}. Reads at most 1 KiB. Never throws for what is not ours; a file it may not
     * read throws "permission denied" ({@link Vfs#readHead}).
     */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return HeaderFormat.hasMagic(vfs.readHead(path, HeaderFormat.HEADER_AREA));
    }
}
