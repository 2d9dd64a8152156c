package dev.kvbook.applog;

import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static dev.kvbook.applog.TestLogs.handMade;
import static dev.kvbook.applog.TestLogs.logOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search that tells damage from a torn tail (invariant 7 of {@link LogFormat}), on its own:
 * {@link LogReader#findSyncedRecordAfter} over logs made by hand. Only a whole, valid record with
 * the SYNCED_BEFORE flag proves that the bytes before it were durable; anything else after a bad
 * record proves nothing.
 */
@Tag("lab:step2.synced-after")
// Pins the reference format (it builds its logs from hand-made records in the reference layout): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class SyncedRecordSearchTest {

    static final Path LOG = Path.of("/logs/hand-made.log");
    static final int FIRST = LogFormat.FILE_HEADER_SIZE;

    /** Searches the log {@code bytes} for a flagged record after the bad one at {@code bad}. */
    static long search(byte[] bytes, long bad) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.putDurableFile(LOG, bytes);
        try (VfsFile file = vfs.open(LOG, false)) {
            return new LogReader(file, LOG, FIRST, bytes.length, true).findSyncedRecordAfter(bad);
        }
    }

    @Test
    void aFlaggedValidRecordAfterTheBadOneIsFoundAtItsOffset() {
        byte[] bad = new byte[20]; // zeros: what a power loss leaves of an unwritten record
        byte[] log = logOf(bad, handMade(0x81, "b", "2"));
        assertThat(search(log, FIRST)).isEqualTo(FIRST + bad.length);
    }

    @Test
    void validRecordsWithoutTheFlagArePassedOverForTheFirstFlaggedOne() {
        byte[] bad = handMade(0x01, "a", "1");
        bad[bad.length - 1] ^= 1;
        byte[] unflagged1 = handMade(0x01, "b", "2");
        byte[] unflagged2 = handMade(0x02, "b", "");
        byte[] flagged = handMade(0x81, "c", "3");
        byte[] log = logOf(bad, unflagged1, unflagged2, flagged, handMade(0x81, "d", "4"));
        assertThat(search(log, FIRST)).isEqualTo(FIRST + bad.length + unflagged1.length + unflagged2.length);
    }

    @Test
    void withOnlyUnflaggedRecordsAfterTheBadOneThereIsNoProof() {
        byte[] log = logOf(new byte[13], handMade(0x01, "b", "2"), handMade(0x02, "a", ""));
        assertThat(search(log, FIRST)).isEqualTo(-1);
    }

    @Test
    void zerosOrGarbageAfterTheBadRecordAreNoProof() {
        assertThat(search(logOf(new byte[5000]), FIRST)).isEqualTo(-1);
        byte[] garbage = new byte[5000];
        new Random(42).nextBytes(garbage);
        assertThat(search(logOf(garbage), FIRST)).isEqualTo(-1);
    }

    @Test
    void everyByteOffsetIsTriedSinceTheBadRecordsLengthCannotBeTrusted() {
        for (int junk = 1; junk <= 12; junk++) {
            byte[] log = logOf(new byte[junk], handMade(0x82, "gone", ""));
            assertThat(search(log, FIRST)).as("after %d bytes of junk", junk).isEqualTo(FIRST + junk);
        }
    }

    @Test
    void theBadRecordItselfIsNeverItsOwnProof() {
        byte[] flagged = handMade(0x81, "a", "1");
        byte[] log = logOf(flagged, handMade(0x01, "b", "2"));
        assertThat(search(log, FIRST)).as("the search starts after the bad offset").isEqualTo(-1);
    }

    @Test
    void aFlaggedRecordWithAWrongChecksumIsNoProof() {
        byte[] damagedProof = handMade(0x81, "b", "2");
        damagedProof[damagedProof.length - 1] ^= 1;
        byte[] log = logOf(new byte[11], damagedProof);
        assertThat(search(log, FIRST)).isEqualTo(-1);
    }

    @Test
    void aFlaggedRecordCutShortByTheEndOfTheLogIsNoProof() {
        byte[] proof = handMade(0x81, "b", "a value long enough to cut");
        byte[] log = logOf(new byte[11], Arrays.copyOf(proof, proof.length - 1));
        assertThat(search(log, FIRST)).isEqualTo(-1);
        assertThat(search(logOf(new byte[11], proof), FIRST)).as("whole, it is").isEqualTo(FIRST + 11);
    }

    @Test
    void aFlaggedRecordWithAnImpossibleHeaderIsNoProofEvenIfItsChecksumMatches() {
        byte[] tombstoneWithValue = handMade(0x82, "b", "a tombstone has no value");
        assertThat(search(logOf(new byte[11], tombstoneWithValue), FIRST)).isEqualTo(-1);
    }
}
