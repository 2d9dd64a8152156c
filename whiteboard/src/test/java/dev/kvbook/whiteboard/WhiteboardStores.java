package dev.kvbook.whiteboard;

import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;

import java.util.List;

/**
 * How the tests open each whiteboard with thresholds small enough that a few writes roll a segment
 * over, fill a memtable, or reach a checkpoint, and the maintenance operations each one has (mixed
 * into the model-based property, the crash workloads and the concurrency category).
 */
final class WhiteboardStores {

    static final Op MERGE = Op.maintenance("merge", s -> ((WhiteboardBitcask) s).merge());
    static final Op CHECKPOINT = Op.maintenance("checkpoint", s -> ((WhiteboardRedoLog) s).checkpoint());
    static final Op FLUSH = Op.maintenance("flush", s -> ((WhiteboardLsm) s).flush());
    static final Op COMPACT = Op.maintenance("compact", s -> ((WhiteboardLsm) s).compact());

    private WhiteboardStores() {
    }

    /** Opens the whiteboard {@code name} at {@code home/<its file name>} with tiny thresholds. */
    static StoreOpener small(String name) {
        String file = Whiteboards.find(name).orElseThrow().fileName();
        return switch (name) {
            case "WhiteboardBitcask" -> (vfs, home) -> new WhiteboardBitcask(vfs, home.resolve(file), 200);
            case "WhiteboardBTree" -> (vfs, home) -> new WhiteboardBTree(vfs, home.resolve(file), 3);
            case "WhiteboardRedoLog" -> (vfs, home) -> new WhiteboardRedoLog(vfs, home.resolve(file), 300);
            case "WhiteboardLsm" -> (vfs, home) -> new WhiteboardLsm(vfs, home.resolve(file), 200);
            default -> (vfs, home) -> Whiteboards.find(name).orElseThrow().open(vfs, home.resolve(file));
        };
    }

    /** The opener the crash tests use: {@link #small}. */
    static StoreOpener crashOpener(String name) {
        return small(name);
    }

    /** The whiteboard's maintenance operations, which leave its data as it is. */
    static List<Op> maintenance(String name) {
        return switch (name) {
            case "WhiteboardBitcask" -> List.of(MERGE);
            case "WhiteboardRedoLog" -> List.of(CHECKPOINT);
            case "WhiteboardLsm" -> List.of(FLUSH, COMPACT);
            default -> List.of();
        };
    }
}
