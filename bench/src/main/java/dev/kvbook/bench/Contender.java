package dev.kvbook.bench;

import java.nio.file.Path;

/**
 * Something to benchmark: a kvbook step, a peer engine, or one of the machine's limits. It names
 * itself, says what it can do (read, scan in order), says honestly what each
 * {@link Durability} mode means for it, and opens an {@link Engine} in a directory.
 */
public interface Contender {

    /** Which group the contender belongs to, for tables and charts; MAP is a step through {@code PersistentMap}. */
    enum Kind { STEP, PEER, LIMIT, MAP }

    /** The short name used in parameters, the CSV and charts: {@code step1}, {@code rocksdb}, ... */
    String name();

    /** Which group this is. */
    Kind kind();

    /** Whether {@link Engine#get} works (the raw append loop cannot read). */
    default boolean readable() {
        return true;
    }

    /** Whether what was written is still there after close and open (false for the in-memory maps). */
    default boolean persistent() {
        return true;
    }

    /**
     * Whether the engine keeps its data and caches outside the Java heap (RocksDB, LMDB and SQLite
     * are C libraries): its heap per key says nothing about its memory, so tables print "native".
     */
    default boolean offHeap() {
        return false;
    }

    /** Whether {@link Engine#scan} works: the engine keeps its keys sorted. */
    boolean ordered();

    /** What {@code mode} means for this engine, in words, for the results page. */
    String durability(Durability mode);

    /** Opens (creating) the engine in {@code dir}, which exists and is empty or holds an earlier one. */
    Engine open(Path dir, Durability mode);
}
