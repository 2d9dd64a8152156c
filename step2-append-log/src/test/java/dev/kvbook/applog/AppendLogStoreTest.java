package dev.kvbook.applog;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's behaviour through the KeyValueStore interface, on the real disk. */
class AppendLogStoreTest {

    @TempDir
    Path dir;

    private AppendLogStore open() {
        return AppendLogStore.open(dir.resolve("store.log"));
    }

    @Test
    void getReturnsTheLastValueWritten() {
        try (AppendLogStore store = open()) {
            store.put(b("k"), b("1"));
            store.put(b("other"), b("x"));
            store.put(b("k"), b("2"));
            assertThat(store.get(b("k"))).isEqualTo(b("2"));
            assertThat(store.get(b("absent"))).isNull();
            assertThat(store.containsKey(b("other"))).isTrue();
        }
    }

    @Test
    void everyPutAppendsARecordAndNothingIsOverwritten() {
        try (AppendLogStore store = open()) {
            store.put(b("k"), b("1"));
            store.put(b("k"), b("2"));
            store.put(b("k"), b("3"));
        }
        assertThat(TestLogs.records(dir.resolve("store.log"))).extracting(r -> TestLogs.s(r.value()))
                .containsExactly("1", "2", "3");
    }

    @Test
    void deleteAppendsATombstoneOnlyWhenTheKeyIsPresent() {
        Path log = dir.resolve("store.log");
        try (AppendLogStore store = open()) {
            store.put(b("k"), b("1"));
            long before = TestLogs.read(log).length;
            assertThat(store.delete(b("absent"))).isFalse();
            assertThat(TestLogs.read(log)).as("deleting an absent key writes nothing").hasSize((int) before);
            assertThat(store.delete(b("k"))).isTrue();
            assertThat(store.delete(b("k"))).as("already deleted").isFalse();
            assertThat(store.get(b("k"))).isNull();
        }
        assertThat(TestLogs.records(log)).extracting(LogRecord::isTombstone).containsExactly(false, true);
    }

