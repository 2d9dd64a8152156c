package dev.kvbook.cli;

import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.CountingVfs;

import java.util.Map;

/**
 * What the tour measured on one store: the phases with their times and I/O, the reopen, the
 * heap, the store's own figures at the end, and the ratios a learner compares across stores.
 *
 * @param store        the store's name
 * @param description  its one-line description
 * @param keysAsked    the keys the tour was asked to load
 * @param phases       the workload's phases, with their times and I/O
 * @param wrongAnswers reads, deletes and checks after the reopen that did not give what the
 *                     workload wrote (always 0 for a correct store)
 * @param reopen       closing and reopening
 * @param stats        the store's figures after the reopen
 * @param own          the store's own figures before the close, and how they moved while reading back
 */
record TourFigures(String store, String description, long keysAsked, Phases phases, long wrongAnswers, Reopen reopen,
                   StoreStats stats, Own own) {

    /** The bytes a user asks to store per put: a 16-byte key and a 100-byte value. */
    static final int USER_BYTES_PER_PUT = TourKeys.KEY_SIZE + TourKeys.VALUE_SIZE;

    /**
     * One phase of the workload.
     *
     * @param name    "load", "read back", ...
     * @param planned the operations it was to run
     * @param done    the operations it ran (fewer when its time budget ran out)
     * @param nanos   how long they took
     * @param io      what the store asked of the disk meanwhile
     */
    record Phase(String name, long planned, long done, long nanos, CountingVfs.IoCounts io) {

        /** Whether the phase ran out of time before doing all it planned. */
        boolean stoppedEarly() {
            return done < planned;
        }
    }

    /**
     * The phases of the workload, in the order they ran.
     *
     * @param loaded      the load, and how it went as the store grew
     * @param read        reading keys back
     * @param overwrite   overwriting some keys
     * @param delete      deleting some keys
     * @param transaction new keys in one committed transaction; planned 0 when the store has no
     *                    transactions
     */
    record Phases(Loaded loaded, Phase read, Phase overwrite, Phase delete, Phase transaction) {
    }

    /**
     * The load phase.
     *
     * @param phase         its times and I/O
     * @param curve         its progress as the store grew
     * @param diskAfterLoad the store's bytes on disk when the load ended
     */
    record Loaded(Phase phase, LoadCurve curve, long diskAfterLoad) {
    }

    /**
     * Closing and reopening the store.
     *
     * @param closeNanos  how long close took
     * @param reopenNanos how long open took
     * @param io          what open asked of the disk
     * @param heapHeld    the heap the open store holds (measured around open, after full GCs; approximate)
     */
    record Reopen(long closeNanos, long reopenNanos, CountingVfs.IoCounts io, long heapHeld) {
    }

    /**
     * The store's own figures ({@link StoreStats#details()}) as the first open left them, which a
     * reopen starts afresh: what it did in the background of the workload (a step-6 store's flushes
     * and compactions) and what its gets cost inside it (tables probed, probes the Bloom filters saved).
     *
     * @param readBack how much each whole-number figure grew during the read-back phase
     * @param atClose  every figure just before the close
     */
    record Own(Map<String, Long> readBack, StoreStats atClose) {

        /** The whole-number figure {@code name} just before the close, or 0 when the store has none. */
        long atClose(String name) {
            return atClose.detail(name) instanceof Number n ? n.longValue() : 0;
        }

        /** How much {@code name} grew while reading back, or 0 when the store has no such figure. */
        long readBack(String name) {
            return readBack.getOrDefault(name, 0L);
        }
    }

    /** The load, and how it went as the store grew. */
    Loaded loaded() {
        return phases.loaded();
    }

    /** The load phase. */
    Phase load() {
        return loaded().phase();
    }

    /** The read-back phase. */
    Phase read() {
        return phases.read();
    }

    /** The transaction phase (planned 0 for a store without transactions). */
    Phase transaction() {
        return phases.transaction();
    }

    /** The keys the tour ran with: all those asked for, or those the load had time for. */
    long keys() {
        return load().done();
    }

    /** Whether the load ran out of time before loading every key asked for. */
    boolean loadStoppedEarly() {
        return load().stoppedEarly();
    }

    /** Bytes written per put during the load, averaged over the whole load. */
    double writtenPerPut() {
        return perOp(load().io().bytesWritten(), load().done());
    }

    /** Bytes written per byte the user asked to store: write amplification. */
    double writeAmplification() {
        return writtenPerPut() / USER_BYTES_PER_PUT;
    }

    /** File and directory syncs per put during the load. */
    double syncsPerPut() {
        return perOp(load().io().syncs(), load().done());
    }

    /** Bytes read from disk per get during the read-back. */
    double readPerGet() {
        return perOp(read().io().bytesRead(), read().done());
    }

    /** Read calls per get during the read-back: 1.0 when each get is one read. */
    double readsPerGet() {
        return perOp(read().io().reads(), read().done());
    }

    /** File and directory syncs per put in the committed transaction (0 without one). */
    double syncsPerTransactionPut() {
        return perOp(transaction().io().syncs(), transaction().done());
    }

    /** Garbage as a fraction of the bytes on disk at the end. */
    double garbageFraction() {
        return stats.bytesOnDisk() == 0 ? 0 : (double) stats.garbageBytes() / stats.bytesOnDisk();
    }

    private static double perOp(long amount, long ops) {
        return ops == 0 ? 0 : (double) amount / ops;
    }
}
