package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What open makes of a log a crash, or damage, left behind: the torn-tail rule of LogFormat. */
// Pins the reference format (it damages bytes at the reference layout's field offsets): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class RecoveryTest {

    @TempDir
    Path dir;

    @Test
    void tornTailIsTruncatedOnOpenAtEveryByteLengthOfTheLastRecord() {
        Path log = dir.resolve("overwrite.log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            store.put(b("a"), b("first"));
            store.put(b("b"), b("2"));
            store.put(b("a"), b("second, the write the crash interrupts"));
        }
        checkEveryCutOfTheLastRecord(log, Map.of("a", "first", "b", "2"));
    }

    @Test
    void tornTombstoneIsTruncatedOnOpenAtEveryByteLength() {
        Path log = dir.resolve("delete.log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
            store.delete(b("a"));
        }
        checkEveryCutOfTheLastRecord(log, Map.of("a", "1", "b", "2"));
    }

    /** Cuts the file at every length inside its last record; each must open as the state before it. */
    private void checkEveryCutOfTheLastRecord(Path log, Map<String, String> before) {
        byte[] whole = TestLogs.read(log);
        List<LogRecord> records = TestLogs.records(log);
        long lastStart = records.get(records.size() - 1).offset();
        for (int cut = (int) lastStart; cut < whole.length; cut++) {
            TestLogs.write(log, Arrays.copyOf(whole, cut));
            try (AppendLogStore store = AppendLogStore.open(log)) {
                assertThat(TestLogs.contents(store)).as("state after a cut at %d", cut).isEqualTo(before);
                assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo(cut - lastStart);
            }
            assertThat(TestLogs.read(log)).as("file after a cut at %d", cut).isEqualTo(Arrays.copyOf(whole, (int) lastStart));
        }
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail() {
        for (int zeros : new int[] {1, 10, 11, 12, 100, 4096, 70_000}) {
            checkTailIsCutOff(new byte[zeros]);
        }
    }

    @Test
    void randomGarbageAfterTheLastRecordIsATornTail() {
        Random random = new Random(42);
        for (int length : new int[] {1, 5, 11, 50, 1000, 100_000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            checkTailIsCutOff(garbage);
        }
    }

    private void checkTailIsCutOff(byte[] tail) {
        Path log = dir.resolve("tail-" + tail.length + ".log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            store.put(b("a"), b("1"));
            store.put(b("b"), b("2"));
        }
        byte[] whole = TestLogs.read(log);
        byte[] withTail = Arrays.copyOf(whole, whole.length + tail.length);
        System.arraycopy(tail, 0, withTail, whole.length, tail.length);
        TestLogs.write(log, withTail);
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("a", "1", "b", "2"));
            assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo((long) tail.length);
            store.put(b("c"), b("3"));
        }
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
        }
    }

    @Test
    void tornTailTruncationIsSynced() {
        Path log = dir.resolve("synced.log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            store.put(b("a"), b("1"));
        }
        byte[] whole = TestLogs.read(log);
        TestLogs.write(log, Arrays.copyOf(whole, whole.length + 7));
        CountingVfs counting = new CountingVfs(Vfs.local());
        AppendLogStore.open(log, AppendLogStore.Options.defaults().withVfs(counting)).close();
        assertThat(counting.perFile().get(log).metadataOps()).as("the truncate").isEqualTo(1);
        assertThat(counting.perFile().get(log).syncs()).as("the truncate's fsync").isEqualTo(1);
    }

    @Test
    void openMakesTheWholeLogDurableBeforeAcceptingWrites() {
        Path log = dir.resolve("clean.log");
        AppendLogStore.open(log, AppendLogStore.Options.defaults().withSyncEveryWrite(false)).close();
        CountingVfs counting = new CountingVfs(Vfs.local());
        AppendLogStore.open(log, AppendLogStore.Options.defaults().withVfs(counting)).close();
        assertThat(counting.perFile().get(log).syncs())
                .as("a killed process may have left written, unsynced records in the page cache").isEqualTo(1);
    }

    @Test
    void badChecksumBeforeTailIsCorruption() {
        Path log = fiveRecords();
        LogRecord third = TestLogs.records(log).get(2);
        TestLogs.flipByte(log, third.end() - 1);
        byte[] damaged = TestLogs.read(log);
        assertThatThrownBy(() -> AppendLogStore.open(log))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("offset " + third.offset())
                .hasMessageContaining("checksum")
                .satisfies(e -> {
                    assertThat(((CorruptionException) e).file()).isEqualTo(log);
                    assertThat(((CorruptionException) e).offset()).isEqualTo(third.offset());
                });
        assertThat(TestLogs.read(log)).as("a refused open changes nothing").isEqualTo(damaged);
    }

    @Test
    void zeroedRecordBeforeTailIsCorruptionNotATornTail() {
        Path log = fiveRecords();
        LogRecord second = TestLogs.records(log).get(1);
        byte[] bytes = TestLogs.read(log);
        Arrays.fill(bytes, (int) second.offset(), (int) second.end(), (byte) 0);
        TestLogs.write(log, bytes);
        assertThatThrownBy(() -> AppendLogStore.open(log))
                .isInstanceOf(CorruptionException.class)
                .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(second.offset()));
    }

    @Test
    void damagedLengthBeforeTailIsCorruption() {
        Path log = fiveRecords();
        LogRecord second = TestLogs.records(log).get(1);
        byte[] bytes = TestLogs.read(log);
        ByteBuffer.wrap(bytes).putShort((int) second.offset() + LogFormat.KEY_LENGTH_AT, (short) 0xFFFF);
        TestLogs.write(log, bytes);
        assertThatThrownBy(() -> AppendLogStore.open(log))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("key length")
                .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(second.offset()));
    }

    @Test
    void repairOptionTruncatesAtTheFirstBadRecordInsteadOfRefusing() {
        Path log = fiveRecords();
        long size = TestLogs.read(log).length;
        LogRecord third = TestLogs.records(log).get(2);
        TestLogs.flipByte(log, third.end() - 1);
        try (AppendLogStore store = AppendLogStore.open(log, AppendLogStore.Options.defaults().withRepair(true))) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("k0", "v0", "k1", "v1"));
            assertThat(store.stats().detail("repairedBytesTruncated")).isEqualTo(size - third.offset());
            assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo(0L);
        }
        assertThat(TestLogs.read(log)).hasSize((int) third.offset());
        AppendLogStore.open(log).close(); // whole again: opens without repair
    }

    @Test
    void damageMadeWhileOpenIsCaughtByGet() {
        Path log = fiveRecords();
        LogRecord first = TestLogs.records(log).get(0);
        try (AppendLogStore store = AppendLogStore.open(log)) {
            TestLogs.flipByte(log, first.end() - 1);
            assertThatThrownBy(() -> store.get(b("k4")))
                    .isInstanceOf(CorruptionException.class)
                    .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(first.offset()));
            assertThatThrownBy(store::size).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void emptyFileIsANewLog() {
        Path log = dir.resolve("empty.log");
        TestLogs.write(log, new byte[0]);
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(store.size()).isZero();
            store.put(b("a"), b("1"));
        }
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(store.get(b("a"))).isEqualTo(b("1"));
        }
    }

    @Test
    void fileShorterThanAHeaderIsCorruption() {
        byte[] header = LogFormat.encodeFileHeader().array();
        for (int length = 1; length < LogFormat.FILE_HEADER_SIZE; length++) {
            Path log = dir.resolve("short-" + length + ".log");
            TestLogs.write(log, Arrays.copyOf(header, length));
            assertThatThrownBy(() -> AppendLogStore.open(log))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("file header");
            assertThat(TestLogs.read(log)).hasSize(length);
        }
    }

    @Test
    void foreignFileIsRefusedAndLeftAlone() {
        Path log = dir.resolve("notes.txt");
        byte[] notes = b("shopping list: milk, eggs, more eggs");
        TestLogs.write(log, notes);
        assertThatThrownBy(() -> AppendLogStore.open(log))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("magic");
        assertThat(TestLogs.read(log)).isEqualTo(notes);
    }

    @Test
    void refusedOpenReleasesTheLock() {
        Path log = dir.resolve("notes.txt");
        TestLogs.write(log, b("not a log at all"));
        assertThatThrownBy(() -> AppendLogStore.open(log)).isInstanceOf(CorruptionException.class);
        TestLogs.write(log, new byte[0]);
        AppendLogStore.open(log).close();
    }

    /** A closed log of k0=v0 ... k4=v4, one record each. */
    private Path fiveRecords() {
        Path log = dir.resolve("five.log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            for (int i = 0; i < 5; i++) {
                store.put(b("k" + i), b("v" + i));
            }
        }
        return log;
    }
}
