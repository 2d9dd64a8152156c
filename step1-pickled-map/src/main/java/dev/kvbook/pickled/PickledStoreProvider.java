package dev.kvbook.pickled;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/**
 * Registers step 1 as {@code "step1"} with {@link dev.kvbook.api.Stores}, through
 * {@code META-INF/services/dev.kvbook.api.StoreProvider}. The store's {@code path} is a file.
 */
public final class PickledStoreProvider implements StoreProvider {

    /** The store's name everywhere: CLI, benchmarks, stats, messages. */
    public static final String NAME = "step1";

    /** Public no-argument constructor, as {@link java.util.ServiceLoader} requires. */
    public PickledStoreProvider() {
    }

    /** Returns {@code "step1"}. */
    @Override
    public String name() {
        return NAME;
    }

    /** One line: the store and its idea. */
    @Override
    public String description() {
        return "pickled map: the whole map in memory, serialized to one file and replaced atomically on every write";
    }

    /** Opens the store in the file {@code path} on {@code vfs}, every write durable on return. O(file size). */
    @Override
    public KeyValueStore open(Path path, Vfs vfs) {
        return PickledMapStore.open(path, PickledMapStore.Options.defaults().withVfs(vfs));
    }

    /**
     * Checks the file without changing it, under the readers' lock (so it fails fast while a
     * writer has the store open, and works on read-only media): size, magic, version, both
     * checksums, flags, length, then deserializes the payload (key order and limits are checked
     * by the {@link Snapshot} constructor). Reports every problem found. O(file size).
     */
    @Override
    public VerifyReport verify(Path path, Vfs vfs) {
        return PickleInspector.verify(vfs.realPath(path), vfs); // the lock beside the real file
    }

    /**
     * Describes the file: the header fields with their offsets and values, the number of entries
     * and the first keys, as text and as a Mermaid flowchart. Takes no lock: the file is only ever
     * replaced whole, so a reader sees one complete version. Reads only, so it works on read-only
     * media. O(file size).
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return PickleInspector.inspect(path, vfs);
    }

    /**
     * Returns whether {@code path} is a file starting with the step-1 magic {@code "KVP1"}. Reads
     * 4 bytes. Never throws for what is not ours (a missing file, a directory, a short one); a file
     * it may not read throws "permission denied" ({@link Vfs#readHead}).
     */
    @Override
    public boolean recognizes(Path path, Vfs vfs) {
        return PickledFormat.hasMagic(vfs.readHead(path, Integer.BYTES));
    }
}
