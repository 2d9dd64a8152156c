package dev.kvbook.applog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;

/** Compaction: the log rewritten with only live records, by temp file and rename. */
class CompactionTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("store.log");
    }

    /** Writes overwrites and deletes; returns the state they leave. */
    private Map<String, String> churn(AppendLogStore store) {
        Map<String, String> model = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 20; k++) {
                store.put(b("key" + k), b("round" + round + "-" + k));
                model.put("key" + k, "round" + round + "-" + k);
            }
        }
        for (int k = 0; k < 20; k += 4) {
            store.delete(b("key" + k));
            model.remove("key" + k);
        }
        return model;
    }

    @Test
    void compactionKeepsLiveKeysAndDropsGarbage() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            Map<String, String> model = churn(store);
            long before = store.stats().bytesOnDisk();
            long liveBytes = (long) store.stats().detail("liveBytes");
            store.compact();
            assertThat(TestLogs.contents(store)).isEqualTo(model);
            assertThat(store.stats().garbageBytes()).isZero();
            assertThat(store.stats().bytesOnDisk()).isEqualTo(LogFormat.FILE_HEADER_SIZE + liveBytes).isLessThan(before);
            assertThat(store.stats().detail("records")).isEqualTo((long) model.size());
            assertThat(store.stats().detail("tombstones")).isEqualTo(0L);
            assertThat(store.stats().detail("compactions")).isEqualTo(1L);
        }
    }

    @Test
    void compactionNeverResurrectsDeletedKeys() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            store.put(b("gone"), b("old"));
            store.put(b("kept"), b("1"));
            store.delete(b("gone"));
            store.compact();
            assertThat(store.get(b("gone"))).isNull();
        }
        try (AppendLogStore store = AppendLogStore.open(log())) {
            assertThat(store.get(b("gone"))).isNull();
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("kept", "1"));
        }
        assertThat(TestLogs.records(log())).extracting(r -> TestLogs.s(r.key())).containsExactly("kept");
    }

    @Test
    void compactionNeverBringsBackOldValues() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            store.put(b("k"), b("old"));
            store.put(b("k"), b("new"));
            store.compact();
        }
        assertThat(TestLogs.records(log())).extracting(r -> TestLogs.s(r.value())).containsExactly("new");
    }

    @Test
    void compactionLeavesNoTemporaryFileBehind() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            churn(store);
            store.compact();
        }
        assertThat(Files.exists(Compactor.tempPathOf(log()))).isFalse();
    }

    @Test
    void staleCompactionTempIsDeletedOnOpen() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            store.put(b("a"), b("1"));
        }
        Path temp = Compactor.tempPathOf(log());
        TestLogs.write(temp, b("half a compaction that a crash interrupted"));
        try (AppendLogStore store = AppendLogStore.open(log())) {
            assertThat(Files.exists(temp)).isFalse();
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("a", "1"));
        }
    }

    @Test
    void storeKeepsWritingAfterCompaction() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            Map<String, String> model = churn(store);
            store.compact();
            store.put(b("after"), b("compaction"));
            store.delete(b("key1"));
            model.put("after", "compaction");
            model.remove("key1");
            assertThat(TestLogs.contents(store)).isEqualTo(model);
        }
    }

    @Test
    void autoCompactionRunsOnceGarbagePassesTheThreshold() {
        AppendLogStore.Options options = AppendLogStore.Options.defaults().withSyncEveryWrite(false)
                .withAutoCompaction(0.5, 1024);
        try (AppendLogStore store = AppendLogStore.open(log(), options)) {
            for (int i = 0; i < 2000; i++) {
                store.put(b("counter"), b(Integer.toString(i)));
            }
            assertThat((long) store.stats().detail("compactions")).isPositive();
            assertThat(store.stats().bytesOnDisk()).as("bounded by the threshold, not 2000 records")
                    .isLessThan(4 * 1024);
            assertThat(store.get(b("counter"))).isEqualTo(b("1999"));
        }
    }

    @Test
    void autoCompactionWaitsForTheMinimumSize() {
        AppendLogStore.Options options = AppendLogStore.Options.defaults().withSyncEveryWrite(false)
                .withAutoCompaction(0.5, 1 << 20);
        try (AppendLogStore store = AppendLogStore.open(log(), options)) {
            for (int i = 0; i < 1000; i++) {
                store.put(b("counter"), b(Integer.toString(i)));
            }
            assertThat(store.stats().detail("compactions")).isEqualTo(0L);
        }
    }

    @Test
    void autoCompactionIsOffByDefault() {
        try (AppendLogStore store = AppendLogStore.open(log(),
                AppendLogStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int i = 0; i < 1000; i++) {
                store.put(b("counter"), b(Integer.toString(i)));
            }
            assertThat(store.stats().detail("compactions")).isEqualTo(0L);
            assertThat(store.stats().detail("records")).isEqualTo(1000L);
        }
    }
}
