package dev.kvbook.lsm;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Step 6's own claims: snapshots, Bloom-filtered gets, background work, the provider's verify and inspect. */
class LsmStoreTest {

    @TempDir
    Path home;

    private LsmStore open(LsmStore.Options options) {
        return LsmStore.open(home.resolve("db"), options);
    }

    @Test
    void anIteratorReadsASnapshotWhileWritesFlushesAndCompactionsGoOn() {
        try (LsmStore store = open(LsmStoreContractTest.small(Vfs.local()))) {
            for (int i = 0; i < 100; i++) {
                store.put(utf8(String.format("k%03d", i)), utf8("before"));
            }
            try (CloseableIterator<Entry> snapshot = store.iterator()) {
                for (int i = 0; i < 100; i++) {
                    if (i % 2 == 0) {
                        store.delete(utf8(String.format("k%03d", i)));
                    } else {
                        store.put(utf8(String.format("k%03d", i)), utf8("after"));
                    }
                }
                store.put(utf8("new"), utf8("after"));
                store.compact();
                List<Entry> seen = new ArrayList<>();
                snapshot.forEachRemaining(seen::add);
                assertThat(seen).hasSize(100).allSatisfy(e -> assertThat(e.value()).isEqualTo(utf8("before")));
            }
            assertThat(store.size()).isEqualTo(51);
            assertThat(store.get(utf8("k001"))).isEqualTo(utf8("after"));
            assertThat(store.get(utf8("k000"))).isNull();
        }
    }

    @Test
    void getsOfAbsentKeysAreMostlyAnsweredByTheBloomFiltersWithoutReadingABlock() {
        LsmStore.Options manyTables = LsmStoreContractTest.small(Vfs.local()).withLevel0(50, 60);
        try (LsmStore store = open(manyTables)) {
            for (int i = 0; i < 400; i++) {
                store.put(utf8(String.format("key-%04d", i)), utf8("v".repeat(20)));
            }
            long tables = ((Number) store.stats().detail("tables")).longValue();
            assertThat(tables).as("level-0 tables, all overlapping 'key-...'").isGreaterThan(5);
            for (int i = 0; i < 400; i++) {
                store.get(utf8(String.format("key-%04dx", i)));
            }
            Map<String, Object> details = store.stats().details();
            long probes = (long) details.get("tableProbes");
            long skips = (long) details.get("bloomSkips");
            System.out.println("step6 absent gets over " + tables + " tables: " + skips + " probes skipped by Bloom filters, "
                    + probes + " block reads");
            assertThat(skips).isGreaterThan(10 * probes);
        }
    }

    @Test
    void backgroundFlushesAndCompactionsKeepEveryWrite() {
        LsmStore.Options background = LsmStoreContractTest.small(Vfs.local()).withBackgroundCompaction(true)
                .withSyncEveryWrite(false);
        try (LsmStore store = open(background)) {
            for (int i = 0; i < 1500; i++) {
                store.put(utf8(String.format("k%05d", i % 500)), utf8("value " + i));
            }
            for (int i = 0; i < 500; i += 3) {
                store.delete(utf8(String.format("k%05d", i)));
            }
            assertThat((long) store.stats().detail("flushes")).isPositive();
        }
        assertThat(new LsmStoreProvider().verify(home.resolve("db"), Vfs.local()).problems()).isEmpty();
        try (LsmStore store = open(LsmStoreContractTest.small(Vfs.local()))) {
            assertThat(store.size()).isEqualTo(333);
            assertThat(store.get(utf8("k00001"))).isEqualTo(utf8("value 1001"));
            assertThat(store.get(utf8("k00003"))).isNull();
        }
    }

    @Test
    void afterAFailedFsyncTheStoreRefusesWritesButStillReads() {
        CrashSimVfs disk = new CrashSimVfs();
        disk.createDirectories(Path.of("/d"));
        FaultyVfs faulty = new FaultyVfs(disk);
        try (LsmStore store = LsmStore.open(Path.of("/d/db"), LsmStoreContractTest.small(faulty))) {
            store.put(utf8("kept"), utf8("1"));
            faulty.failAt(2, FaultyVfs.Mode.FAIL_ONCE); // the next put's fsync (its write is call 1)
            assertThatThrownBy(() -> store.put(utf8("lost"), utf8("2"))).isInstanceOf(StoreFailedException.class);
            assertThatThrownBy(() -> store.put(utf8("later"), utf8("3"))).isInstanceOf(StoreFailedException.class);
            assertThat(store.get(utf8("kept"))).isEqualTo(utf8("1"));
        } catch (StoreFailedException closeReportsIt) {
            // close may report the failure too
        }
    }

    @Test
    void verifyFindsADamagedTableAndInspectDrawsTheLevels() {
        Path db = home.resolve("db");
        try (LsmStore store = open(LsmStoreContractTest.small(Vfs.local()))) {
            for (int i = 0; i < 200; i++) {
                store.put(utf8(String.format("k%03d", i)), utf8("value " + i));
            }
            store.compact();
        }
        Inspection inspection = Stores.provider("step6").inspect(db, Vfs.local());
        assertThat(inspection.text()).contains("level 1").contains(".sst").contains("CURRENT -> MANIFEST-");
        assertThat(inspection.mermaid()).startsWith("flowchart TB").contains("subgraph L1");
        assertThat(Stores.provider("step6").verify(db, Vfs.local()).isClean()).isTrue();
        assertThat(Stores.provider("step6").recognizes(db, Vfs.local())).isTrue();
        assertThat(Stores.provider("step2").recognizes(db, Vfs.local())).isFalse();

        Path table = firstTable(db);
        byte[] bytes = read(table);
        bytes[20] ^= 1;
        write(table, bytes);
        VerifyReport report = Stores.provider("step6").verify(db, Vfs.local());
        assertThat(report.problems()).hasSize(1).first().asString().contains(table.getFileName().toString())
                .contains("CRC32C");
    }

    @Test
    void theProviderOffersFlushAndCompact() {
        try (KeyValueStore store = Stores.open("step6", home.resolve("db"))) {
            store.put(utf8("a"), utf8("1"));
            assertThat(Stores.provider("step6").maintenanceOperations()).containsExactly("flush", "compact");
            assertThat(Stores.provider("step6").runMaintenance(store, "flush")).startsWith("flushed: L0: 1 tables");
            assertThat(Stores.provider("step6").runMaintenance(store, "compact")).startsWith("compacted: L1: 1 tables");
            assertThatThrownBy(() -> Stores.provider("step6").runMaintenance(store, "merge"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Path firstTable(Path db) {
        try (var files = java.nio.file.Files.list(db)) {
            return files.filter(p -> p.toString().endsWith(".sst")).sorted().findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
