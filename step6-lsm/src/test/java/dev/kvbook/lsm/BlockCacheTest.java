package dev.kvbook.lsm;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The block cache: LRU by bytes, only verified blocks, nothing of a table that is gone. */
class BlockCacheTest {

    @TempDir
    Path home;

    private static List<Cell> cells(String key) {
        return List.of(Tables.put(key, "v"));
    }

    @Test
    void theLeastRecentlyUsedBlocksGoFirstWhenTheCacheIsFull() {
        BlockCache cache = new BlockCache(300);
        cache.put(1, 0, cells("a"), 100);
        cache.put(1, 1, cells("b"), 100);
        cache.put(2, 0, cells("c"), 100);
        assertThat(cache.get(1, 0)).isNotNull(); // (1, 1) is now the least recently used
        cache.put(2, 1, cells("d"), 100);
        assertThat(cache.holds(1, 1)).isFalse();
        assertThat(cache.holds(1, 0)).isTrue();
        assertThat(cache.holds(2, 0)).isTrue();
        assertThat(cache.holds(2, 1)).isTrue();
        assertThat(cache.bytes()).isEqualTo(300);
        cache.put(3, 0, cells("e"), 250); // pushes out the three oldest
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(250);
    }

    @Test
    void hitsAndMissesAreCountedAndABlockLargerThanTheCacheIsNotKept() {
        BlockCache cache = new BlockCache(100);
        assertThat(cache.get(1, 0)).isNull();
        cache.put(1, 0, cells("a"), 101);
        assertThat(cache.get(1, 0)).isNull();
        cache.put(1, 0, cells("a"), 60);
        assertThat(cache.get(1, 0).get(0).key()).isEqualTo(utf8("a"));
        assertThat(cache.misses.sum()).isEqualTo(2);
        assertThat(cache.hits.sum()).isEqualTo(1);
    }

    @Test
    void aCacheOfZeroBytesHoldsNothingAndCountsNothing() {
        BlockCache off = new BlockCache(0);
        off.put(1, 0, cells("a"), 1);
        assertThat(off.get(1, 0)).isNull();
        assertThat(off.size()).isZero();
        assertThat(off.misses.sum()).isZero();
        assertThatThrownBy(() -> new BlockCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evictingATableDropsItsBlocksAndOnlyItsBlocks() {
        BlockCache cache = new BlockCache(1000);
        cache.put(1, 0, cells("a"), 100);
        cache.put(1, 1, cells("b"), 100);
        cache.put(2, 0, cells("c"), 100);
        cache.evictTable(1);
        assertThat(cache.holds(1, 0)).isFalse();
        assertThat(cache.holds(1, 1)).isFalse();
        assertThat(cache.holds(2, 0)).isTrue();
        assertThat(cache.bytes()).isEqualTo(100);
    }

    /** Table 7: 60 keys in 64-byte blocks, so several blocks. */
    private static TableInfo severalBlocks(CrashSimVfs vfs) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            cells.add(Tables.put(String.format("k%03d", i), "value " + i));
        }
        return Tables.write(vfs, 7, 64, cells);
    }

    private static Table open(CrashSimVfs vfs, TableInfo info, BlockCache cache) {
        Path path = StoreFiles.table(Tables.DIR, info.number());
        return Table.open(vfs, cache, vfs.open(path, false), path, info);
    }

