package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The crash lab: pulls the power on a store at every I/O call of a small workload, in turn, and
 * sees what it makes of it on the next open.
 *
 * <p>The work is the testkit's: {@link CrashPointDriver} runs the workload on an in-memory
 * {@link CrashSimVfs} that knows which bytes each fsync made durable, crashes it at call 1, then
 * (on a fresh disk) at call 2, and so on; after each crash it reopens the store and judges what
 * it holds against what the store promised. This class only builds the workload and describes
 * the outcomes for people.
 *
 * <p>The store is kept in {@code /sim/store/store} on the simulated disk, opened with its
 * defaults; its own checker ({@code verify}) runs after every recovery; and a refusal to open a
 * store that was not closed cleanly ({@link UncleanShutdownException}, step 4's promise) counts
 * as kept.
 */
public final class CrashLab {

    /** The store's path inside the crash simulator's home directory. */
    public static final String STORE_NAME = "store";

    private static final int KEY_SPACE = 5;

    /** The maintenance operation that writes a memtable out as a table (step 6). */
    private static final String FLUSH = "flush";

    private CrashLab() {
    }

    /**
     * A workload of {@code count} operations from {@code seed}: puts (over five keys, so many are
     * overwrites), deletes of live keys, syncs, a close-and-reopen in the middle, and each of the
     * store's maintenance operations once near the end (and, for a store that flushes, one more
     * flush a third of the way in). The same seed gives the same workload.
     */
    public static List<Op> workload(StoreProvider provider, int count, long seed) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int dice = random.nextInt(100);
            if (i == count / 2 && count >= 4) {
                ops.add(Op.reopen());
            } else if (dice < 20 && !live.isEmpty()) {
                String key = live.remove(random.nextInt(live.size()));
                ops.add(Op.delete(key));
            } else if (dice < 35) {
                ops.add(Op.sync());
            } else {
                String key = "k" + random.nextInt(KEY_SPACE);
                if (!live.contains(key)) {
                    live.add(key);
                }
                ops.add(Op.put(key, "v" + i));
            }
        }
        if (provider.maintenanceOperations().contains(FLUSH)) {
            // An LSM tree's compaction can resurrect a deleted key only when the key's old value and
            // its tombstone lie in different tables: an early flush puts the first writes in a table
            // of their own, so the flush and compaction below have two tables to merge.
            ops.add(Math.min(count / 3, ops.size()), Op.maintenance(FLUSH, store -> provider.runMaintenance(store, FLUSH)));
        }
        int at = Math.max(0, ops.size() * 3 / 4);
        for (String name : provider.maintenanceOperations()) {
            ops.add(Math.min(at++, ops.size()), Op.maintenance(name, store -> provider.runMaintenance(store, name)));
        }
        return ops;
    }

    /** Crashes the store at every I/O call of {@code workload} (harshly, tearing sectors, when {@code harsh}). */
    public static CrashReport run(StoreProvider provider, List<Op> workload, boolean harsh, long seed) {
        CrashPointDriver driver = new CrashPointDriver((vfs, home) -> provider.open(home.resolve(STORE_NAME), vfs))
                .workload(workload)
                .durableOnEveryWrite(provider.durableOnEveryWrite())
                .checker((vfs, home) -> provider.verify(home.resolve(STORE_NAME), vfs).problems())
                .refusalAllowed(e -> e instanceof UncleanShutdownException);
        if (harsh) {
            driver.harsh(seed);
        }
        return driver.run();
    }

    /** The outcome as the lab's table says it. */
    public static String describe(CrashOutcome outcome) {
        return switch (outcome) {
            case INTACT -> "intact";
            case REFUSED_UNCLEAN -> "refused to open unclean";
            case LOST_ACKNOWLEDGED_WRITE -> "lost an acknowledged write";
            case WRONG_DATA -> "wrong data";
            case CORRUPTION_DETECTED -> "corruption detected";
            case DAMAGED -> "damaged";
            case ERROR -> "error";
        };
    }
}
