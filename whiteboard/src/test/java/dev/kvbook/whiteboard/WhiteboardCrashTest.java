package dev.kvbook.whiteboard;

import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.Workloads;
import dev.kvbook.testkit.crash.CrashOutcome;
import dev.kvbook.testkit.crash.CrashPointDriver;
import dev.kvbook.testkit.crash.CrashReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.whiteboard.Whiteboards.Whiteboard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kvbook.api.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every whiteboard's crash promise, checked by crashing at every I/O call of a workload in turn
 * ({@link CrashPointDriver}), gently (only unsynced data lost) and harshly (unsynced sectors kept,
 * dropped or garbled), with the testkit's check of acknowledged writes: after the crash the store
 * holds every write acknowledged as durable and nothing that never was. A store durable on every
 * write is held to that; {@link WhiteboardBTree}, durable only at {@code sync} and {@code close},
 * is held to that weaker promise. The stores run with tiny thresholds
 * ({@link WhiteboardStores#crashOpener}) so that the workloads roll segments over, merge, flush,
 * compact and checkpoint. Default runs try one harsh seed and a sample of a random workload; the
 * {@code slow} tag adds more seeds and every crash point of longer random workloads.
 */
class WhiteboardCrashTest {

    /** Puts, overwrites, deletes, each whiteboard's own maintenance, a sync and a reopen. */
    static List<Op> workload(Whiteboard w) {
        List<Op> ops = new ArrayList<>(List.of(
                Op.put("apple", "red"), Op.put("banana", "yellow".repeat(10)), Op.put("apple", "green"),
                Op.delete("banana"), Op.put("cherry", "dark red".repeat(8))));
        ops.addAll(WhiteboardStores.maintenance(w.name()));
        ops.addAll(List.of(Op.sync(), Op.reopen(), Op.delete("apple"), Op.put("elder", "black".repeat(12)),
                Op.put("banana", "back")));
        ops.addAll(WhiteboardStores.maintenance(w.name()));
        ops.addAll(List.of(Op.delete("cherry"), Op.put("", "")));
        return ops;
    }

    static Stream<Whiteboard> whiteboards() {
        return Whiteboards.all().stream();
    }

    private static CrashPointDriver driver(Whiteboard w) {
        StoreOpener opener = WhiteboardStores.crashOpener(w.name());
        return new CrashPointDriver(opener).durableOnEveryWrite(w.durableOnEveryWrite());
    }

    /** What each workload must make its store do, as the simulated disk's log of calls shows it. */
    private static final Map<String, List<String>> PROTOCOLS = Map.of(
            "WhiteboardPickle", List.of("rename pickle.db.tmp -> pickle.db", "syncDirectory"),
            "WhiteboardLog", List.of("rename log.db.tmp -> log.db", "write log.db", "sync log.db"),
            "WhiteboardBitcask", List.of("rename 000003.seg.tmp -> 000003.seg", "rename 4.merge.tmp -> 000004.seg",
                    "delete /sim/store/bitcask/000003.seg"),
            "WhiteboardBTree", List.of("rename btree.db.tmp -> btree.db"),
            "WhiteboardRedoLog", List.of("rename redo.db.tmp -> redo.db", "truncate redo.db-redo", "write redo.db-redo"),
            "WhiteboardLsm", List.of(".run.tmp -> ", "truncate log", "delete /sim/store/lsm/000001.run"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("whiteboards")
    void theWorkloadReachesEveryProtocolOfTheStore(Whiteboard w) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(CrashPointDriver.HOME);
        StoreOpener opener = WhiteboardStores.crashOpener(w.name());
        KeyValueStore store = opener.open(vfs, CrashPointDriver.HOME);
        for (Op op : workload(w)) {
            op.applyTo(store);
            if (op instanceof Op.Reopen) {
                store = opener.open(vfs, CrashPointDriver.HOME);
            }
        }
        store.close();
        String calls = String.join("\n", vfs.mutationLog());
        assertThat(PROTOCOLS.get(w.name())).allSatisfy(call -> assertThat(calls).as(w.name() + "'s I/O calls").contains(call));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whiteboards")
    void aCrashAtEveryIoCallKeepsEveryDurableWrite(Whiteboard w) {
        CrashReport report = driver(w).workload(workload(w)).run().assertPromiseKept();
        assertThat(report.points()).hasSize((int) report.ioCallsInWorkload());
        assertThat(report.counts()).containsOnlyKeys(CrashOutcome.INTACT);
        System.out.println(w.name() + " gentle: " + report.summary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whiteboards")
    void aHarshCrashAtEveryIoCallKeepsEveryDurableWrite(Whiteboard w) {
        CrashReport report = driver(w).workload(workload(w)).harsh(1).run().assertPromiseKept();
        System.out.println(w.name() + " harsh seed 1: " + report.summary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whiteboards")
    void aRandomWorkloadKeepsThePromiseAtSampledCrashPoints(Whiteboard w) {
        CrashReport report = driver(w).workload(randomWorkload(w, 40, 7)).sample(60, 11).harsh(3).run()
                .assertPromiseKept();
        System.out.println(w.name() + " random, sampled: " + report.summary());
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("whiteboards")
    void moreHarshSeedsAndLongerRandomWorkloadsKeepThePromiseAtEveryCrashPoint(Whiteboard w) {
        for (long seed = 2; seed <= 5; seed++) {
            System.out.println(w.name() + " harsh seed " + seed + ": "
                    + driver(w).workload(workload(w)).harsh(seed).run().assertPromiseKept().summary());
            System.out.println(w.name() + " random seed " + seed + ": "
                    + driver(w).workload(randomWorkload(w, 120, seed)).harsh(seed).run().assertPromiseKept().summary());
        }
    }

    private static List<Op> randomWorkload(Whiteboard w, int length, long seed) {
        return Workloads.random(length, seed, WhiteboardStores.maintenance(w.name()));
    }

}
