package dev.kvbook.bench;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The LSM load table of issue #24: what loading N keys costs in bytes, for the stores that write
 * whole files (steps 3 to 6) and for RocksDB, the LSM tree step 6 is measured against.
 *
 * <h2>The protocol, the same for every store</h2>
 * Open an empty store; put keys 0 to N-1 ({@link BenchKeys}: 16-byte keys in scrambled order,
 * 100-byte values) without an fsync per put; then <b>settle</b>: sync, and for an LSM tree also
 * flush the memtable into a table, so that every key has made the whole trip a byte makes (log,
 * table, the compactions its own scheduler chose); then close. Every byte written from the open to
 * the end of the close counts.
 *
 * <h2>How the bytes are counted</h2>
 * Two counts per row, so that no store is judged only by a method the others do not share:
 * <ul>
 * <li>{@code bytes_written}, the store's own count. For the steps, {@link CountingVfs}: every byte
 *     each write call handed to the file system (logs, tables, manifests, pages, hint files). For
 *     RocksDB, its own {@link Statistics}: {@code WAL_FILE_BYTES + FLUSH_WRITE_BYTES +
 *     COMPACT_WRITE_BYTES}, the bytes it wrote to its log, flushed to tables and wrote in
 *     compactions (its MANIFEST, OPTIONS and info LOG are not in these tickers).</li>
 * <li>{@code os_bytes_written}, the same method for everyone: this process's {@code wchar} in
 *     {@code /proc/self/io} (bytes passed to write system calls) from before the open to after the
 *     close. It includes everything a store writes, RocksDB's MANIFEST and info LOG too, and
 *     anything else the process wrote meanwhile (nothing, by design: the load prints nothing).</li>
 * </ul>
 * Write amplification is bytes written over the user's bytes ({@code N × 116}); disk bytes per key
 * is the size of every file in the store's directory after the close, over N.
 *
 * <h2>RocksDB twice</h2>
 * {@code rocksdb} is RocksDB with its defaults, as in every other workload: a 64 MiB memtable,
 * so at these N it flushes a few times and barely compacts, and Snappy compression of its tables,
 * which shrinks the bench's values (letters in a repeating pattern) to a fraction of their size.
 * {@code rocksdb-step6-shape} gives it step 6's shape (a 4 MiB memtable, 2 MiB tables, 10 MiB at
 * level 1, a ratio of 10, no compression), so its tree is as deep as step 6's, its bytes as many,
 * and the two write amplifications compare like for like. After its
 * flush, RocksDB is given time to finish the compactions its scheduler has pending (it reports
 * them in {@code rocksdb.compaction-pending}); step 6's close waits for its background thread.
 */
public final class LsmLoad {

    /** The N of the table: 10^4, 10^5 and 10^6. */
    public static final long[] SIZES = {10_000, 100_000, 1_000_000};

    /** The rows of the table, in order. */
    public static final List<String> STORES = List.of("step3", "step4", "step5", "step6", "rocksdb",
            "rocksdb-step6-shape");

    /** The columns of {@code lsm-load.csv}, one per {@link Row#cells()}. */
    public static final String HEADER = "store,keys,load_s,bytes_written,bytes_per_put,write_amplification,"
            + "bytes_method,os_bytes_written,os_write_amplification,bytes_on_disk,disk_bytes_per_key,wrong_answers";

    /** How long RocksDB may take to finish its pending compactions after the flush. */
    private static final long SETTLE_LIMIT_NANOS = 120_000_000_000L;

    /**
     * One store at one N.
     *
     * @param store          the store: a step, {@code rocksdb}, or {@code rocksdb-step6-shape}
     * @param keys           N, the keys put (all distinct)
     * @param loadNanos      the puts, the settle and the close
     * @param bytesWritten   the store's own count of the bytes it wrote (see the class comment)
     * @param bytesMethod    how {@code bytesWritten} was counted
     * @param osBytesWritten {@code wchar} of {@code /proc/self/io} over the same span, -1 off Linux
     * @param bytesOnDisk    every file in the store's directory after the close
     * @param wrongAnswers   sampled keys that did not read back as written after a reopen
     */
    public record Row(String store, long keys, long loadNanos, long bytesWritten, String bytesMethod,
                      long osBytesWritten, long bytesOnDisk, long wrongAnswers) {

        /** Bytes written per put, by the store's own count. */
        public double bytesPerPut() {
            return (double) bytesWritten / keys;
        }

        /** Bytes written over the user's bytes, by the store's own count. */
        public double writeAmplification() {
            return (double) bytesWritten / (keys * (double) BenchKeys.USER_BYTES_PER_PUT);
        }

        /** Bytes written over the user's bytes, by the process's write counter (NaN when unknown). */
        public double osWriteAmplification() {
            return osBytesWritten < 0 ? Double.NaN : (double) osBytesWritten / (keys * (double) BenchKeys.USER_BYTES_PER_PUT);
        }

        /** Bytes on disk per key after the close. */
        public double diskBytesPerKey() {
            return (double) bytesOnDisk / keys;
        }

        /** The row as the values of {@link #HEADER}'s columns. */
        public List<String> cells() {
            return List.of(store, Long.toString(keys), CsvFiles.number(loadNanos / 1e9), Long.toString(bytesWritten),
                    CsvFiles.number(bytesPerPut()), CsvFiles.number(writeAmplification()), bytesMethod,
                    Long.toString(osBytesWritten), CsvFiles.number(osWriteAmplification()), Long.toString(bytesOnDisk),
                    CsvFiles.number(diskBytesPerKey()), Long.toString(wrongAnswers));
        }
    }

