package dev.kvbook.btree;

import dev.kvbook.api.Keys;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.crash.CorruptionReport;
import dev.kvbook.testkit.crash.CorruptionSweep;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 4's crash promise, checked at every I/O call: after a crash the store opens with exactly
 * a state its promise allows (the last durable point, or the operation in flight completed), or
 * refuses with {@link UncleanShutdownException}; never wrong data, never another exception.
 * Then a corruption sweep over every byte of a small file.
 */
@Tag("lab:step4.build-node")
class BTreeCrashTest {

    /** A key of about 900 bytes: four fill a leaf, so a few puts split and a few deletes merge. */
    static byte[] longKey(String name) {
        byte[] key = new byte[900];
        Arrays.fill(key, (byte) '.');
        byte[] head = Keys.utf8(name);
        System.arraycopy(head, 0, key, 0, head.length);
        return key;
    }

    static Op put(String key, int valueLength) {
        byte[] value = new byte[valueLength];
        Arrays.fill(value, (byte) key.charAt(0));
        return new Op.Put(longKey(key), value);
    }

    static Op delete(String key) {
        return new Op.Delete(longKey(key));
    }

    /** Splits up to a two-level tree, an overflow value, an overwrite, deletes that merge, a sync and a reopen. */
    static final List<Op> WORKLOAD = List.of(
            put("m", 10), put("c", 10), put("x", 10), put("f", 5000), put("a", 10), put("q", 10),
            put("c", 20), Op.sync(), put("k", 10), delete("x"), delete("q"), Op.reopen(),
            delete("m"), put("f", 3), delete("a"), put("b", 7000), Op.sync());

    @Test
    void aCrashAtEveryIoCallLeavesTheLastDurableStateOrARefusal() {
        CrashReport report = driver(Trees.DURABLE).workload(WORKLOAD).run();
        System.out.println("step4 durable: " + report.summary());
        report.assertPromiseKept();
        assertThat(report.points()).hasSize((int) report.ioCallsInWorkload());
        assertThat(report.counts()).containsKeys(CrashOutcome.INTACT, CrashOutcome.REFUSED_UNCLEAN);
    }

    @Test
    void harshCrashesThatTearAndGarbleUnsyncedSectorsKeepThePromise() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = driver(Trees.DURABLE).workload(WORKLOAD).harsh(seed).run();
            System.out.println("step4 harsh seed " + seed + ": " + report.summary());
            report.assertPromiseKept();
        }
    }

    @Test
    void whenDurableOnlyAtSyncACrashLeavesTheLastSyncOrARefusal() {
        CrashReport report = driver(Trees.SYNC_ONLY_TINY_CACHE).durableOnEveryWrite(false).workload(WORKLOAD).run();
        System.out.println("step4 sync-only, 3-page cache: " + report.summary());
        report.assertPromiseKept();
        CrashReport harsh = driver(Trees.SYNC_ONLY_TINY_CACHE).durableOnEveryWrite(false).workload(WORKLOAD).harsh(9).run();
        System.out.println("step4 sync-only, 3-page cache, harsh: " + harsh.summary());
        harsh.assertPromiseKept();
    }

    @Test
    void aLargerRandomWorkloadKeepsThePromiseAtSampledCrashPoints() {
        CrashReport report = driver(Trees.DURABLE).workload(randomWorkload(80, 5)).sample(300, 11).harsh(4).run();
        System.out.println("step4 random sampled: " + report.summary());
        report.assertPromiseKept();
    }

    @Test
    void everyFlippedOrTruncatedByteIsDetectedOrHarmlessNeverReturnedAsData() {
        CorruptionReport report = new CorruptionSweep(Trees.DURABLE).workload(List.of(
                        put("b", 10), put("a", 10), put("c", 10), put("d", 10), put("e", 10), delete("a")))
                .tailLossAllowed(false).checker(Trees.VERIFY).run();
        System.out.println("step4 corruption: " + report.summary());
        report.assertNoWrongData();
        // Only bytes that hold nothing (the unused parts of page 0, the older header slot, holes) may go unnoticed.
        assertThat(report.counts()).containsOnlyKeys(CorruptionReport.Outcome.DETECTED, CorruptionReport.Outcome.CORRECT_DATA);
    }

    @Tag("slow")
    @Test
    void longRandomWorkloadsKeepThePromiseAtEveryCrashPoint() {
        for (long seed = 1; seed <= 3; seed++) {
            CrashReport report = driver(Trees.DURABLE).workload(randomWorkload(120, seed)).harsh(seed).run();
            System.out.println("step4 slow seed " + seed + ": " + report.summary());
            report.assertPromiseKept();
            driver(Trees.SYNC_ONLY_TINY_CACHE).durableOnEveryWrite(false).workload(randomWorkload(120, seed))
                    .harsh(seed).run().assertPromiseKept();
        }
    }

    static CrashPointDriver driver(dev.kvbook.testkit.StoreOpener opener) {
        return new CrashPointDriver(opener).checker(Trees.VERIFY)
                .refusalAllowed(e -> e instanceof UncleanShutdownException);
    }

    static List<Op> randomWorkload(int length, long seed) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String key = Character.toString('a' + random.nextInt(14));
            int choice = random.nextInt(20);
            if (choice < 12) {
                ops.add(put(key, random.nextInt(10) == 0 ? 5000 + random.nextInt(5000) : random.nextInt(80)));
            } else if (choice < 18) {
                ops.add(delete(key));
            } else if (choice == 18) {
                ops.add(Op.sync());
            } else {
                ops.add(Op.reopen());
            }
        }
        return ops;
    }
}
