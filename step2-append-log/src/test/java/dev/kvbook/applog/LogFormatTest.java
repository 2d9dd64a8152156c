package dev.kvbook.applog;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Limits;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The format pinned down: golden file, Javadoc example, field limits, frozen codes and flag.
 *
 * <p>The {@code step2.encode-record} tests compare {@link LogFormat#encodeRecord} with the golden
 * bytes; the {@code step2.check-header} tests hand {@link LogFormat.RecordHeader#check} headers made
 * by hand, good and bad. What needs the store or the reader as a whole (writing the golden file,
 * reading it back) carries no lab's tag.
 */
// Pins the reference format (it pins the reference's bytes: golden file, field offsets, frozen codes): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class LogFormatTest {

    private static final String GOLDEN = "three-writes.log";

    @TempDir
    Path dir;

    @Test
    void storeWritesTheGoldenFileByteForByte() {
        Path log = dir.resolve("three-writes.log");
        try (AppendLogStore store = AppendLogStore.open(log)) {
            store.put(b("cat"), b("meow"));
            store.put(b("dog"), b("woof"));
            store.delete(b("cat"));
        }
        GoldenFiles.assertMatches(GOLDEN, TestLogs.read(log));
    }

    @Test
    void javadocWorkedExampleIsTheGoldenFile() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/kvbook/applog/LogFormat.java"));
        Matcher line = Pattern.compile("(?m)^ \\* ([0-9A-F]{4})  ((?:[0-9A-F]{2} )*[0-9A-F]{2})$").matcher(source);
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        while (line.find()) {
            assertThat(Integer.parseInt(line.group(1), 16)).as("dump line offset").isEqualTo(dump.size());
            dump.writeBytes(HexFormat.ofDelimiter(" ").parseHex(line.group(2)));
        }
        assertThat(dump.toByteArray()).isEqualTo(GoldenFiles.read(GOLDEN));
    }

    @Test
    void goldenFileOpensAsTheStateItRecords() {
        Path log = dir.resolve("golden.log");
        TestLogs.write(log, GoldenFiles.read(GOLDEN));
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(store.get(b("dog"))).isEqualTo(b("woof"));
            assertThat(store.get(b("cat"))).isNull();
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.stats().garbageBytes()).as("superseded PUT cat + its tombstone").isEqualTo(18 + 14);
        }
        assertThat(TestLogs.read(log)).as("opening a clean log changes nothing").isEqualTo(GoldenFiles.read(GOLDEN));
    }

    @Test
    void goldenFileIsRepinnedWithEveryRecordFlaggedSyncedBefore() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        assertThat(golden).hasSize(58);
        assertThat(new byte[] {golden[8 + LogFormat.TYPE_AT], golden[26 + LogFormat.TYPE_AT], golden[44 + LogFormat.TYPE_AT]})
                .as("type bytes: PUT, PUT, TOMBSTONE, each with the 0x80 flag of a durable-mode write")
                .containsExactly(0x81, 0x81, 0x82);
        Path log = dir.resolve("golden.log");
        TestLogs.write(log, golden);
        assertThat(TestLogs.records(log))
                .allSatisfy(r -> assertThat(r.syncedBefore()).isTrue())
                .extracting(LogRecord::type).containsExactly(LogFormat.TYPE_PUT, LogFormat.TYPE_PUT, LogFormat.TYPE_TOMBSTONE);
    }

    @Tag("lab:step2.encode-record")
    @Test
    void encodedRecordHasTheDocumentedLayout() {
        ByteBuffer record = LogFormat.encodeRecord(LogFormat.TYPE_PUT, true, b("cat"), b("meow"));
        byte[] golden = GoldenFiles.read(GOLDEN);
        assertThat(record.remaining()).isEqualTo(4 + 1 + 2 + 4 + 3 + 4);
        byte[] bytes = new byte[record.remaining()];
        record.get(bytes);
        assertThat(bytes).isEqualTo(Arrays.copyOfRange(golden, 8, 26));
        assertThat(LogFormat.encodeFileHeader().array()).isEqualTo(Arrays.copyOfRange(golden, 0, 8));
    }

    @Tag("lab:step2.encode-record")
    @Test
    void encodingTheThreeWritesOfTheWorkedExampleGivesTheGoldenRecords() {
        ByteBuffer records = ByteBuffer.allocate(50)
                .put(LogFormat.encodeRecord(LogFormat.TYPE_PUT, true, b("cat"), b("meow")))
                .put(LogFormat.encodeRecord(LogFormat.TYPE_PUT, true, b("dog"), b("woof")))
                .put(LogFormat.encodeRecord(LogFormat.TYPE_TOMBSTONE, true, b("cat"), new byte[0]));
        assertThat(records.hasRemaining()).as("18 + 18 + 14 bytes").isFalse();
        assertThat(records.array()).isEqualTo(Arrays.copyOfRange(GoldenFiles.read(GOLDEN), 8, 58));
    }

    @Tag("lab:step2.encode-record")
    @Test
    void theChecksumCoversEveryByteAfterItAndTheBoundaryLengthsFit() {
        byte[] key = new byte[Limits.MAX_KEY_SIZE];
        Arrays.fill(key, (byte) 0xFF);
        ByteBuffer record = LogFormat.encodeRecord(LogFormat.TYPE_PUT, false, key, new byte[0]);
        assertThat(record.remaining()).isEqualTo(11 + Limits.MAX_KEY_SIZE);
        assertThat(record.get(LogFormat.TYPE_AT)).isEqualTo(LogFormat.TYPE_PUT);
        assertThat(Short.toUnsignedInt(record.getShort(LogFormat.KEY_LENGTH_AT))).isEqualTo(Limits.MAX_KEY_SIZE);
        assertThat(record.getInt(LogFormat.VALUE_LENGTH_AT)).isZero();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(record.duplicate().position(LogFormat.TYPE_AT));
        assertThat(record.getInt(LogFormat.CRC_AT)).as("CRC32C of bytes 4 to the end").isEqualTo((int) crc.getValue());
        assertThat(record.position()).as("ready to be written").isZero();
    }

    @Tag("lab:step2.encode-record")
    @Test
    void theFlagIsTheHighBitOfTheTypeByteAndCoveredByTheChecksum() {
        ByteBuffer flagged = LogFormat.encodeRecord(LogFormat.TYPE_TOMBSTONE, true, b("k"), new byte[0]);
        ByteBuffer plain = LogFormat.encodeRecord(LogFormat.TYPE_TOMBSTONE, false, b("k"), new byte[0]);
        assertThat(flagged.get(LogFormat.TYPE_AT)).isEqualTo((byte) 0x82);
        assertThat(plain.get(LogFormat.TYPE_AT)).isEqualTo((byte) 0x02);
        assertThat(flagged.getInt(LogFormat.CRC_AT)).as("the flag is covered by the CRC").isNotEqualTo(plain.getInt(LogFormat.CRC_AT));
        assertThat(flagged.duplicate().position(LogFormat.KEY_LENGTH_AT)).as("and changes nothing else")
                .isEqualTo(plain.duplicate().position(LogFormat.KEY_LENGTH_AT));
        assertThat(LogFormat.typeCode((byte) 0x82)).isEqualTo(LogFormat.TYPE_TOMBSTONE);
        assertThat(LogFormat.isSyncedBefore((byte) 0x82)).isTrue();
        assertThat(LogFormat.isSyncedBefore((byte) 0x02)).isFalse();
    }

    @Test
    void typeNameShowsTheFlagApartFromTheType() {
        assertThat(LogFormat.typeName(LogFormat.TYPE_PUT)).isEqualTo("PUT");
        assertThat(LogFormat.typeName((byte) 0x81)).isEqualTo("PUT (after fsync)");
        assertThat(LogFormat.typeName((byte) 0x82)).isEqualTo("TOMBSTONE (after fsync)");
        assertThat(LogFormat.typeName((byte) 0x80)).as("the flag alone is no type").isEqualTo("unknown type byte 0x80");
        assertThat(LogFormat.typeName((byte) 0x05)).isEqualTo("unknown type byte 0x05");
    }

    @Test
    void typeCodesAndSizesAreFrozen() {
        assertThat(LogFormat.TYPE_PUT).isEqualTo((byte) 1);
        assertThat(LogFormat.TYPE_TOMBSTONE).isEqualTo((byte) 2);
        assertThat(LogFormat.SYNCED_BEFORE).isEqualTo(0x80);
        assertThat(LogFormat.TYPE_CODE_MASK).isEqualTo(0x7F);
        assertThat(LogFormat.MAGIC).isEqualTo(0x4B564C47);
        assertThat(LogFormat.VERSION_CURRENT).isEqualTo(1);
        assertThat(LogFormat.FILE_HEADER_SIZE).isEqualTo(8);
        assertThat(LogFormat.RECORD_HEADER_SIZE).isEqualTo(11);
        assertThat(LogFormat.recordSize(3, 4)).isEqualTo(18);
    }

    /** The header of a record made by hand: type byte, key length, value length (no key or value bytes follow). */
    private static LogFormat.RecordHeader header(int typeByte, int keyLength, long valueLength) {
        ByteBuffer bytes = ByteBuffer.allocate(LogFormat.RECORD_HEADER_SIZE)
                .putInt(0x12345678).put((byte) typeByte).putShort((short) keyLength).putInt((int) valueLength);
        return LogFormat.RecordHeader.read(bytes.flip());
    }

    @Tag("lab:step2.check-header")
    @Test
    void theHeadersOfTheGoldenRecordsPassTheCheckWithExactlyTheirRoomLeft() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        for (int at : new int[] {8, 26, 44}) {
            LogFormat.RecordHeader header = LogFormat.RecordHeader.read(ByteBuffer.wrap(golden).position(at));
            assertThat(header.check(golden.length - at)).as("record at %d", at).isNull();
        }
        assertThat(header(LogFormat.TYPE_PUT, Limits.MAX_KEY_SIZE, Limits.MAX_VALUE_SIZE)
                .check(LogFormat.recordSize(Limits.MAX_KEY_SIZE, Limits.MAX_VALUE_SIZE))).as("both lengths at the limit").isNull();
        assertThat(header(0x82, 0, 0).check(11)).as("a flagged tombstone of the empty key").isNull();
    }

    @Tag("lab:step2.check-header")
    @Test
    void zeroFilledSpaceIsNeverAValidRecord() {
        LogFormat.Damage damage = LogFormat.RecordHeader.read(ByteBuffer.allocate(1000)).check(1000);
        assertThat(damage).isNotNull();
        assertThat(damage.what()).isEqualTo("record type");
    }

    @Tag("lab:step2.check-header")
    @Test
    void aTypeCodeThatIsNoTypeIsDamage() {
        for (int typeByte : new int[] {0x00, 0x03, 0x7F, 0x80, 0x83}) {
            LogFormat.Damage damage = header(typeByte, 1, 1).check(100);
            assertThat(damage).as("type byte 0x%02x", typeByte).isNotNull();
            assertThat(damage.describe()).as("type byte 0x%02x", typeByte)
                    .startsWith("record type: expected 1 (PUT) or 2 (TOMBSTONE) but found ");
        }
    }

    @Tag("lab:step2.check-header")
    @Test
    void aKeyLengthOverTheLimitIsDamage() {
        assertThat(header(LogFormat.TYPE_PUT, Limits.MAX_KEY_SIZE + 1, 0).check(1 << 20).describe())
                .isEqualTo("key length: expected at most " + Limits.MAX_KEY_SIZE + " but found " + (Limits.MAX_KEY_SIZE + 1));
    }

    @Tag("lab:step2.check-header")
    @Test
    void damagedLengthIsABadRecordNotAHugeAllocation() {
        LogFormat.Damage damage = header(LogFormat.TYPE_PUT, 3, 0xFFFF_FFF0L).check(Long.MAX_VALUE);
        assertThat(damage.what()).isEqualTo("value length");
        assertThat(damage.describe()).contains("at most " + Limits.MAX_VALUE_SIZE).contains("4294967280");
    }

    @Tag("lab:step2.check-header")
    @Test
    void aTombstoneCarryingAValueIsDamage() {
        assertThat(header(LogFormat.TYPE_TOMBSTONE, 1, 5).check(100).describe())
                .isEqualTo("tombstone value length: expected 0 but found 5");
        assertThat(header(0x82, 1, 5).check(100).what()).as("flagged").isEqualTo("tombstone value length");
    }

    @Tag("lab:step2.check-header")
    @Test
    void aRecordLongerThanTheBytesLeftIsDamage() {
        LogFormat.RecordHeader cat = header(0x81, 3, 4); // 18 bytes
        assertThat(cat.check(18)).isNull();
        LogFormat.Damage damage = cat.check(17);
        assertThat(damage.what()).isEqualTo("record size");
        assertThat(damage.describe()).contains("17 bytes left").contains("18 bytes");
    }

    @Tag("lab:step2.encode-record")
    @Test
    void encodeRejectsWhatTheFormatCannotHold() {
        assertThatThrownBy(() -> LogFormat.encodeRecord(LogFormat.TYPE_PUT, false, new byte[Limits.MAX_KEY_SIZE + 1], b("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> LogFormat.encodeRecord(LogFormat.TYPE_TOMBSTONE, false, b("k"), b("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> LogFormat.encodeRecord((byte) 0, false, b("k"), b("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown record type");
        assertThatThrownBy(() -> LogFormat.encodeRecord((byte) 0x81, false, b("k"), b("v")))
                .as("the flag is an argument of its own, never part of a type code")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown record type");
    }

    @Test
    void wrongMagicIsReportedAsActualAgainstExpected() {
        Path log = dir.resolve("foreign.log");
        TestLogs.write(log, b("PK\u0003\u0004 a zip file, not a log"));
        try (VfsFile file = Vfs.local().open(log, false)) {
            assertThatThrownBy(() -> LogFormat.checkFileHeader(file, log))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("magic").hasMessageContaining("0x4B564C47").hasMessageContaining("0x504B0304")
                    .satisfies(e -> assertThat(((CorruptionException) e).file()).isEqualTo(log));
        }
    }

    @Test
    void wrongVersionIsReportedAsActualAgainstExpected() {
        byte[] golden = GoldenFiles.read(GOLDEN);
        ByteBuffer.wrap(golden).putInt(4, 7);
        Path log = dir.resolve("future.log");
        TestLogs.write(log, golden);
        try (VfsFile file = Vfs.local().open(log, false)) {
            assertThatThrownBy(() -> LogFormat.checkFileHeader(file, log))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("version: expected 1 but found 7")
                    .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(4));
        }
    }
}