    private LsmLoad() {
    }

    /** Every store of {@link #STORES} that {@code which} accepts, at every N of {@code sizes}, in {@code home}. */
    public static List<Row> run(Path home, long[] sizes, Predicate<String> which) {
        List<Row> rows = new ArrayList<>();
        for (long n : sizes) {
            for (String store : STORES) {
                if (which.test(store)) {
                    Path dir = Dirs.fresh(home, "lsm-load-" + store + "-" + n);
                    try {
                        Row row = store.startsWith("rocksdb") ? rocksdb(store, dir, n) : step(store, dir, n);
                        System.out.println("# lsm load: " + row);
                        rows.add(row);
                    } finally {
                        Dirs.deleteRecursively(dir);
                    }
                }
            }
        }
        return rows;
    }

    private static Row step(String name, Path dir, long n) {
        StoreProvider provider = Stores.provider(name);
        CountingVfs vfs = new CountingVfs(new NoSyncVfs(Vfs.local()));
        Path path = dir.resolve("store");
        long osBefore = ProcessIo.bytesWritten();
        long start = System.nanoTime();
        try (KeyValueStore store = provider.open(path, vfs)) {
            for (long i = 0; i < n; i++) {
                store.put(BenchKeys.key(i), BenchKeys.value(i, 0));
            }
            store.sync();
            if (provider.maintenanceOperations().contains("flush")) {
                provider.runMaintenance(store, "flush");
            }
        }
        long loadNanos = System.nanoTime() - start;
        long os = delta(osBefore, ProcessIo.bytesWritten());
        long written = vfs.total().bytesWritten();
        long onDisk = Dirs.sizeOf(dir);
        long wrong;
        try (KeyValueStore store = provider.open(path, Vfs.local())) {
            wrong = wrongAnswers(store::get, n);
        }
        return new Row(name, n, loadNanos, written, "CountingVfs", os, onDisk, wrong);
    }

    private static Row rocksdb(String name, Path dir, long n) {
        RocksDB.loadLibrary();
        String path = dir.resolve("rocksdb").toString();
        long osBefore = ProcessIo.bytesWritten();
        long start = System.nanoTime();
        long written;
        try (Statistics statistics = new Statistics();
             Options options = options(name).setCreateIfMissing(true).setStatistics(statistics);
             WriteOptions relaxed = new WriteOptions().setSync(false);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true);
             RocksDB db = RocksDB.open(options, path)) {
            for (long i = 0; i < n; i++) {
                db.put(relaxed, BenchKeys.key(i), BenchKeys.value(i, 0));
            }
            db.syncWal();
            db.flush(flush);
            awaitCompactions(db);
            written = statistics.getTickerCount(TickerType.WAL_FILE_BYTES)
                    + statistics.getTickerCount(TickerType.FLUSH_WRITE_BYTES)
                    + statistics.getTickerCount(TickerType.COMPACT_WRITE_BYTES);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB failed in the LSM load of " + n + " keys", e);
        }
        long loadNanos = System.nanoTime() - start;
        long os = delta(osBefore, ProcessIo.bytesWritten());
        long onDisk = Dirs.sizeOf(dir);
        long wrong;
        try (Options options = options(name); RocksDB db = RocksDB.open(options, path)) {
            wrong = wrongAnswers(key -> {
                try {
                    return db.get(key);
                } catch (RocksDBException e) {
                    throw new IllegalStateException("RocksDB get failed", e);
                }
            }, n);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot reopen RocksDB in " + path, e);
        }
        return new Row(name, n, loadNanos, written, "RocksDB statistics (WAL + flush + compaction bytes)", os, onDisk,
                wrong);
    }

    /** RocksDB's defaults, or step 6's shape: its memtable, table and level sizes. */
    private static Options options(String name) {
        Options options = new Options();
        if (name.equals("rocksdb-step6-shape")) {
            options.setWriteBufferSize(4L << 20).setTargetFileSizeBase(2L << 20).setMaxBytesForLevelBase(10L << 20)
                    .setMaxBytesForLevelMultiplier(10).setLevel0FileNumCompactionTrigger(4)
                    .setCompressionType(CompressionType.NO_COMPRESSION);
        }
        return options;
    }

    /** Waits until RocksDB reports no compaction pending or running (at most {@link #SETTLE_LIMIT_NANOS}). */
    private static void awaitCompactions(RocksDB db) throws RocksDBException {
        long deadline = System.nanoTime() + SETTLE_LIMIT_NANOS;
        while (System.nanoTime() < deadline && (!"0".equals(db.getProperty("rocksdb.compaction-pending"))
                || !"0".equals(db.getProperty("rocksdb.num-running-compactions")))) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Reads back 100 keys spread over the load; returns how many were wrong. */
    private static long wrongAnswers(java.util.function.Function<byte[], byte[]> get, long n) {
        long checks = Math.min(n, ScalingRun.CHECKS);
        long wrong = 0;
        for (long j = 0; j < checks; j++) {
            long i = j * n / checks;
            if (!Arrays.equals(get.apply(BenchKeys.key(i)), BenchKeys.value(i, 0))) {
                wrong++;
            }
        }
        return wrong;
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }
}
