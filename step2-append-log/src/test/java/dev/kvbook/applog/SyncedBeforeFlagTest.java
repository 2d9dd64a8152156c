package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SYNCED_BEFORE flag of LogFormat invariant 7: which records the store flags, and how open
 * uses the flag to tell a power loss that reordered unsynced writes from damage.
 */
class SyncedBeforeFlagTest {

    private static final AppendLogStore.Options SYNC_ONLY = AppendLogStore.Options.defaults().withSyncEveryWrite(false);

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("store.log");
    }

    @Test
    void withSyncEveryWriteEveryRecordIsFlagged() {
        try (AppendLogStore store = AppendLogStore.open(log())) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.delete(b("a"));
        }
        assertThat(flags()).containsExactly(true, true, true);
    }

    @Test
    void withoutSyncEveryWriteExactlyTheFirstRecordAfterEachFsyncIsFlagged() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("a"), b("1"));   // first after open, which fsyncs the log: flagged
            store.put(b("b"), b("2"));
            store.put(b("c"), b("3"));
            store.sync();
            store.put(b("d"), b("4"));   // first after the sync: flagged
            store.delete(b("a"));
            store.sync();
            store.sync();                // nothing to sync: no fsync, and nothing changes
        }
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("e"), b("5"));   // first after open: flagged
            store.put(b("f"), b("6"));
        }
        assertThat(flags()).containsExactly(true, false, false, true, false, true, false);
    }

    @Test
    void compactionFlagsEveryRecordItWritesAndTheStoreGoesOnFromThere() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            for (int i = 0; i < 10; i++) {
                store.put(b("k" + i % 4), b("v" + i));
            }
            store.compact();
            assertThat(flags()).as("the compacted log was fsynced whole before its rename")
                    .containsExactly(true, true, true, true);
            store.put(b("after"), b("1"));
            store.put(b("after"), b("2"));
        }
        assertThat(flags()).containsExactly(true, true, true, true, true, false);
    }

    @Test
    void inSyncOnlyModeALostEarlierWriteFollowedByAKeptLaterUnflaggedOneIsATornTail() {
        List<LogRecord> records = syncOnlyLogWithAnUnsyncedBatch();
        LogRecord lost = records.get(2);                   // "c": written after b, before any sync
        assertThat(records.subList(3, 5)).extracting(LogRecord::syncedBefore).containsOnly(false);
        for (boolean garbled : new boolean[] {false, true}) {
            byte[] whole = TestLogs.read(log());
            dropAsAPowerLossMay(lost, garbled);
            try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
                assertThat(TestLogs.contents(store)).as("the prefix before the lost write, garbled " + garbled)
                        .isEqualTo(Map.of("a", "1", "b", "2"));
                assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo(whole.length - lost.offset());
                store.put(b("z"), b("after"));
            }
            assertThat(flags()).as("a, b (first after the sync), z (first after recovery)").containsExactly(true, true, true);
            TestLogs.write(log(), whole);
        }
    }

    @Test
    void inSyncOnlyModeLosingTheFlaggedFirstRecordOfABatchIsATornTailToo() {
        List<LogRecord> records = syncOnlyLogWithAnUnsyncedBatch();
        LogRecord lost = records.get(1);                   // "b": the first write after the sync
        assertThat(lost.syncedBefore()).isTrue();
        dropAsAPowerLossMay(lost, false);
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("a", "1"));
        }
    }

    @Test
    void aBadRecordFollowedByAFlaggedValidRecordIsCorruption() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.sync();
            store.put(b("c"), b("3"));
            store.put(b("d"), b("4"));
        }
        List<LogRecord> records = TestLogs.records(log());
        LogRecord damaged = records.get(1);
        assertThat(damaged.syncedBefore()).isFalse();
        assertThat(records.get(2).syncedBefore()).isTrue();
        TestLogs.flipByte(log(), damaged.end() - 1);
        byte[] before = TestLogs.read(log());
        assertThatThrownBy(() -> AppendLogStore.open(log(), SYNC_ONLY))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("written after an fsync follows at offset " + records.get(2).offset())
                .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(damaged.offset()));
        assertThat(TestLogs.read(log())).as("a refused open changes nothing").isEqualTo(before);
    }

    /** The limit LogFormat states: with no flagged record after it, damage cannot be told from a crash. */
    @Test
    void damageToDurableRecordsWithNoFlaggedRecordAfterThemIsTakenForATornTail() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.put(b("c"), b("3"));
        } // close fsyncs b and c, but no later record carries the flag that would prove it
        LogRecord damaged = TestLogs.records(log()).get(1);
        TestLogs.flipByte(log(), damaged.end() - 1);
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("a", "1"));
        }
    }

    @Test
    void inspectShowsWhichRecordsWereWrittenRightAfterAnFsync() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
        }
        String text = new AppendLogStoreProvider().inspect(log(), Vfs.local()).text();
        assertThat(text).containsPattern("(?m)^ +8 +13 +PUT \\(after fsync\\) +\"a\" ")
                .containsPattern("(?m)^ +21 +13 +PUT +\"b\" ");
    }

    /**
     * Writes a=1, syncs, then b=2, c=3, d=4, e=5 without a sync, and closes the store. The tests
     * then edit the file into what a power loss just before the close could have left on disk.
     * Returns the five records.
     */
    private List<LogRecord> syncOnlyLogWithAnUnsyncedBatch() {
        try (AppendLogStore store = AppendLogStore.open(log(), SYNC_ONLY)) {
            store.put(b("a"), b("1"));
            store.sync();
            for (String key : new String[] {"b", "c", "d", "e"}) {
                store.put(b(key), b(Integer.toString(key.charAt(0) - 'a' + 1)));
            }
        }
        List<LogRecord> records = TestLogs.records(log());
        assertThat(records).extracting(LogRecord::syncedBefore).containsExactly(true, true, false, false, false);
        return records;
    }

    /**
     * Makes {@code record} look as a power loss may leave an unsynced write whose sectors never
     * reached the disk (zeros, in a file that grew past it) or reached it garbled, while the
     * writes after it did reach the disk.
     */
    private void dropAsAPowerLossMay(LogRecord record, boolean garbled) {
        byte[] bytes = TestLogs.read(log());
        byte[] lost = new byte[record.size()];
        if (garbled) {
            new Random(7).nextBytes(lost);
        }
        System.arraycopy(lost, 0, bytes, (int) record.offset(), lost.length);
        TestLogs.write(log(), bytes);
    }

    private List<Boolean> flags() {
        return TestLogs.records(log()).stream().map(LogRecord::syncedBefore).toList();
    }
}
