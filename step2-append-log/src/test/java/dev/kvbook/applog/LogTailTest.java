package dev.kvbook.applog;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.applog.TestLogs.handMade;
import static dev.kvbook.applog.TestLogs.logOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery's decision on its own ({@link LogTail#recover}), over logs made by hand on
 * {@link CrashSimVfs}: a clean end is made durable, a torn tail is cut off durably, and damage
 * before the tail is refused (or cut off when repair is asked for). The records before the first
 * bad one are handed over in order in every case.
 */
@Tag("lab:step2.torn-tail")
// Pins the reference format (it builds its logs from hand-made records in the reference layout): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class LogTailTest {

    static final Path DIR = Path.of("/logs");
    static final Path LOG = DIR.resolve("store.log");
    static final byte[] A = handMade(0x81, "a", "1");
    static final byte[] B = handMade(0x01, "b", "22");
    static final byte[] C = handMade(0x01, "c", "333");
    static final long AFTER_B = LogFormat.FILE_HEADER_SIZE + A.length + B.length;

    final CrashSimVfs vfs = new CrashSimVfs();
    final List<String> replayed = new ArrayList<>();

    /** Puts {@code bytes} at {@link #LOG} as a write no fsync has covered, and opens it. */
    VfsFile unsyncedLog(byte[] bytes) {
        vfs.createDirectories(DIR);
        VfsFile file = vfs.open(LOG, true);
        file.write(0, ByteBuffer.wrap(bytes));
        vfs.syncDirectory(DIR);
        return file;
    }

    LogTail.Outcome recover(VfsFile file, boolean repair) {
        return LogTail.recover(file, LOG, repair, r -> replayed.add(new String(r.key()) + "@" + r.offset()));
    }

    @Test
    void aCleanLogKeepsEveryByteAndIsMadeDurable() {
        byte[] log = logOf(A, B, C);
        try (VfsFile file = unsyncedLog(log)) {
            LogTail.Outcome outcome = recover(file, false);
            assertThat(outcome).isEqualTo(new LogTail.Outcome(log.length, 0, 0));
        }
        assertThat(replayed).containsExactly("a@8", "b@21", "c@35");
        vfs.crash();
        assertThat(vfs.files().get(LOG)).as("a killed writer's unsynced records are durable once recovered").isEqualTo(log);
    }

    @Test
    void withValuesTheKeptRecordsAreHandedOverWithTheirValuesAndATornOneIsNot() {
        byte[] whole = logOf(A, B, C);
        List<String> seen = new ArrayList<>();
        try (VfsFile file = unsyncedLog(Arrays.copyOf(whole, whole.length - 1))) { // C cut short: a torn tail
            LogTail.Outcome outcome = LogTail.recover(file, LOG, false, true,
                    r -> seen.add(new String(r.key()) + "=" + new String(r.value())));
            assertThat(outcome.end()).isEqualTo(AFTER_B);
        }
        assertThat(seen).containsExactly("a=1", "b=22");
    }

    @Test
    void aLogOfOnlyTheFileHeaderIsACleanEmptyLog() {
        byte[] log = logOf();
        try (VfsFile file = unsyncedLog(log)) {
            assertThat(recover(file, false)).isEqualTo(new LogTail.Outcome(LogFormat.FILE_HEADER_SIZE, 0, 0));
        }
        assertThat(replayed).isEmpty();
    }

    @Test
    void aRecordCutShortAtAnyLengthIsATornTailCutOffDurably() {
        byte[] whole = logOf(A, B, C);
        for (int cut = (int) AFTER_B + 1; cut < whole.length; cut++) {
            CrashSimVfs disk = new CrashSimVfs();
            disk.putDurableFile(LOG, Arrays.copyOf(whole, cut));
            List<String> seen = new ArrayList<>();
            try (VfsFile file = disk.open(LOG, false)) {
                LogTail.Outcome outcome = LogTail.recover(file, LOG, false, r -> seen.add(new String(r.key())));
                assertThat(outcome).as("cut at %d", cut).isEqualTo(new LogTail.Outcome(AFTER_B, cut - AFTER_B, 0));
            }
            assertThat(seen).containsExactly("a", "b");
            disk.crash();
            assertThat(disk.files().get(LOG)).as("after a crash, cut at %d", cut).isEqualTo(Arrays.copyOf(whole, (int) AFTER_B));
        }
    }

    @Test
    void zerosAfterTheLastRecordAreATornTail() {
        byte[] log = logOf(A, B, new byte[4096]);
        try (VfsFile file = unsyncedLog(log)) {
            assertThat(recover(file, false)).isEqualTo(new LogTail.Outcome(AFTER_B, 4096, 0));
            assertThat(file.size()).isEqualTo(AFTER_B);
        }
    }

    @Test
    void aBadRecordWithAFlaggedValidRecordAfterItIsCorruptionAndTheLogIsLeftAlone() {
        byte[] damagedB = B.clone();
        damagedB[damagedB.length - 1] ^= 1;
        byte[] proof = handMade(0x81, "d", "4");
        byte[] log = logOf(A, damagedB, C, proof);
        try (VfsFile file = unsyncedLog(log)) {
            assertThatThrownBy(() -> recover(file, false))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(LOG);
                        assertThat(e.offset()).isEqualTo(LogFormat.FILE_HEADER_SIZE + A.length);
                    })
                    .hasMessageContaining("checksum")
                    .hasMessageContaining("follows at offset " + (AFTER_B + C.length));
        }
        assertThat(vfs.files().get(LOG)).as("a refused log is not changed").isEqualTo(log);
    }

    @Test
    void repairCutsTheLogAtTheFirstBadRecordInsteadOfRefusing() {
        byte[] damagedB = B.clone();
        damagedB[LogFormat.TYPE_AT] = 0x05;
        byte[] log = logOf(A, damagedB, C, handMade(0x81, "d", "4"));
        try (VfsFile file = unsyncedLog(log)) {
            LogTail.Outcome outcome = recover(file, true);
            long badAt = LogFormat.FILE_HEADER_SIZE + A.length;
            assertThat(outcome).isEqualTo(new LogTail.Outcome(badAt, 0, log.length - badAt));
        }
        assertThat(replayed).containsExactly("a@8");
        vfs.crash();
        assertThat(vfs.files().get(LOG)).isEqualTo(logOf(A));
    }

    @Test
    void aBadRecordWithOnlyUnflaggedRecordsAfterItIsATornTail() {
        byte[] damagedB = B.clone();
        damagedB[LogFormat.TYPE_AT + 5] ^= 1; // a value-length byte
        byte[] log = logOf(A, damagedB, C);
        try (VfsFile file = unsyncedLog(log)) {
            long badAt = LogFormat.FILE_HEADER_SIZE + A.length;
            assertThat(recover(file, false)).isEqualTo(new LogTail.Outcome(badAt, log.length - badAt, 0));
        }
    }
}
