package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.lsm.LsmStore;

import java.nio.file.Path;

/**
 * How the tour opens each store: through its provider, with the store's defaults, except step 6,
 * which it opens as a scale model of itself.
 *
 * <p>Why step 6 is scaled: its defaults are sized for real data (a 4 MiB memtable, 2 MiB tables,
 * level 1 at 10 MiB). The tour's 5,000 puts of 116 bytes are about 580 KB, which would all fit in
 * one memtable: the store would never flush, never compact, and the tour would show a log and
 * nothing of the idea. So the tour divides every size by {@value #SCALE} (a 64 KiB memtable, 32 KiB
 * tables, level 1 at 160 KiB), keeping the block size (a block is what one read fetches) and the
 * Bloom filter's bits per key. The tour then sees a dozen flushes and compactions down to level 2,
 * as a store sixty-four times larger would with the defaults.
 *
 * <p>Why on the writer's thread: by default a background thread flushes and compacts while the
 * writer goes on, so how much of that work lands inside the load phase depends on the timing of
 * two threads. The tour's counts must be the same on every run (the book quotes them), so here the
 * writer that fills the memtable flushes it, and compacts, before its put returns. The work done
 * is the same; only who waits for it differs.
 */
final class TourStores {

    /** What every size of step 6's defaults is divided by. */
    static final int SCALE = 64;

    private TourStores() {
    }

    /** Opens the store {@code provider} makes at {@code path} on {@code vfs}, as the tour uses it. */
    static KeyValueStore open(StoreProvider provider, Path path, Vfs vfs) {
        if (!provider.name().equals(LsmStore.NAME)) {
            return provider.open(path, vfs);
        }
        return LsmStore.open(path, scaledLsmOptions(vfs));
    }

    /** Step 6's defaults with every size but the block's divided by {@link #SCALE}, flushing on the writer's thread. */
    static LsmStore.Options scaledLsmOptions(Vfs vfs) {
        LsmStore.Options d = LsmStore.Options.defaults();
        return d.withVfs(vfs)
                .withMemtableBytes(d.memtableBytes() / SCALE)
                .withTableBytes(d.tableBytes() / SCALE)
                .withLevels(d.levelBaseBytes() / SCALE, d.levelSizeRatio())
                .withManifestRewriteBytes(d.manifestRewriteBytes() / SCALE)
                .withBackgroundCompaction(false);
    }

    /** A line for the tour's header when step 6 is among {@code stores}, or null. */
    static String note(java.util.List<StoreProvider> stores) {
        if (stores.stream().noneMatch(p -> p.name().equals(LsmStore.NAME))) {
            return null;
        }
        return LsmStore.NAME + " runs as a 1/" + SCALE + " scale model (a " + scaledLsmOptions(Vfs.local()).memtableBytes() / 1024
                + " KiB memtable) so that these few keys flush and compact, and it flushes and compacts "
                + "on the writer's thread, not in the background, so that its counts repeat from run to run.";
    }
}