    @Test
    void deletedKeyCanBeWrittenAgain() {
        try (AppendLogStore store = open()) {
            store.put(b("k"), b("1"));
            store.delete(b("k"));
            store.put(b("k"), b("again"));
            assertThat(store.get(b("k"))).isEqualTo(b("again"));
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void boundaryKeysAndValuesAreStored() {
        byte[] longestKey = new byte[Limits.MAX_KEY_SIZE];
        longestKey[0] = 7;
        byte[] bigValue = new byte[1 << 20];
        bigValue[bigValue.length - 1] = 9;
        try (AppendLogStore store = open()) {
            store.put(new byte[0], new byte[0]);
            store.put(longestKey, bigValue);
        }
        try (AppendLogStore store = open()) {
            assertThat(store.get(new byte[0])).isEmpty();
            assertThat(store.get(longestKey)).isEqualTo(bigValue);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheRule() {
        try (AppendLogStore store = open()) {
            assertThatThrownBy(() -> store.put(null, b("v"))).isInstanceOf(NullPointerException.class).hasMessage("key");
            assertThatThrownBy(() -> store.put(b("k"), null)).isInstanceOf(NullPointerException.class).hasMessage("value");
            assertThatThrownBy(() -> store.get(new byte[Limits.MAX_KEY_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
            assertThatThrownBy(() -> store.put(b("k"), new byte[Limits.MAX_VALUE_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 MiB");
            assertThat(store.size()).isZero();
        }
    }

    @Test
    void arraysPassedInAndReturnedAreNotShared() {
        try (AppendLogStore store = open()) {
            byte[] value = b("original");
            store.put(b("k"), value);
            value[0] = 'X';
            byte[] got = store.get(b("k"));
            got[1] = 'Y';
            assertThat(store.get(b("k"))).isEqualTo(b("original"));
        }
    }

    @Test
    void sizeAndIteratorSeeOnlyLiveKeys() {
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.put(b("a"), b("3"));
            store.put(b("c"), b("4"));
            store.delete(b("b"));
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.iterator().toList()).containsExactlyInAnyOrder(
                    new Entry(b("a"), b("3")), new Entry(b("c"), b("4")));
        }
    }

    @Test
    void iteratorIsASnapshotTakenWhenItIsCreated() {
        AppendLogStore store = open(); // closed in the middle of the test, on purpose: not a try resource
        try {
            store.put(b("a"), b("1"));
            try (CloseableIterator<Entry> snapshot = store.iterator()) {
                store.put(b("b"), b("2"));
                store.delete(b("a"));
                store.close();
                assertThat(snapshot.next()).isEqualTo(new Entry(b("a"), b("1")));
                assertThat(snapshot.hasNext()).isFalse();
            }
        } finally {
            store.close(); // idempotent
        }
    }

    @Test
    void stateSurvivesCloseAndReopen() {
        for (boolean syncEveryWrite : new boolean[] {true, false}) {
            Path log = dir.resolve("reopen-" + syncEveryWrite + ".log");
            AppendLogStore.Options options = AppendLogStore.Options.defaults().withSyncEveryWrite(syncEveryWrite);
            try (AppendLogStore store = AppendLogStore.open(log, options)) {
                store.put(b("a"), b("1"));
                store.put(b("b"), b("2"));
                store.delete(b("a"));
            }
            try (AppendLogStore store = AppendLogStore.open(log, options)) {
                assertThat(TestLogs.contents(store)).isEqualTo(Map.of("b", "2"));
                assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo(0L);
            }
        }
    }

    @Test
    void statsCountRecordsTombstonesAndGarbage() {
        try (AppendLogStore store = open()) {
            store.put(b("a"), b("1"));   // 11 + 1 + 1 = 13, superseded
            store.put(b("a"), b("22"));  // 14, live
            store.put(b("b"), b("3"));   // 13, deleted
            store.delete(b("b"));        // 12, tombstone
            StoreStats stats = store.stats();
            assertThat(stats.store()).isEqualTo("step2");
            assertThat(stats.liveKeys()).isEqualTo(1);
            assertThat(stats.files()).isEqualTo(1);
            assertThat(stats.bytesOnDisk()).isEqualTo(8 + 13 + 14 + 13 + 12);
            assertThat(stats.garbageBytes()).isEqualTo(13 + 13 + 12);
            assertThat(stats.detail("records")).isEqualTo(4L);
            assertThat(stats.detail("tombstones")).isEqualTo(1L);
            assertThat(stats.detail("liveBytes")).isEqualTo(14L);
            assertThat(stats.detail("compactions")).isEqualTo(0L);
        }
    }

    @Test
    void syncEveryWriteFsyncsEachWriteBeforeReturning() {
        CountingVfs counting = new CountingVfs(Vfs.local());
        Path log = dir.resolve("store.log");
        try (AppendLogStore store = AppendLogStore.open(log, AppendLogStore.Options.defaults().withVfs(counting))) {
            // (CountingVfs.reset() would detach the counters of files already open, so take differences.)
            CountingVfs.IoCounts start = counting.perFile().get(log);
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.delete(b("a"));
            store.delete(b("absent"));
            CountingVfs.IoCounts used = counting.perFile().get(log).minus(start);
            assertThat(used.syncs()).isEqualTo(3);
            assertThat(used.writes()).isEqualTo(3);
            store.sync();
            assertThat(counting.perFile().get(log).minus(start).syncs()).as("nothing left to sync").isEqualTo(3);
        }
    }

    @Test
    void withoutSyncEveryWriteWritesAreFsyncedBySyncAndClose() {
        CountingVfs counting = new CountingVfs(Vfs.local());
        Path log = dir.resolve("store.log");
        AppendLogStore.Options options = AppendLogStore.Options.defaults().withVfs(counting).withSyncEveryWrite(false);
        AppendLogStore store = AppendLogStore.open(log, options);
        long start = counting.perFile().get(log).syncs();
        store.put(b("a"), b("1"));
        store.put(b("b"), b("2"));
        assertThat(counting.perFile().get(log).syncs() - start).isZero();
        store.sync();
        assertThat(counting.perFile().get(log).syncs() - start).isEqualTo(1);
        store.put(b("c"), b("3"));
        store.close();
        assertThat(counting.perFile().get(log).syncs() - start).isEqualTo(2);
    }

    @Test
    void secondOpenFailsFastWhileTheFirstHoldsTheLock() {
        try (AppendLogStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StoreLockedException.class);
            store.put(b("still"), b("fine"));
        }
        open().close(); // released on close
    }

    @Test
    void useAfterCloseThrowsStoreClosedAndCloseIsIdempotent() {
        AppendLogStore store = open();
        store.put(b("a"), b("1"));
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(b("a"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.put(b("a"), b("2"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.delete(b("a"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::size).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::iterator).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::stats).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::sync).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::compact).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void openCreatesTheLogButNotItsDirectory() {
        Path log = dir.resolve("a/b/c/store.log");
        assertThatThrownBy(() -> AppendLogStore.open(log))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining(dir.resolve("a/b/c").toString());
        assertThat(dir.resolve("a")).doesNotExist();
        Path here = dir.resolve("store.log");
        try (AppendLogStore store = AppendLogStore.open(here)) {
            assertThat(store.file()).isEqualTo(here);
        }
        assertThat(TestLogs.read(here)).isEqualTo(LogFormat.encodeFileHeader().array());
    }

    @Test
    void concurrentWritersAndReadersAgreeWithTheModel() throws Exception {
        int threads = 4;
        int keysEach = 100;
        AppendLogStore.Options options = AppendLogStore.Options.defaults().withSyncEveryWrite(false);
        try (AppendLogStore store = AppendLogStore.open(dir.resolve("store.log"), options)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < keysEach; i++) {
                        store.put(b(thread + "-" + i), b("v" + i));
                        if (i % 3 == 0) {
                            store.delete(b(thread + "-" + i));
                        }
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < keysEach; i++) {
                        byte[] value = store.get(b(thread + "-" + i));
                        assertThat(value == null || TestLogs.s(value).equals("v" + i)).isTrue();
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            assertThat(store.size()).isEqualTo(threads * (keysEach - (keysEach + 2) / 3));
        }
    }
}
