package dev.kvbook.applog;

import dev.kvbook.applog.LogFormat.Damage;
import dev.kvbook.applog.LogFormat.RecordHeader;
import dev.kvbook.testkit.GoldenFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.kvbook.applog.TestLogs.handMade;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's CRC32C checked on its own ({@link LogReader#checksumDamage}), on records made by hand
 * and on the golden file's: a right checksum passes, and any change to the bytes it covers, or to
 * the checksum itself, is reported with the stored and the computed value.
 */
@Tag("lab:step2.checksum")
// Pins the reference format (it computes checksums over the reference layout): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class RecordChecksumTest {

    /** The checksum verdict on {@code record}, read as the reader reads it: header first, then the bytes. */
    static Damage checksumDamage(byte[] record) {
        ByteBuffer bytes = ByteBuffer.wrap(record);
        return LogReader.checksumDamage(RecordHeader.read(bytes), bytes);
    }

    @Test
    void theRecordsOfTheGoldenFileHaveTheirChecksums() {
        byte[] golden = GoldenFiles.read("three-writes.log");
        for (int[] record : new int[][] {{8, 26}, {26, 44}, {44, 58}}) {
            assertThat(checksumDamage(Arrays.copyOfRange(golden, record[0], record[1]))).as("record at %d", record[0]).isNull();
        }
    }

    @Test
    void aRecordMadeByHandHasItsChecksumWithOrWithoutTheFlag() {
        assertThat(checksumDamage(handMade(0x01, "key", "value"))).isNull();
        assertThat(checksumDamage(handMade(0x81, "key", "value"))).isNull();
        assertThat(checksumDamage(handMade(0x02, "", ""))).as("the smallest record, 11 bytes").isNull();
        assertThat(checksumDamage(handMade(0x01, "k", "v".repeat(100_000)))).as("larger than a read window").isNull();
    }

    /** Not the length fields: changing those changes which bytes the checksum covers (check-header's business). */
    @Test
    void everyFlippedBitInTheTypeTheKeyTheValueOrTheChecksumIsDamage() {
        byte[] record = handMade(0x81, "cat", "meow");
        for (int at = 0; at < record.length; at++) {
            if (at >= LogFormat.KEY_LENGTH_AT && at < LogFormat.RECORD_HEADER_SIZE) {
                continue;
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = record.clone();
                damaged[at] ^= (byte) (1 << bit);
                Damage damage = checksumDamage(damaged);
                assertThat(damage).as("byte %d bit %d", at, bit).isNotNull();
                assertThat(damage.what()).isEqualTo("record checksum (CRC32C)");
            }
        }
    }

    @Test
    void theDamageSaysTheStoredAndTheComputedChecksum() {
        byte[] record = handMade(0x01, "cat", "meow");
        int stored = ByteBuffer.wrap(record).getInt(LogFormat.CRC_AT);
        record[record.length - 1] ^= 1;
        Damage damage = checksumDamage(record);
        assertThat(damage.describe())
                .contains(String.format("0x%08X as stored", stored))
                .contains("computed over the 14 bytes it covers")
                .doesNotContain(String.format("0x%08X computed", stored));
    }

    @Test
    void onlyTheRecordsOwnBytesCountNotWhatFollowsIt() {
        byte[] record = handMade(0x01, "k", "v");
        byte[] withMore = Arrays.copyOf(record, record.length + 100);
        Arrays.fill(withMore, record.length, withMore.length, (byte) 0x5A);
        assertThat(checksumDamage(withMore)).isNull();
    }
}
