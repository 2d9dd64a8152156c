package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Merging on its own ({@link BackgroundMerge}): when the trigger fires, that the thread keeps the
 * data right while writers run, that close waits for it and leaves no thread behind, and that a
 * failed background merge fails the store. Waits poll for at most {@link #PATIENCE_MS}; no test
 * asserts how long anything took.
 */
// design: pins the reference merge policy (each background merge takes every sealed segment, so no garbage is left).
@Tag("design:step3.build-hints-merge")
class BackgroundMergeTest {

    static final long PATIENCE_MS = 30_000;

    @TempDir
    Path home;

    static HashIndexStore.Options options(Vfs vfs, double ratio, long minGarbage) {
        return HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(256).withSyncEveryWrite(false)
                .withBackgroundMerge(ratio, minGarbage);
    }

    static byte[] value(int key, int round) {
        return utf8("value-" + key + "-" + round + "-" + "x".repeat(40));
    }

    static long backgroundMerges(KeyValueStore store) {
        return (long) store.stats().detail("backgroundMerges");
    }

    /** Polls {@code done} every 10 ms until it holds or the patience runs out; returns whether it held. */
    static boolean eventually(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static List<Thread> mergeThreadsOf(Path dir) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(BackgroundMerge.THREAD_NAME + " " + dir) && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    @Test
    void backgroundMergeIsOffByDefault() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(Path.of("/t")); // a store creates no parent directories
        try (HashIndexStore store = HashIndexStore.open(Path.of("/t/off"), HashIndexStore.Options.defaults()
                .withVfs(vfs).withSegmentSize(256), Runnable::run)) {
            for (int round = 0; round < 20; round++) {
                store.put(utf8("k"), value(0, round));
            }
            assertThat(store.stats().garbageBytes()).isGreaterThan(store.stats().bytesOnDisk() / 2);
            assertThat(backgroundMerges(store)).isZero();
            assertThat(store.stats().detail("merges")).isEqualTo(0L);
        }
        assertThat(HashIndexStore.Options.defaults().backgroundMerge()).isFalse();
    }

    @Test
    void theTriggerFiresAtTheFirstWriteThatPassesTheRatioAndTheMinimum() {
        // Runnable::run merges on the writer's thread, inside the put that passed the ratio, so
        // after each put the garbage is below the ratio again or the minimum was not reached.
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(Path.of("/t")); // a store creates no parent directories
        double ratio = 0.5;
        long minGarbage = 600;
        try (HashIndexStore store = HashIndexStore.open(Path.of("/t/trigger"), options(vfs, ratio, minGarbage),
                Runnable::run)) {
            for (int round = 0; round < 30; round++) {
                for (int key = 0; key < 4; key++) {
                    store.put(utf8("k" + key), value(key, round));
                    long garbage = store.stats().garbageBytes();
                    assertThat(garbage < minGarbage || garbage < ratio * store.stats().bytesOnDisk())
                            .as("round %d key %d: %d garbage bytes of %d left unmerged", round, key, garbage,
                                    store.stats().bytesOnDisk()).isTrue();
                }
            }
            assertThat(backgroundMerges(store)).isPositive();
            assertThat(store.stats().detail("merges")).isEqualTo(backgroundMerges(store));
            for (int key = 0; key < 4; key++) {
                assertThat(store.get(utf8("k" + key))).isEqualTo(value(key, 29));
            }
        }
    }

    @Test
    void belowTheMinimumGarbageNoMergeRunsWhateverTheRatio() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(Path.of("/t")); // a store creates no parent directories
        try (HashIndexStore store = HashIndexStore.open(Path.of("/t/min"), options(vfs, 0.1, 1L << 20), Runnable::run)) {
            for (int round = 0; round < 50; round++) {
                store.put(utf8("k"), value(0, round));
            }
            assertThat(store.stats().garbageBytes()).isGreaterThan(store.stats().bytesOnDisk() / 2);
            assertThat(backgroundMerges(store)).isZero();
        }
    }

    @Test
    void aBackgroundMergeHappensOnceGarbagePassesTheRatio() throws Exception {
        Path dir = home.resolve("db");
        try (HashIndexStore store = HashIndexStore.open(dir, options(Vfs.local(), 0.5, 0))) {
            for (int round = 0; round < 10; round++) {
                for (int key = 0; key < 5; key++) {
                    store.put(utf8("k" + key), value(key, round));
                }
            }
            assertThat(eventually(() -> backgroundMerges(store) > 0)).as("a background merge ran").isTrue();
            assertThat(mergeThreadsOf(dir)).isNotEmpty();
            for (int key = 0; key < 5; key++) {
                assertThat(store.get(utf8("k" + key))).isEqualTo(value(key, 9));
            }
        }
        assertThat(new HashIndexStoreProvider().verify(dir, Vfs.local()).problems()).isEmpty();
    }

    @Test
    void dataStaysRightDuringAndAfterBackgroundMergesUnderConcurrentWriters() throws Exception {
        Path dir = home.resolve("db");
        int writers = 4;
        int keysPerWriter = 20;
        Map<String, byte[]> model = new ConcurrentHashMap<>();
        try (HashIndexStore store = HashIndexStore.open(dir, options(Vfs.local(), 0.3, 0))) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    work.add(pool.submit(() -> churn(store, model, writer, keysPerWriter)));
                }
                Future<?> reader = pool.submit(() -> {
                    while (!stop.get()) {
                        History.readAll(store); // every value read back, CRC checked, while merges switch files
                    }
                });
                for (Future<?> f : work) {
                    f.get(5, TimeUnit.MINUTES);
                }
                stop.set(true);
                reader.get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            assertThat(eventually(() -> backgroundMerges(store) > 0)).as("a background merge ran").isTrue();
            assertSameAsModel(store, model);
        }
        try (HashIndexStore store = HashIndexStore.open(dir, options(Vfs.local(), 0.3, 0))) {
            assertSameAsModel(store, model);
        }
        assertThat(new HashIndexStoreProvider().verify(dir, Vfs.local()).problems()).isEmpty();
    }

    /** One writer's share: overwrite and delete its own keys, checking each write reads back at once. */
    static void churn(HashIndexStore store, Map<String, byte[]> model, int writer, int keys) {
        for (int round = 0; round < 15; round++) {
            for (int k = 0; k < keys; k++) {
                String key = "w" + writer + "-" + k;
                if ((round + k) % 7 == 0) {
                    store.delete(utf8(key));
                    model.remove(key);
                    assertThat(store.get(utf8(key))).isNull();
                } else {
                    byte[] value = value(k, round * 10 + writer);
                    store.put(utf8(key), value);
                    model.put(key, value);
                    assertThat(store.get(utf8(key))).isEqualTo(value);
                }
            }
        }
    }

    static void assertSameAsModel(HashIndexStore store, Map<String, byte[]> model) {
        NavigableMap<byte[], byte[]> expected = new TreeMap<>(Keys.COMPARATOR);
        model.forEach((k, v) -> expected.put(utf8(k), v));
        NavigableMap<byte[], byte[]> seen = History.readAll(store);
        assertThat(History.same(seen, expected)).as(() -> History.describeDifference(expected, seen)).isTrue();
        assertThat(store.size()).isEqualTo(expected.size());
    }

    @Test
    void closeWaitsForARunningBackgroundMergeAndLeavesNoThread() throws Exception {
        Path dir = home.resolve("db");
        CountDownLatch mergeInside = new CountDownLatch(1);
        CountDownLatch letMergeGo = new CountDownLatch(1);
        Vfs held = onTheMergeThread(Vfs.local(), () -> {
            mergeInside.countDown();
            awaitQuietly(letMergeGo);
        });
        HashIndexStore store = HashIndexStore.open(dir, options(held, 0.5, 0));
        // Stop writing at the put that queues the merge: the held merge thread may sit in the
        // merge's plan, under the write lock, where a further put would wait for it.
        int round = 0;
        do {
            store.put(utf8("k"), value(0, round++));
        } while (store.stats().garbageBytes() < 0.5 * store.stats().bytesOnDisk() || store.stats().garbageBytes() == 0);
        byte[] last = value(0, round - 1);
        assertThat(mergeInside.await(PATIENCE_MS, TimeUnit.MILLISECONDS)).as("the merge thread started").isTrue();
        AtomicReference<Throwable> closeFailed = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                store.close();
            } catch (Throwable e) {
                closeFailed.set(e);
            }
        }, "closer");
        closer.start();
        // No sleep: wait until close has either returned or parked (waiting for the merge), then
        // check it did not return. The merge is held, so a correct close can only be parked.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (closer.getState() != Thread.State.TERMINATED && closer.getState() != Thread.State.WAITING
                && closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(closer.getState()).as("close returned while a merge was running").isNotEqualTo(Thread.State.TERMINATED);
        letMergeGo.countDown();
        closer.join(PATIENCE_MS);
        assertThat(closer.isAlive()).as("close still waiting after the merge was let go").isFalse();
        assertThat(closeFailed.get()).as("close threw").isNull();
        assertThat(mergeThreadsOf(dir)).as("merge threads left after close").isEmpty();
        store.close(); // still idempotent
        try (HashIndexStore reopened = HashIndexStore.open(dir, options(Vfs.local(), 0, 0))) {
            assertThat(reopened.get(utf8("k"))).isEqualTo(last);
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.stats().garbageBytes()).as("the merge close waited for finished").isZero();
        }
        assertThat(new HashIndexStoreProvider().verify(dir, Vfs.local()).problems()).isEmpty();
    }

    @Test
    void aFailedBackgroundMergeFailsTheStoreAndTheNextWriteSaysWhy() throws Exception {
        Path dir = home.resolve("db");
        Vfs failing = onTheMergeThread(Vfs.local(), () -> {
            throw new UncheckedIOException(new IOException("injected: the merge thread's disk is gone"));
        });
        NavigableMap<byte[], byte[]> acknowledged = new TreeMap<>(Keys.COMPARATOR);
        try (HashIndexStore store = HashIndexStore.open(dir, options(failing, 0.5, 0))) {
            int[] round = {0};
            boolean failed = eventually(() -> {
                try {
                    store.put(utf8("k"), value(0, round[0]));
                    acknowledged.put(utf8("k"), value(0, round[0]++));
                    return false;
                } catch (StoreFailedException e) {
                    assertThat(e).hasStackTraceContaining("injected: the merge thread's disk is gone");
                    return true;
                }
            });
            assertThat(failed).as("a write failed after the background merge failed").isTrue();
            assertThatThrownBy(() -> store.delete(utf8("k"))).isInstanceOf(StoreFailedException.class);
            assertThat(store.get(utf8("k"))).isEqualTo(acknowledged.get(utf8("k"))); // reads go on
        }
        assertThat(mergeThreadsOf(dir)).isEmpty();
        try (HashIndexStore reopened = HashIndexStore.open(dir, options(Vfs.local(), 0, 0))) {
            assertThat(History.same(History.readAll(reopened), acknowledged)).isTrue();
        }
    }

    /** {@code vfs}, except that each of its calls made on a background merge thread first runs {@code hook}. */
    static Vfs onTheMergeThread(Vfs vfs, Runnable hook) {
        return (Vfs) Proxy.newProxyInstance(Vfs.class.getClassLoader(), new Class<?>[] {Vfs.class}, (proxy, method, args) -> {
            if (Thread.currentThread().getName().startsWith(BackgroundMerge.THREAD_NAME)) {
                hook.run();
            }
            try {
                return method.invoke(vfs, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the test held the merge", e);
        }
    }
}
