package dev.kvbook.pickled;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Step 1's own claims: reads, writes, ordering, batches, durability modes, locking and stats. */
class PickledMapStoreTest {

    @TempDir
    Path dir;

    Path path() {
        return dir.resolve("store.pickle");
    }

    PickledMapStore open() {
        return PickledMapStore.open(path());
    }

    PickledMapStore open(Vfs vfs, boolean syncEveryWrite) {
        return PickledMapStore.open(path(), PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(syncEveryWrite));
    }

    static List<String> keysOf(List<Entry> entries) {
        return entries.stream().map(e -> new String(e.key())).toList();
    }

    /** A file whose header and CRCs are all correct but whose payload is hostile: see {@link HostilePayloadTest}. */
    @Test
    void openingAHostileFileFailsWithCorruptionAndReleasesTheLock() throws Exception {
        byte[] hostile = PickledFormat.frame(HostilePayloadTest.serialize(
                new java.util.HashMap<>(java.util.Map.of("x", new HostilePayloadTest.Tripwire()))));
        HostilePayloadTest.Tripwire.DESERIALIZED.set(0);
        try (VfsFile out = Vfs.local().open(path(), true)) {
            out.write(0, ByteBuffer.wrap(hostile));
        }
        for (int attempt = 0; attempt < 2; attempt++) { // the second would be StoreLocked if the lock leaked
            assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class);
        }
        assertThat(HostilePayloadTest.Tripwire.DESERIALIZED).hasValue(0);
    }

    @Test
    void putThenGetReturnsTheValueAndSurvivesReopen() {
        try (PickledMapStore store = open()) {
            store.put(utf8("k"), utf8("v1"));
            store.put(utf8("k"), utf8("v2"));
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v2"));
        }
        try (PickledMapStore store = open()) {
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v2"));
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void deleteRemovesTheKeyAndSaysWhetherItWasThere() {
        try (PickledMapStore store = open()) {
            store.put(utf8("k"), utf8("v"));
            assertThat(store.delete(utf8("k"))).isTrue();
            assertThat(store.delete(utf8("k"))).isFalse();
            assertThat(store.get(utf8("k"))).isNull();
            assertThat(store.containsKey(utf8("k"))).isFalse();
        }
    }

    @Test
    void missingFileOpensEmptyAndNothingButTheLockIsCreatedUntilTheFirstWrite() {
        try (PickledMapStore store = open()) {
            assertThat(store.size()).isZero();
            assertThat(Vfs.local().exists(path())).isFalse();
            assertThat(store.stats().files()).isZero();
            store.put(utf8("k"), new byte[0]);
            assertThat(Vfs.local().exists(path())).isTrue();
        }
        assertThat(Vfs.local().list(dir)).containsExactlyInAnyOrder(path(), PickleFile.lockPathOf(path()));
    }

    @Test
    void keysIterateInUnsignedByteOrder() {
        try (PickledMapStore store = open(Vfs.local(), false)) {
            for (byte[] key : List.of(new byte[] {(byte) 0xff}, new byte[] {0x7f}, new byte[] {(byte) 0x80},
                    new byte[0], utf8("ab"), utf8("a"))) {
                store.put(key, key);
            }
            assertThat(store.iterator().toList()).extracting(Entry::key).containsExactly(new byte[0], utf8("a"),
                    utf8("ab"), new byte[] {0x7f}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xff});
        }
    }

    @Test
    void scanReturnsTheHalfOpenRangeAndNullMeansUnbounded() {
        try (PickledMapStore store = open(Vfs.local(), false)) {
            for (String key : List.of("a", "b", "c", "d")) {
                store.put(utf8(key), utf8(key));
            }
            assertThat(keysOf(store.scan(utf8("b"), utf8("d")).toList())).containsExactly("b", "c");
            assertThat(keysOf(store.scan(null, utf8("b")).toList())).containsExactly("a");
            assertThat(keysOf(store.scan(utf8("c"), null).toList())).containsExactly("c", "d");
            assertThat(keysOf(store.scan(null, null).toList())).containsExactly("a", "b", "c", "d");
            assertThat(store.scan(utf8("c"), utf8("c")).toList()).isEmpty();
            assertThat(store.scan(utf8("d"), utf8("a")).toList()).isEmpty();
        }
    }

    @Test
    void iteratorIsASnapshotTakenAtCallTime() {
        try (PickledMapStore store = open(Vfs.local(), false)) {
            store.put(utf8("a"), utf8("old"));
            var iterator = store.iterator();
            store.put(utf8("a"), utf8("new"));
            store.put(utf8("b"), utf8("added"));
            assertThat(iterator.toList()).containsExactly(new Entry(utf8("a"), utf8("old")));
        }
    }

    @Test
    void arraysPassedInAndHandedOutAreCopies() {
        try (PickledMapStore store = open()) {
            byte[] key = utf8("k");
            byte[] value = utf8("v");
            store.put(key, value);
            key[0] = 'x';
            value[0] = 'x';
            store.get(utf8("k"))[0] = 'y';
            store.iterator().next().value()[0] = 'z';
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
        }
    }

    @Test
    void argumentsAreCheckedAgainstTheLimits() {
        try (PickledMapStore store = open()) {
            assertThatThrownBy(() -> store.put(null, utf8("v"))).isInstanceOf(NullPointerException.class).hasMessage("key");
            assertThatThrownBy(() -> store.put(utf8("k"), null)).isInstanceOf(NullPointerException.class).hasMessage("value");
            assertThatThrownBy(() -> store.get(new byte[Limits.MAX_KEY_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the limit is 1024 bytes");
            assertThatThrownBy(() -> store.scan(null, new byte[Limits.MAX_KEY_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            store.put(new byte[Limits.MAX_KEY_SIZE], new byte[0]);
            assertThat(store.get(new byte[Limits.MAX_KEY_SIZE])).isEmpty();
        }
    }

    /** The cost of step 1: one small put writes the whole file, with one file fsync and one directory fsync. */
    @Test
    void everyWriteRewritesTheWholeFileWithTwoFsyncs() {
        CountingVfs counting = new CountingVfs(Vfs.local());
        try (PickledMapStore store = open(counting, true)) {
            store.batch(b -> {
                for (int i = 0; i < 100; i++) {
                    b.put(utf8("key" + i), new byte[100]);
                }
            });
            counting.reset();
            store.put(utf8("one more"), utf8("x"));
            StoreStats stats = store.stats();
            assertThat(counting.total().bytesWritten()).isEqualTo(stats.bytesOnDisk()).isGreaterThan(100 * 100);
            assertThat(counting.total().syncs()).isEqualTo(2);
            assertThat(stats.detail("rewrites")).isEqualTo(2L);
        }
    }

    @Test
    void writesThatChangeNothingWriteNothing() {
        try (PickledMapStore store = open()) {
            store.put(utf8("k"), utf8("v"));
            store.put(utf8("k"), utf8("v"));
            store.delete(utf8("absent"));
            store.batch(b -> b.delete(utf8("absent")));
            assertThat(store.stats().detail("rewrites")).isEqualTo(1L);
        }
    }

    @Test
    void batchWritesOneFileRewrite() {
        TrippingVfs vfs = new TrippingVfs(Vfs.local());
        try (PickledMapStore store = open(vfs, true)) {
            store.put(utf8("gone"), utf8("soon"));
            store.batch(b -> {
                for (int i = 0; i < 50; i++) {
                    b.put(utf8("key" + i), utf8("v" + i));
                }
                assertThat(b.delete(utf8("gone"))).isTrue();
            });
            assertThat(vfs.renames).hasValue(2);
            assertThat(store.size()).isEqualTo(50);
        }
    }

    @Test
    void batchThatThrowsChangesNeitherMemoryNorFile() {
        try (PickledMapStore store = open()) {
            store.put(utf8("a"), utf8("before"));
            assertThatThrownBy(() -> store.batch(b -> {
                b.put(utf8("a"), utf8("during"));
                b.put(utf8("b"), utf8("during"));
                throw new IllegalStateException("the caller changed its mind");
            })).hasMessage("the caller changed its mind");
            assertThat(store.get(utf8("a"))).isEqualTo(utf8("before"));
            assertThat(store.containsKey(utf8("b"))).isFalse();
            assertThat(store.stats().detail("rewrites")).isEqualTo(1L);
        }
    }

    @Test
    void insideABatchTheStoreRefusesWritesAndTheBatchDiesWithIt() {
        try (PickledMapStore store = open()) {
            Batch[] leaked = new Batch[1];
            assertThatThrownBy(() -> store.batch(b -> store.put(utf8("k"), utf8("v"))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("write through the Batch");
            store.batch(b -> {
                leaked[0] = b;
                b.put(utf8("k"), utf8("v"));
                assertThat(store.get(utf8("k"))).isEqualTo(utf8("v")); // reads see the batch
            });
            assertThatThrownBy(() -> leaked[0].put(utf8("late"), utf8("v")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("batch is over");
        }
    }

    @Test
    void syncEveryWriteFalseWritesNothingUntilSync() {
        try (PickledMapStore store = open(Vfs.local(), false)) {
            store.put(utf8("k"), utf8("v"));
            store.put(utf8("k2"), utf8("v"));
            assertThat(Vfs.local().exists(path())).isFalse();
            assertThat(store.stats().detail("unsyncedWrites")).isEqualTo(2L);
            store.sync();
            assertThat(Vfs.local().exists(path())).isTrue();
            assertThat(store.stats().detail("unsyncedWrites")).isEqualTo(0L);
            assertThat(store.stats().detail("rewrites")).isEqualTo(1L);
            store.sync();
            assertThat(store.stats().detail("rewrites")).isEqualTo(1L);
        }
        try (PickledMapStore store = open()) {
            assertThat(store.size()).isEqualTo(2);
        }
    }

    @Test
    void closeWritesUnsyncedChanges() {
        try (PickledMapStore store = open(Vfs.local(), false)) {
            store.put(utf8("k"), utf8("v"));
        }
        try (PickledMapStore store = open()) {
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
        }
    }

    @Test
    void staleTempFileIsRemovedOnOpen() {
        try (PickledMapStore store = open()) {
            store.put(utf8("k"), utf8("v"));
        }
        Path temp = new PickleFile(Vfs.local(), path()).tempPath(); // whatever the design names it
        try (VfsFile torn = Vfs.local().open(temp, true)) {
            torn.write(0, ByteBuffer.wrap(utf8("half a rewrite")));
        }
        try (PickledMapStore store = open()) {
            assertThat(Vfs.local().exists(temp)).isFalse();
            assertThat(store.stats().detail("staleTempRemoved")).isEqualTo(true);
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
            store.put(utf8("k"), utf8("v2")); // the next rewrite starts from an empty temp file
        }
    }

    @Test
    void secondOpenFailsFastWithStoreLockedAndCloseReleasesTheLock() {
        PickledMapStore first = open();
        assertThatThrownBy(this::open).isInstanceOfSatisfying(StoreLockedException.class,
                e -> assertThat(e.lockFile()).isEqualTo(PickleFile.lockPathOf(path())));
        first.close();
        open().close();
    }

    @Test
    void useAfterCloseThrowsStoreClosedAndCloseIsIdempotent() {
        PickledMapStore store = open();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get(utf8("k"))).isInstanceOf(StoreClosedException.class)
                .hasMessageContaining("step1 store").hasMessageContaining(path().toString());
        assertThatThrownBy(() -> store.put(utf8("k"), utf8("v"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::iterator).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::sync).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(store::stats).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void corruptFileFailsOpenAndReleasesTheLock() {
        try (PickledMapStore store = open()) {
            store.put(utf8("k"), utf8("v"));
        }
        try (VfsFile file = Vfs.local().open(path(), false)) {
            file.write(40, ByteBuffer.wrap(new byte[] {0x55}));
        }
        assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class).hasMessageContaining("payload checksum");
        assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class); // not StoreLockedException
    }

    @Test
    void statsCountTheFileAndNotTheLock() {
        try (PickledMapStore store = open()) {
            store.put(utf8("a"), utf8("1"));
            store.put(utf8("b"), new byte[0]);
            StoreStats stats = store.stats();
            assertThat(stats.store()).isEqualTo("step1");
            assertThat(stats.liveKeys()).isEqualTo(2);
            assertThat(stats.files()).isEqualTo(1);
            assertThat(stats.bytesOnDisk()).isEqualTo(189); // the golden file's size: same map
            assertThat(stats.garbageBytes()).isZero();
            assertThat(stats.detail("payloadBytes")).isEqualTo(165L);
            assertThat((long) stats.detail("bytesRewritten")).isGreaterThan(189);
        }
    }

    @Test
    void concurrentWritersAndReadersAllSeeAConsistentMap() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (PickledMapStore store = open(Vfs.local(), false)) {
            List<Future<?>> work = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        store.put(utf8(thread + "-" + i), utf8("v" + i));
                        assertThat(store.get(utf8(thread + "-" + i))).isEqualTo(utf8("v" + i));
                        if (i % 50 == 0) {
                            store.sync();
                            assertThat(store.iterator().toList()).isSortedAccordingTo(
                                    (x, y) -> java.util.Arrays.compareUnsigned(x.key(), y.key()));
                        }
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(store.size()).isEqualTo(8 * 200);
        } finally {
            pool.shutdownNow();
        }
        try (PickledMapStore store = open()) {
            assertThat(store.size()).isEqualTo(8 * 200);
        }
    }
}
