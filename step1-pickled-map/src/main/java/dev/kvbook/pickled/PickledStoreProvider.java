package dev.kvbook.pickled;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.inspect.Window;
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
     * and the first keys, as text and as a Mermaid flowchart, and the first
     * {@value Window#DEFAULT_LIMIT} items of the structured model ({@link #inspect(Path, Vfs, Window)}).
     * O(file size).
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs) {
        return inspect(path, vfs, Window.defaults());
    }

    /**
     * Describes the file as {@link #inspect(Path, Vfs)} does, with the structured model paged by
     * {@code window}. Takes no lock: the file is only ever replaced whole (a rename), so a reader
     * sees one complete version, even of a store another process holds open. Reads only, so it
     * works on read-only media. O(file size): the whole file is read and decoded to find its
     * entries, whatever the window.
     *
     * <p>What the model holds, for a learner: one region {@code file}, the whole store. Its items
     * are the {@code header} ({@code file@0}, 24 bytes, its fields by name) and then one
     * {@code record} per entry in key order, each {@code live} (step 1 keeps nothing else: a
     * rewrite drops old values). A record's id is {@code file@<offset>}, the offset of the key's
     * bytes inside the serialized payload, and its length the bytes the key takes there; the
     * value sits further on, in the payload's second array, and the record's fields say where
     * ({@code value at}, {@code value length}) and how big the value is ({@code value size}). So
     * the picture shows how the pickle splits an entry in two. A payload that cannot be decoded
     * is one {@code damaged} item ({@code file@24}), and every header or checksum problem is in
     * {@code problems}. The lookup of a key touches its one record, or nothing: a get is answered
     * from the map loaded into memory at open, never from the file.
     */
    @Override
    public Inspection inspect(Path path, Vfs vfs, Window window) {
        return PickleInspector.inspect(path, vfs, window);
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
