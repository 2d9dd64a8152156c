package dev.kvbook.whiteboard;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.zip.CRC32C;

/**
 * The whiteboard editions: each step's one idea as the store a strong candidate could write in an
 * interview, in one file of at most 150 lines, run through the same contract, concurrency and
 * crash suites as the steps. They are not {@link dev.kvbook.api.StoreProvider}s: the names
 * {@code step1} ... {@code step6} stay the steps'. The tour and the tests find them here.
 *
 * <p>Besides the list, the small helpers a candidate would wave at on a whiteboard ("assume a CRC,
 * and a sorted map's sub-range"), so that the files can spend their lines on the idea. The bigger
 * shared pieces are shared as the steps share them: the Bitcask, redo log and LSM write
 * {@link WhiteboardLog}'s records, the B+tree and the redo log's checkpoints {@link WhiteboardPickle}'s file.
 */
public final class Whiteboards {

    /**
     * One whiteboard edition.
     *
     * @param name      the class's short name, such as {@code "WhiteboardLog"}
     * @param idea      the one idea, in a line
     * @param abridges  the step it abridges, such as {@code "step2"}
     * @param fileName  the name its tests and the tour give its path (a file or a directory)
     * @param durableOnEveryWrite whether each write is durable when it returns (else at sync and close)
     * @param opener    opens it at a path, as {@code Stores.open} opens a step
     */
    public record Whiteboard(String name, String idea, String abridges, String fileName, boolean durableOnEveryWrite,
                             BiFunction<Vfs, Path, KeyValueStore> opener) {

        /** Opens this whiteboard's store at {@code path} on {@code vfs}. */
        public KeyValueStore open(Vfs vfs, Path path) {
            return opener.apply(vfs, path);
        }
    }

    private static final List<Whiteboard> ALL = List.of(
            new Whiteboard("WhiteboardPickle", "the whole map in one file, replaced atomically on every write",
                    "step1", "pickle.db", true, WhiteboardPickle::new),
            new Whiteboard("WhiteboardLog", "an append-only log with tombstones, cut at a torn tail on open",
                    "step2", "log.db", true, WhiteboardLog::new),
            new Whiteboard("WhiteboardBitcask", "a hash keydir over log segments, with rollover and merge",
                    "step3", "bitcask", true, (vfs, dir) -> new WhiteboardBitcask(vfs, dir, 1 << 20)),
            new Whiteboard("WhiteboardBTree", "an in-memory B+tree with splits and merges, saved whole at sync and close",
                    "step4", "btree.db", false, (vfs, path) -> new WhiteboardBTree(vfs, path, 32)),
            new Whiteboard("WhiteboardRedoLog", "a redo log replayed over an in-memory map, checkpointed and truncated",
                    "step5", "redo.db", true, (vfs, path) -> new WhiteboardRedoLog(vfs, path, 1 << 20)),
            new Whiteboard("WhiteboardLsm", "a memtable, immutable sorted runs, merge on read, and compaction",
                    "step6", "lsm", true, (vfs, dir) -> new WhiteboardLsm(vfs, dir, 1 << 20)));

    private Whiteboards() {
    }

    /** Every whiteboard edition, in step order. */
    public static List<Whiteboard> all() {
        return ALL;
    }

    /** The whiteboard called {@code name} ({@code "WhiteboardLog"}), if there is one. */
    public static Optional<Whiteboard> find(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** The CRC32C of {@code length} bytes of {@code bytes} from {@code offset}, as an int. O(length). */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** The entries of {@code map} with keys in {@code [from, to)} (null: unbounded), copied. O(range). */
    static CloseableIterator<Entry> range(NavigableMap<byte[], byte[]> map, byte[] from, byte[] to) {
        return CloseableIterator.of(sub(map, from, to).entrySet().stream()
                .map(e -> new Entry(e.getKey().clone(), e.getValue().clone())).toList().iterator());
    }

    /** The part of {@code map} with keys in {@code [from, to)} (null: unbounded): a view, empty when from >= to. O(1). */
    static <V> NavigableMap<byte[], V> sub(NavigableMap<byte[], V> map, byte[] from, byte[] to) {
        if (from != null && to != null && Keys.COMPARATOR.compare(from, to) >= 0) {
            return Collections.emptyNavigableMap();
        }
        NavigableMap<byte[], V> part = from == null ? map : map.tailMap(from, true);
        return to == null ? part : part.headMap(to, false);
    }
}
