package dev.kvbook.bench;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.BTreeStore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Step 4's put target, "put ≥ RocksDB's while the data fits the buffer pool", measured the way it
 * is meant: step 4 opened with {@code syncEveryWrite} off, so a put changes pages in the buffer pool
 * and nothing reaches the disk until {@code sync()}, against RocksDB in its default (relaxed) mode.
 * Both load {@value #KEYS} keys (about 1.2 MB of keys and values, well inside step 4's 16 MiB pool)
 * into a fresh store and sync once at the end.
 *
 * <p>Why not the scaling run's load? That opens every step through its provider, whose defaults
 * make each put durable, so step 4 writes its header and a whole 4 KiB page per put even over the
 * harness's NoSyncVfs; and it runs each N once, in a JVM where the step's code is still cold.
 * Here each side loads {@value #WARMUPS} times untimed and {@value #ROUNDS} times timed, and the
 * median round is reported, so JIT warm-up (which RocksDB, being C++, does not need) is not
 * counted against step 4.
 *
 * <p>The two are not equally durable and the results page says so: a RocksDB put is in the OS's
 * page cache when it returns (it survives a process crash), a step 4 put only in the Java heap
 * (a process crash loses everything since the last sync). Neither survives a power cut unsynced.
 */
final class PoolLoad {

    /** Keys per round: fits the default 4,096-page pool many times over. */
    static final int KEYS = 10_000;
    static final int WARMUPS = 3;
    static final int ROUNDS = 5;

    /** Median nanoseconds per put of step 4 (pool only) and RocksDB (relaxed), and wrong read-backs. */
    record Row(double step4NanosPerPut, double rocksdbNanosPerPut, long wrongAnswers) {
    }

    private PoolLoad() {
    }

    /** Runs both sides in directories under {@code home}. */
    static Row run(Path home) {
        long[] wrong = new long[1];
        double step4 = median(home, "step4-pool", dir -> {
            BTreeStore.Options options = BTreeStore.Options.defaults().withVfs(Vfs.local()).withSyncEveryWrite(false);
            try (BTreeStore store = BTreeStore.open(dir.resolve("store"), options)) {
                return load(new Loader() {
                    @Override public void put(byte[] key, byte[] value) { store.put(key, value); }
                    @Override public byte[] get(byte[] key) { return store.get(key); }
                    @Override public void sync() { store.sync(); }
                }, wrong);
            }
        });
        Contender rocksdb = new RocksDbContender();
        double rocks = median(home, "rocksdb-pool", dir -> {
            try (Engine engine = rocksdb.open(dir, Durability.RELAXED)) {
                return load(new Loader() {
                    @Override public void put(byte[] key, byte[] value) { engine.put(key, value); }
                    @Override public byte[] get(byte[] key) { return engine.get(key); }
                    @Override public void sync() { engine.sync(); }
                }, wrong);
            }
        });
        return new Row(step4, rocks, wrong[0]);
    }

    /** The calls a round needs; both sides adapt to it. */
    private interface Loader {
        void put(byte[] key, byte[] value);

        byte[] get(byte[] key);

        void sync();
    }

    /** Opens a fresh store in the given directory, loads it and returns nanoseconds per put. */
    private interface Round {
        double run(Path dir);
    }

    private static double median(Path home, String name, Round round) {
        double[] timed = new double[ROUNDS];
        for (int i = 0; i < WARMUPS + ROUNDS; i++) {
            Path dir = Dirs.fresh(home, name + "-" + i);
            try {
                double nanosPerPut = round.run(dir);
                if (i >= WARMUPS) {
                    timed[i - WARMUPS] = nanosPerPut;
                }
            } finally {
                Dirs.deleteRecursively(dir);
            }
        }
        Arrays.sort(timed);
        return timed[ROUNDS / 2];
    }

    /** Loads {@link #KEYS} keys, syncs once (timed), then checks a sample (untimed). */
    private static double load(Loader store, long[] wrong) {
        long start = System.nanoTime();
        for (int i = 0; i < KEYS; i++) {
            store.put(BenchKeys.key(i), BenchKeys.value(i, 0));
        }
        store.sync();
        double nanosPerPut = (double) (System.nanoTime() - start) / KEYS;
        for (int i = 0; i < KEYS; i += KEYS / ScalingRun.CHECKS) {
            if (!Arrays.equals(store.get(BenchKeys.key(i)), BenchKeys.value(i, 0))) {
                wrong[0]++;
            }
        }
        return nanosPerPut;
    }

    /** The results-page paragraph that says what the two sides did. */
    static List<String> explanation(Row row) {
        return List.of(String.format(Locale.ROOT, "Step 4 with `syncEveryWrite` off (puts stay in its buffer pool "
                + "until the one sync at the end) against RocksDB relaxed (each put written to its WAL in the OS "
                + "cache), each loading %,d keys into a fresh store: %d untimed rounds, then the median of %d timed "
                + "ones. Step 4: %.0f ns/put; RocksDB: %.0f ns/put; wrong read-backs: %d.", KEYS, WARMUPS, ROUNDS,
                row.step4NanosPerPut(), row.rocksdbNanosPerPut(), row.wrongAnswers()));
    }
}
