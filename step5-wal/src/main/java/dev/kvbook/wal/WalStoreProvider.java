package dev.kvbook.wal;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.HeaderFormat;

import java.nio.file.Path;
import java.util.List;

/**
 * Registers step 5 as {@code "step5"} with {@link dev.kvbook.api.Stores}, through
 * {@code META-INF/services/dev.kvbook.api.StoreProvider}. The store's {@code path} is its data
 * file; the log is {@code <path>-wal} beside it.
 */
public final class WalStoreProvider implements StoreProvider {

    /** The store's name everywhere: CLI, benchmarks, stats, messages. */
    public static final String NAME = "step5";

    /** Public no-argument constructor, as {@link java.util.ServiceLoader} requires. */
    public WalStoreProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "write-ahead log under the step-4 B+tree: atomic, durable transactions with group commit,"
                + " readers never blocked, checkpoints, and recovery after any crash";
    }

    /** Opens the store in the file {@code path} on {@code vfs}: every commit durable on return. Recovers the log. */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return WalStore.open(path, WalStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Checks the log and the tree as seen through it ({@link WalChecker}), under the readers'
     * lock (so it fails fast while a writer has the store open, and needs no write access),
     * without changing anything. O(data file + log).
     */
    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        Path real = vfs.realPath(path); // the lock and the log beside the real file, as open puts them
        Path lockFile = real.resolveSibling(real.getFileName() + ".lock");
        if (!vfs.exists(real) && !vfs.exists(lockFile)) {
            return WalChecker.check(vfs, real); // neither store nor writer: no lock, and no lock file left behind
        }
        return vfs.withSharedLock(lockFile, () -> WalChecker.check(vfs, real));
    }

    /** Describes the data file, the log's commits and the tree ({@link WalInspector}). Takes no lock; reads only. */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * {@link #inspect(Path, Vfs)} with the structured model paged by {@code window}: header slots and
     * log header, the tree through the log, the log's frames and the WAL index, and a get's path
     * when the window names a key ({@link WalInspector}). Takes no lock; damage, or a file that
     * vanishes mid-read, gives problems, not an exception.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        return WalInspector.inspect(vfs, vfs.realPath(path), window); // the log lies beside the real file
    }

    /**
     * Whether {@code path} is a file whose header starts with {@code KVB+WTRE}. Reads at most 1 KiB.
     * Never throws for what is not ours; a file it may not read throws "permission denied"
     * ({@link Vfs#readHead}).
     */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return HeaderFormat.hasMagic(vfs.readHead(path, HeaderFormat.HEADER_AREA), DataFile.MAGIC);
    }

    /** Every commit is durable on return. */
    @Override
    public boolean durableOnEveryWrite() {
        return true;
    }

    /** {@code checkpoint}: copy the log into the data file now. */
    @Override
    public List<String> maintenanceOperations() {
        return List.of("checkpoint");
    }

    @Override
    public String runMaintenance(KeyValueStore store, String name) {
        if (!name.equals("checkpoint")) {
            return StoreProvider.super.runMaintenance(store, name);
        }
        WalStore wal = (WalStore) store;
        long walBytes = (long) wal.stats().detail("walBytes");
        boolean copied = wal.checkpoint();
        return copied ? "checkpoint: copied " + walBytes + " bytes of log into the data file and restarted the log"
                : "checkpoint: the log held no commits; nothing to copy";
    }
}