    private static void flipByte(CrashSimVfs vfs, long table, long offset) {
        try (VfsFile file = vfs.open(StoreFiles.table(Tables.DIR, table), false)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.readFully(offset, one);
            file.write(offset, ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x40)}));
        }
    }

    @Test
    void aBlockThatFailsItsChecksumIsReportedAndNeverCached() {
        CrashSimVfs vfs = new CrashSimVfs();
        TableInfo info = severalBlocks(vfs);
        flipByte(vfs, 7, TableFormat.HEADER_SIZE + 3); // inside block 0, which holds k000
        BlockCache cache = new BlockCache(1 << 20);
        Table table = open(vfs, info, cache);
        try {
            assertThatThrownBy(() -> table.get(utf8("k000"))).isInstanceOf(CorruptionException.class);
            assertThatThrownBy(() -> table.get(utf8("k000"))).as("read again, not served from the cache")
                    .isInstanceOf(CorruptionException.class);
            assertThat(cache.size()).isZero();
        } finally {
            table.release();
        }
    }

    @Test
    void aHitServesTheCellsThatWereVerifiedWhenTheBlockWasRead() {
        CrashSimVfs vfs = new CrashSimVfs();
        TableInfo info = severalBlocks(vfs);
        BlockCache cache = new BlockCache(1 << 20);
        Table table = open(vfs, info, cache);
        try {
            assertThat(table.get(utf8("k000")).value()).isEqualTo(utf8("value 0"));
            assertThat(cache.holds(7, 0)).isTrue();
            flipByte(vfs, 7, TableFormat.HEADER_SIZE + 3); // damage after the read: the cache keeps what was checked
            assertThat(table.get(utf8("k000")).value()).isEqualTo(utf8("value 0"));
            assertThat(cache.hits.sum()).isEqualTo(1);
            assertThat(cache.misses.sum()).isEqualTo(1);
        } finally {
            table.release();
        }
    }

    @Test
    void aTablesBlocksLeaveTheCacheWhenItsLastReferenceGoes() {
        CrashSimVfs vfs = new CrashSimVfs();
        TableInfo info = severalBlocks(vfs);
        BlockCache cache = new BlockCache(1 << 20);
        Table table = open(vfs, info, cache);
        table.get(utf8("k000"));
        table.get(utf8("k059"));
        assertThat(cache.size()).isEqualTo(2);
        table.markObsolete();
        table.release();
        assertThat(vfs.exists(table.path())).isFalse();
        assertThat(cache.size()).isZero();
        assertThat(cache.get(7, 0)).isNull();
    }

    @Test
    void aCompactionsDeletedInputsCannotBeServedFromTheCacheAndGetsReadTheNewTables() {
        LsmStore.Options options = LsmStoreContractTest.small(Vfs.local()).withLevel0(50, 60)
                .withBlockCacheBytes(1 << 20);
        try (LsmStore store = LsmStore.open(home.resolve("db"), options)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    store.put(utf8(String.format("k%03d", i)), utf8("round " + round));
                }
                store.flush();
            }
            for (int i = 0; i < 50; i++) {
                assertThat(store.get(utf8(String.format("k%03d", i)))).isEqualTo(utf8("round 2"));
            }
            Map<String, Object> before = store.stats().details();
            assertThat((long) before.get("blockCacheBytes")).isPositive();
            assertThat((long) before.get("blockCacheMisses")).isPositive();
            store.compact(); // every table so far replaced and deleted
            assertThat((long) store.stats().detail("blockCacheBytes")).as("the inputs' blocks are gone").isZero();
            long misses = (long) store.stats().detail("blockCacheMisses");
            assertThat(store.get(utf8("k007"))).isEqualTo(utf8("round 2"));
            assertThat(store.get(utf8("k007"))).isEqualTo(utf8("round 2"));
            Map<String, Object> after = store.stats().details();
            assertThat((long) after.get("blockCacheMisses")).isEqualTo(misses + 1);
            assertThat((long) after.get("blockCacheHits")).isEqualTo((long) before.get("blockCacheHits") + 1);
        }
    }

    @Test
    void withTheCacheOffEveryGetReadsItsBlock() {
        LsmStore.Options options = LsmStoreContractTest.small(Vfs.local()).withBlockCacheBytes(0);
        try (LsmStore store = LsmStore.open(home.resolve("db"), options)) {
            store.put(utf8("k"), utf8("v"));
            store.flush();
            for (int i = 0; i < 3; i++) {
                assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
            }
            assertThat((long) store.stats().detail("tableProbes")).isEqualTo(3);
            assertThat((long) store.stats().detail("blockCacheHits")).isZero();
            assertThat((long) store.stats().detail("blockCacheBytes")).isZero();
        }
    }

    @Test
    void manyThreadsReadThroughATinyCacheBesideCompactionsAndEveryGetIsRight() throws Exception {
        // 600 bytes of cache for blocks of about 256: nearly every get evicts, while compactions
        // replace the tables (and evict theirs) underneath. The values never change after loading,
        // so any wrong or missing value is the cache's fault.
        LsmStore.Options options = LsmStoreContractTest.small(Vfs.local()).withBlockCacheBytes(600);
        try (LsmStore store = LsmStore.open(home.resolve("db"), options)) {
            for (int i = 0; i < 400; i++) {
                store.put(utf8(String.format("k%04d", i)), utf8("value " + i));
            }
            ExecutorService threads = Executors.newFixedThreadPool(5);
            try {
                List<Future<?>> running = new ArrayList<>();
                running.add(threads.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        store.put(utf8("churn"), utf8("round " + round)); // a new table each round, then a merge
                        store.compact();
                    }
                }));
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    running.add(threads.submit(() -> {
                        java.util.Random random = new java.util.Random(seed);
                        for (int n = 0; n < 3000; n++) {
                            int i = random.nextInt(400);
                            assertThat(store.get(utf8(String.format("k%04d", i)))).isEqualTo(utf8("value " + i));
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get(5, TimeUnit.MINUTES); // a watchdog against a hang, not a timing claim
                }
            } finally {
                threads.shutdownNow();
            }
            Map<String, Object> details = store.stats().details();
            assertThat((long) details.get("blockCacheHits") + (long) details.get("blockCacheMisses")).isPositive();
            assertThat((long) details.get("blockCacheBytes")).isBetween(0L, 600L);
        }
    }
}
