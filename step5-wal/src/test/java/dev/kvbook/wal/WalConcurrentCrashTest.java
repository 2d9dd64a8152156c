package dev.kvbook.wal;

import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash under concurrency: four threads commit transactions at once, with group commit and
 * automatic checkpoints every few frames, and the power goes at the Nth file-system call. After
 * recovery every acknowledged commit is there, nothing unacknowledged is half there, and the
 * checker passes.
 *
 * <p>Thread {@code t}'s commit {@code i} puts {@code t<t>-a = i}, {@code t<t>-b = i} and
 * {@code t<t>-<i> = i} in one transaction. A thread's commits are sequential, so after recovery
 * the thread's pair must be equal (atomic), name a commit {@code v} at least its last acknowledged
 * one and at most its last attempted one, and exactly its keys {@code 1..v} must exist (a prefix:
 * no later commit without an earlier one).
 */
class WalConcurrentCrashTest {

    private static final int THREADS = 4;
    private static final int COMMITS = 8;
    private static final Path HOME = Path.of("/crash");

    @Test
    void everyAcknowledgedConcurrentCommitSurvivesACrashAndNoneIsHalfThere() throws Exception {
        int points = run(3, 1);
        System.out.println("step5 crash under concurrency: " + points + " crash points, gentle and harsh, all intact");
    }

    @Tag("slow")
    @Test
    void everyCrashPointOfTheConcurrentRunKeepsThePromiseWithFiveHarshSeeds() throws Exception {
        int points = run(1, 5);
        System.out.println("step5 crash under concurrency (slow): " + points + " crash points, all intact");
    }

    /**
     * Crashes at every {@code stride}th call of the workload: a gentle crash, then
     * {@code harshSeeds} harsh ones (torn, dropped and garbled sectors). Returns how many crashes ran.
     */
    private static int run(int stride, int harshSeeds) throws Exception {
        int crashes = 0;
        long calls = countCalls();
        for (long point = 1; point <= calls; point += stride) {
            crashAt(point, new CrashSimVfs());
            crashes++;
            for (long seed = 1; seed <= harshSeeds; seed++) {
                crashAt(point, new CrashSimVfs().harsh(point * 1_000 + seed));
                crashes++;
            }
        }
        return crashes;
    }

    private static WalStore open(Vfs vfs) {
        return WalStore.open(HOME.resolve(Wals.FILE), WalStore.Options.defaults().withVfs(vfs)
                .withCheckpointWalBytes(6L * (4096 + 60)));
    }

    /** The workload without a crash: how many mutating calls it makes (about; threads vary it). */
    private static long countCalls() throws Exception {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(HOME);
        WalStore store = open(vfs);
        vfs.resetCounters();
        int[][] progress = writeConcurrently(store);
        assertThat(progress[0]).containsOnly(COMMITS);
        return vfs.mutations();
    }

    private static void crashAt(long point, CrashSimVfs vfs) throws Exception {
        vfs.createDirectories(HOME);
        WalStore store = open(vfs);
        vfs.resetCounters();
        vfs.crashAtOperation(point);
        int[][] progress = writeConcurrently(store); // the store is abandoned, as a dead process leaves it
        vfs.crash();
        try (WalStore recovered = open(vfs)) {
            for (int t = 0; t < THREADS; t++) {
                checkThread(recovered, t, progress[0][t], progress[1][t], "crash at call " + point);
            }
        }
        Wals.assertHealthy(vfs, HOME.resolve(Wals.FILE));
    }

    private static void checkThread(WalStore store, int t, int acknowledged, int attempted, String where) {
        byte[] a = store.get(utf8("t" + t + "-a"));
        byte[] b = store.get(utf8("t" + t + "-b"));
        assertThat(b).as(where + ": thread " + t + "'s pair is atomic").isEqualTo(a);
        int v = a == null ? 0 : Integer.parseInt(new String(a));
        assertThat(v).as(where + ": thread " + t + " had " + acknowledged + " acknowledged").isBetween(acknowledged, attempted);
        for (int i = 1; i <= COMMITS; i++) {
            byte[] own = store.get(utf8("t" + t + "-" + i));
            if (i <= v) {
                assertThat(own).as(where + ": thread " + t + " commit " + i + " of " + v).isEqualTo(utf8(Integer.toString(i)));
            } else {
                assertThat(own).as(where + ": thread " + t + " commit " + i + " after " + v).isNull();
            }
        }
    }

    /** Runs the threads to the end or to the crash; returns {acknowledged[], attempted[]} per thread. */
    private static int[][] writeConcurrently(WalStore store) throws Exception {
        int[] acknowledged = new int[THREADS];
        int[] attempted = new int[THREADS];
        List<CommitRaceTest.Racer<Void>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(CommitRaceTest.Racer.start("writer " + t, () -> {
                for (int i = 1; i <= COMMITS; i++) {
                    String value = Integer.toString(i);
                    attempted[id] = i;
                    try {
                        store.inTransaction(tx -> {
                            tx.put(utf8("t" + id + "-a"), utf8(value));
                            tx.put(utf8("t" + id + "-b"), utf8(value));
                            tx.put(utf8("t" + id + "-" + value), utf8(value));
                            return null;
                        });
                    } catch (SimulatedCrash | StoreFailedException e) {
                        return null; // the power went: this commit is not acknowledged
                    }
                    acknowledged[id] = i;
                }
                return null;
            }));
        }
        for (CommitRaceTest.Racer<Void> thread : threads) {
            thread.result(); // a hang becomes a failure with the thread's stack
        }
        return new int[][] {acknowledged, attempted};
    }
}
