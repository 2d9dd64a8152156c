package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LogWriter and LogReader on their own, as step 3 will use them. */
// Pins the reference format (it expects the offsets and messages of the reference layout): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class LogReaderWriterTest {

    @TempDir
    Path dir;

    private Path log;
    private VfsFile file;
    private LogWriter writer;

    @BeforeEach
    void newLog() {
        log = dir.resolve("segment.log");
        file = Vfs.local().open(log, true);
        file.write(0, LogFormat.encodeFileHeader());
        file.sync(); // a writer starts where the file is durable up to
        writer = new LogWriter(file, LogFormat.FILE_HEADER_SIZE);
    }

    @AfterEach
    void closeLog() {
        file.close();
    }

    @Test
    void writerReturnsTheOffsetAndSizeOfEachRecord() {
        LogWriter.Appended first = writer.append(LogFormat.TYPE_PUT, b("cat"), b("meow"));
        LogWriter.Appended second = writer.append(LogFormat.TYPE_TOMBSTONE, b("cat"), new byte[0]);
        assertThat(first).isEqualTo(new LogWriter.Appended(8, 18));
        assertThat(second).isEqualTo(new LogWriter.Appended(26, 14));
        assertThat(writer.end()).isEqualTo(40).isEqualTo(file.size());
    }

    @Test
    void readerReturnsRecordsInOrderAndEndsCleanly() {
        writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        writer.append(LogFormat.TYPE_PUT, b("b"), b("22"));
        writer.append(LogFormat.TYPE_TOMBSTONE, b("a"), new byte[0]);
        LogReader reader = reader(LogFormat.FILE_HEADER_SIZE, true);
        List<String> seen = new ArrayList<>();
        for (LogRecord r = reader.next(); r != null; r = reader.next()) {
            seen.add(r.offset() + " " + LogFormat.typeName(r.type()) + " " + TestLogs.s(r.key()) + "=" + TestLogs.s(r.value()));
        }
        assertThat(seen).containsExactly("8 PUT a=1", "21 PUT b=22", "35 TOMBSTONE a=");
        assertThat(reader.stop()).isEqualTo(LogReader.Stop.CLEAN_END);
        assertThat(reader.validEnd()).isEqualTo(writer.end());
        assertThat(reader.damage()).isNull();
    }

    @Test
    void readerCanStartAtAnyRecordOffset() {
        writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        LogWriter.Appended second = writer.append(LogFormat.TYPE_PUT, b("b"), b("2"));
        LogRecord record = reader(second.offset(), true).next();
        assertThat(record.key()).isEqualTo(b("b"));
        assertThat(record.size()).isEqualTo(second.size());
    }

    @Test
    void readingWithoutValuesStillChecksEveryChecksum() {
        appendSynced(LogFormat.TYPE_PUT, "a", "value one");
        LogWriter.Appended second = appendSynced(LogFormat.TYPE_PUT, "b", "value two");
        appendSynced(LogFormat.TYPE_PUT, "c", "value three");
        damage(second.offset() + second.size() - 1); // last byte of b's value
        LogReader reader = reader(LogFormat.FILE_HEADER_SIZE, false);
        LogRecord first = reader.next();
        assertThat(first.value()).isNull();
        assertThat(first.valueLength()).isEqualTo(9);
        assertThat(reader.next()).isNull();
        assertThat(reader.stop()).isEqualTo(LogReader.Stop.CORRUPTION);
        assertThat(reader.damageOffset()).isEqualTo(second.offset());
        assertThat(reader.damage()).hasMessageContaining("checksum");
    }

    @Test
    void readerStopsAtATornTailAndSaysWhereValidDataEnds() {
        writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        LogWriter.Appended last = writer.append(LogFormat.TYPE_PUT, b("b"), b("2"));
        file.truncate(last.offset() + 5);
        LogReader reader = new LogReader(file, log, LogFormat.FILE_HEADER_SIZE, file.size(), true);
        assertThat(reader.next()).isNotNull();
        assertThat(reader.next()).isNull();
        assertThat(reader.stop()).isEqualTo(LogReader.Stop.TORN_TAIL);
        assertThat(reader.validEnd()).isEqualTo(last.offset());
        assertThat(reader.nextSyncedRecordOffset()).isEqualTo(-1);
        assertThat(reader.damage().offset()).isEqualTo(last.offset());
    }

    @Test
    void readerReportsCorruptionAndWhereTheFlaggedRecordAfterItIs() {
        LogWriter.Appended first = appendSynced(LogFormat.TYPE_PUT, "a", "1");
        LogWriter.Appended second = appendSynced(LogFormat.TYPE_PUT, "b", "2");
        damage(first.offset() + LogFormat.TYPE_AT);
        LogReader reader = reader(LogFormat.FILE_HEADER_SIZE, true);
        assertThat(reader.next()).isNull();
        assertThat(reader.stop()).isEqualTo(LogReader.Stop.CORRUPTION);
        assertThat(reader.damageOffset()).isEqualTo(first.offset());
        assertThat(reader.nextSyncedRecordOffset()).isEqualTo(second.offset());
        assertThat(reader.damage()).hasMessageContaining("record type")
                .hasMessageContaining("a valid record written after an fsync follows at offset " + second.offset());
    }

    @Test
    void writerFlagsARecordExactlyWhenNothingWasWrittenSinceTheLastSync() {
        writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        writer.append(LogFormat.TYPE_PUT, b("b"), b("2"));
        writer.append(LogFormat.TYPE_TOMBSTONE, b("a"), new byte[0]);
        assertThat(writer.hasUnsyncedRecords()).isTrue();
        writer.sync();
        assertThat(writer.hasUnsyncedRecords()).isFalse();
        writer.append(LogFormat.TYPE_PUT, b("c"), b("3"));
        writer.append(LogFormat.TYPE_PUT, b("d"), b("4"));
        assertThat(flags()).as("first after the start, first after the sync, nothing else")
                .containsExactly(true, false, false, true, false);
    }

    @Test
    void writerThatSyncsAfterEveryAppendFlagsEveryRecord() {
        for (int i = 0; i < 5; i++) {
            appendSynced(i % 2 == 0 ? LogFormat.TYPE_PUT : LogFormat.TYPE_TOMBSTONE, "k" + i, i % 2 == 0 ? "v" : "");
        }
        assertThat(flags()).containsExactly(true, true, true, true, true);
    }

    @Test
    void stagedWriterFlagsEveryRecord() {
        LogWriter staged = LogWriter.forStagedFile(file, LogFormat.FILE_HEADER_SIZE);
        staged.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        staged.append(LogFormat.TYPE_PUT, b("b"), b("2"));
        staged.append(LogFormat.TYPE_PUT, b("c"), b("3"));
        assertThat(staged.hasUnsyncedRecords()).as("staging ends with a sync the caller owes").isTrue();
        staged.sync();
        assertThat(TestLogs.records(log)).extracting(LogRecord::syncedBefore).containsExactly(true, true, true);
    }

    @Test
    void aFailedSyncFlagsNothing() {
        FailingVfs failing = new FailingVfs();
        Path other = dir.resolve("failing.log");
        try (VfsFile failingFile = failing.open(other, true)) {
            failingFile.write(0, LogFormat.encodeFileHeader());
            failingFile.sync();
            LogWriter w = new LogWriter(failingFile, LogFormat.FILE_HEADER_SIZE);
            w.append(LogFormat.TYPE_PUT, b("a"), b("1"));
            w.append(LogFormat.TYPE_PUT, b("b"), b("2"));
            failing.arm(FailingVfs.Op.SYNC);
            assertThatThrownBy(w::sync).isInstanceOf(java.io.UncheckedIOException.class);
            failing.disarm();
            assertThat(w.hasUnsyncedRecords()).as("a failed fsync made nothing durable").isTrue();
            w.append(LogFormat.TYPE_PUT, b("c"), b("3"));
        }
        assertThat(TestLogs.records(other)).extracting(LogRecord::syncedBefore).containsExactly(true, false, false);
    }

    @Test
    void readerTakesOnlyAFlaggedRecordAsProofOfCorruption() {
        writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        LogWriter.Appended lost = writer.append(LogFormat.TYPE_PUT, b("b"), b("2"));
        LogWriter.Appended kept = writer.append(LogFormat.TYPE_PUT, b("c"), b("3"));
        damage(lost.offset() + LogFormat.KEY_LENGTH_AT + 1);
        LogReader unflaggedAfter = reader(LogFormat.FILE_HEADER_SIZE, true);
        assertThat(unflaggedAfter.next().key()).isEqualTo(b("a"));
        assertThat(unflaggedAfter.next()).isNull();
        assertThat(unflaggedAfter.stop()).as("c is valid but unflagged: no proof").isEqualTo(LogReader.Stop.TORN_TAIL);
        assertThat(unflaggedAfter.validEnd()).isEqualTo(lost.offset());
        assertThat(unflaggedAfter.damage()).hasMessageContaining("no valid record written after an fsync follows it");

        writer.sync();
        LogWriter.Appended proof = writer.append(LogFormat.TYPE_PUT, b("d"), b("4"));
        LogReader flaggedAfter = reader(LogFormat.FILE_HEADER_SIZE, true);
        flaggedAfter.next();
        assertThat(flaggedAfter.next()).isNull();
        assertThat(flaggedAfter.stop()).isEqualTo(LogReader.Stop.CORRUPTION);
        assertThat(flaggedAfter.nextSyncedRecordOffset()).as("passing over c at " + kept.offset()).isEqualTo(proof.offset());
    }

    @Test
    void recordsLargerThanTheReadWindowAreReadWhole() {
        byte[] big = new byte[3 * ReadWindow.CAPACITY + 17];
        Arrays.fill(big, (byte) 'x');
        writer.append(LogFormat.TYPE_PUT, b("small"), b("1"));
        writer.append(LogFormat.TYPE_PUT, b("big"), big);
        writer.append(LogFormat.TYPE_PUT, b("after"), b("2"));
        LogReader reader = reader(LogFormat.FILE_HEADER_SIZE, true);
        assertThat(reader.next().key()).isEqualTo(b("small"));
        assertThat(reader.next().value()).isEqualTo(big);
        assertThat(reader.next().value()).isEqualTo(b("2"));
        assertThat(reader.next()).isNull();
        assertThat(reader.stop()).isEqualTo(LogReader.Stop.CLEAN_END);
    }

    @Test
    void readRecordAtReturnsTheRecordAnIndexPointsAt() {
        LogWriter.Appended first = writer.append(LogFormat.TYPE_PUT, b("a"), b("1"));
        LogWriter.Appended at = writer.append(LogFormat.TYPE_PUT, b("b"), b("two"));
        LogRecord record = LogReader.readRecordAt(file, log, at.offset(), at.size());
        assertThat(record.key()).isEqualTo(b("b"));
        assertThat(record.value()).isEqualTo(b("two"));
        assertThat(record.offset()).isEqualTo(at.offset());
        assertThat(record.type()).as("the type code, without the flag").isEqualTo(LogFormat.TYPE_PUT);
        assertThat(record.syncedBefore()).isFalse();
        LogRecord flagged = LogReader.readRecordAt(file, log, first.offset(), first.size());
        assertThat(flagged.type()).isEqualTo(LogFormat.TYPE_PUT);
        assertThat(flagged.syncedBefore()).isTrue();
        assertThat(flagged.toString()).isEqualTo("@8 PUT (after fsync) \"a\" (1-byte value)");
    }

    @Test
    void readRecordAtThrowsCorruptionForABadChecksum() {
        LogWriter.Appended at = writer.append(LogFormat.TYPE_PUT, b("b"), b("two"));
        damage(at.offset() + at.size() - 1);
        assertThatThrownBy(() -> LogReader.readRecordAt(file, log, at.offset(), at.size()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("checksum")
                .satisfies(e -> {
                    assertThat(((CorruptionException) e).file()).isEqualTo(log);
                    assertThat(((CorruptionException) e).offset()).isEqualTo(at.offset());
                });
    }

    @Test
    void readRecordAtThrowsCorruptionWhenTheRecordIsNotTheSizeExpected() {
        LogWriter.Appended at = writer.append(LogFormat.TYPE_PUT, b("b"), b("two"));
        writer.append(LogFormat.TYPE_PUT, b("c"), b("three"));
        assertThatThrownBy(() -> LogReader.readRecordAt(file, log, at.offset(), at.size() + 1))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("record size");
        assertThatThrownBy(() -> LogReader.readRecordAt(file, log, writer.end() - 3, 20))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("a file of " + writer.end() + " bytes");
    }

    /** Appends and fsyncs, as a store with {@code syncEveryWrite} does. */
    private LogWriter.Appended appendSynced(byte type, String key, String value) {
        LogWriter.Appended appended = writer.append(type, b(key), b(value));
        writer.sync();
        return appended;
    }

    /** The flag of each record in the log, in order. */
    private List<Boolean> flags() {
        return TestLogs.records(log).stream().map(LogRecord::syncedBefore).toList();
    }

    private LogReader reader(long from, boolean withValues) {
        return new LogReader(file, log, from, writer.end(), withValues);
    }

    private void damage(long offset) {
        ByteBuffer one = ByteBuffer.allocate(1);
        file.readFully(offset, one);
        file.write(offset, ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x5A)}));
    }
}
