package dev.kvbook.applog;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.List;

/**
 * Registers step 2 as {@code "step2"} with {@link dev.kvbook.api.Stores}, so the CLI, benchmarks
 * and notebooks can open, check and describe it by name. The path of a step-2 store is its log
 * file (the lock file {@code <file>.lock} sits beside it).
 */
public final class AppendLogStoreProvider implements StoreProvider {

    /** The name of step 2's maintenance operation in the shell and the notebooks. */
    public static final String COMPACT = "compact";


    @Override
    public String name() {
        return AppendLogStore.NAME;
    }

    @Override
    public String description() {
        return "append-only log: O(1) appends with tombstones and compaction, but every get scans the whole log";
    }

    /** Opens the log file {@code path} with {@link AppendLogStore.Options#defaults()} on {@code vfs}. */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return AppendLogStore.open(path, AppendLogStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Checks the header and every record's lengths and checksum, reporting each bad one, under the
     * readers' lock: it fails fast while a writer has the log open, and needs no write access.
     * O(file size).
     */
    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        return LogVerifier.verify(vfs.realPath(path), vfs); // the lock beside the real log
    }

    /**
     * Lists the header and the records (offset, type, key, value size, live or superseded), and
     * draws the log as a Mermaid diagram, with the first {@value Window#DEFAULT_LIMIT} items of
     * the structured model ({@link #inspect(Path, Vfs, Window)}). O(file size).
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * Describes the log as {@link #inspect(Path, Vfs)} does, with the structured model paged by
     * {@code window}. Reads only, without taking the lock, so it works on a store open in a
     * notebook or in {@code kv web} (a write in progress may then show as a torn tail) and on
     * read-only media. O(file size): three reads of the log (where it ends, which records are
     * live, the listing), O(live keys) memory, whatever the window.
     *
     * <p>What the model holds, for a learner: region {@code file}, the log. Its items are the
     * {@code header} ({@code file@0}) and then every record in the order it was appended, ids
     * {@code file@<offset>}: a {@code record} (a PUT) is {@code live} while it is the last record
     * of its key and {@code dead} once a later PUT or a tombstone of that key follows; a
     * {@code tombstone} is always {@code dead}, since compaction drops it together with what it
     * hides. So the dead items are exactly the garbage compaction reclaims (the model's facts
     * count its bytes). Bytes after the valid log are one {@code damaged} item, a torn tail or
     * corruption, also in {@code problems}. A {@code <file>.compact} left by an interrupted
     * compaction is a second region, {@code compact}, its records all {@code dead}.
     *
     * <p>The lookup shows step 2's one weakness: a get reads and checksums every record, keeping
     * the last one of its key, then reads that record again for the value. Its path lists the
     * records it read that are in the window plus every record of the key (all of them are in
     * the model); the note says how many it read in all.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        return LogInspector.inspect(path, vfs, window);
    }

    /**
     * Returns whether {@code path} is a file starting with the step-2 magic number. Never throws for
     * what is not ours; a file it may not read throws "permission denied" ({@link Vfs#readHead}).
     */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return LogFormat.hasMagic(vfs.readHead(path, Integer.BYTES));
    }

    /** The one maintenance operation of step 2: {@code compact}, its headline idea. */
    @Override
    public List<String> maintenanceOperations() {
        return List.of(COMPACT);
    }

    /** Runs {@code compact} on a step-2 log and says what it reclaimed. */
    @Override
    public String runMaintenance(KeyValueStore store, String name) {
        if (!COMPACT.equals(name) || !(store instanceof AppendLogStore log)) {
            return StoreProvider.super.runMaintenance(store, name);
        }
        long before = log.stats().bytesOnDisk();
        log.compact();
        long after = log.stats().bytesOnDisk();
        return "compacted: " + before + " -> " + after + " bytes on disk";
    }
}
