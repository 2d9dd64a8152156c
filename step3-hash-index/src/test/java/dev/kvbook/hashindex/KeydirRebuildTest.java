package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogWriter;
import dev.kvbook.testkit.GoldenFiles;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static dev.kvbook.hashindex.SegmentFiles.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Open's rebuild of the keydir ({@link Recovery#run}) on its own, over segment and hint files
 * written by hand: sealed segments from their hints or by a scan, oldest first, then the active
 * segment with step 2's torn-tail rule. Replaying a record is {@code step3.keydir-apply}'s, and
 * reading a hint {@code step3.hint-decode}'s: this lab needs both.
 */
// design: replays the golden hint file, which only the reference hint format reads as valid.
@Tag("design:step3.build-hints-merge")
@Tag("lab:step3.rebuild")
class KeydirRebuildTest {

    static final Path DIR = Path.of("/store");

    final CrashSimVfs vfs = new CrashSimVfs();

    KeydirRebuildTest() {
        vfs.createDirectories(DIR);
    }

    Recovery.Result open(boolean useHints) {
        return Recovery.run(vfs, DIR, useHints, true);
    }

    /** Segment 1 holding step 2's worked example, which the golden hint describes: put cat, put dog, delete cat. */
    void goldenSegmentWithItsHint() {
        SegmentFiles.write(vfs, DIR, 1, "cat=meow", "dog=woof", "-cat");
        vfs.putDurableFile(SegmentFormat.hintPath(DIR, 1), GoldenFiles.read("000001.hint"));
    }

    @Test
    void sealedSegmentsAreReplayedOldestFirstThenTheActiveOne() {
        SegmentFiles.write(vfs, DIR, 1, "a=1", "b=1", "c=1");
        List<LogWriter.Appended> two = SegmentFiles.write(vfs, DIR, 2, "a=2", "-b");
        List<LogWriter.Appended> three = SegmentFiles.write(vfs, DIR, 3, "c=3");
        Recovery.Result result = open(false);
        Keydir keydir = result.keydir();
        assertThat(keydir.size()).isEqualTo(2);
        assertThat(keydir.get(utf8("a"))).isEqualTo(at(2, two.get(0)));
        assertThat(keydir.get(utf8("b"))).as("deleted in segment 2").isNull();
        assertThat(keydir.get(utf8("c"))).as("the active segment is newest").isEqualTo(at(3, three.get(0)));
        assertThat(result.nextId()).isEqualTo(4);
        assertThat(result.segments().count()).isEqualTo(3);
        assertThat(result.segments().active().id()).isEqualTo(3);
        assertThat(result.segmentsScannedWithoutHint()).isEqualTo(2);
        assertThat(result.hintsUsed()).isZero();
        assertThat(result.tornTailBytesTruncated()).isZero();
        assertThat(result.segments().get(1).liveBytes()).isZero();
        assertThat(result.segments().get(2).liveBytes()).isEqualTo(two.get(0).size());
        assertThat(result.segments().get(3).liveBytes()).isEqualTo(three.get(0).size());
    }

    @Test
    void aSealedSegmentWithAValidHintIsLoadedFromItsHintInsteadOfScanned() {
        goldenSegmentWithItsHint();
        SegmentFiles.write(vfs, DIR, 2);
        Recovery.Result result = open(true);
        assertThat(result.hintsUsed()).isEqualTo(1);
        assertThat(result.segmentsScannedWithoutHint()).isZero();
        assertThat(result.keydir().get(utf8("dog"))).isEqualTo(new Keydir.Location(1, 26, 18));
        assertThat(result.keydir().get(utf8("cat"))).isNull();
        assertThat(result.segments().get(1).liveBytes()).isEqualTo(18);
        assertThat(result.segments().get(1).hintBytes()).as("the hint's size, counted on disk").isEqualTo(94);
    }

    @Test
    void withHintsTurnedOffEverySealedSegmentIsScanned() {
        goldenSegmentWithItsHint();
        SegmentFiles.write(vfs, DIR, 2);
        Recovery.Result result = open(false);
        assertThat(result.hintsUsed()).isZero();
        assertThat(result.segmentsScannedWithoutHint()).isEqualTo(1);
        assertThat(result.keydir().get(utf8("dog"))).isEqualTo(new Keydir.Location(1, 26, 18));
    }

    /** Invariant 4 of HintFormat: a damaged hint costs a scan, never data. */
    @Test
    void aDamagedHintCostsAScanNotData() {
        goldenSegmentWithItsHint();
        SegmentFiles.write(vfs, DIR, 2, "eel=slither");
        byte[] hint = GoldenFiles.read("000001.hint");
        hint[hint.length - 1] ^= 1; // the last entry's key: its checksum fails
        vfs.putDurableFile(SegmentFormat.hintPath(DIR, 1), hint);
        Recovery.Result result = open(true);
        assertThat(result.hintsUsed()).isZero();
        assertThat(result.segmentsScannedWithoutHint()).isEqualTo(1);
        assertThat(result.keydir().get(utf8("dog"))).isEqualTo(new Keydir.Location(1, 26, 18));
        assertThat(result.keydir().get(utf8("eel"))).isNotNull();
    }

    /** A segment cut at a record boundary would scan clean: its intact hint, sealed at another size, is the evidence. */
    @Test
    void aSealedSegmentOfAnotherSizeThanItsIntactHintSaysIsCorruption() {
        SegmentFiles.write(vfs, DIR, 1, "cat=meow", "dog=woof");
        vfs.putDurableFile(SegmentFormat.hintPath(DIR, 1), GoldenFiles.read("000001.hint"));
        SegmentFiles.write(vfs, DIR, 2);
        assertThatThrownBy(() -> open(true)).isInstanceOf(CorruptionException.class).hasMessageContaining("sealed at 58 bytes");
    }

    @Test
    void aBadRecordInASealedSegmentIsCorruptionNotATornTail() {
        List<LogWriter.Appended> one = SegmentFiles.write(vfs, DIR, 1, "a=1", "b=2");
        SegmentFiles.write(vfs, DIR, 2);
        Path data = SegmentFormat.dataPath(DIR, 1);
        byte[] bytes = vfs.files().get(data);
        vfs.putDurableFile(data, Arrays.copyOf(bytes, bytes.length - 1)); // b cut short
        assertThatThrownBy(() -> open(false)).isInstanceOfSatisfying(CorruptionException.class,
                e -> assertThat(e.offset()).isEqualTo(one.get(1).offset()));
    }

    @Test
    void aTornTailOfTheActiveSegmentIsCutOffAndTheRestReplayed() {
        SegmentFiles.write(vfs, DIR, 1, "a=1");
        List<LogWriter.Appended> two = SegmentFiles.write(vfs, DIR, 2, "b=2", "c=3");
        Path active = SegmentFormat.dataPath(DIR, 2);
        byte[] bytes = vfs.files().get(active);
        int cut = bytes.length - 3;
        vfs.putDurableFile(active, Arrays.copyOf(bytes, cut)); // c torn by a crash
        Recovery.Result result = open(false);
        assertThat(result.tornTailBytesTruncated()).isEqualTo(cut - two.get(1).offset());
        assertThat(result.segments().active().end()).isEqualTo(two.get(1).offset());
        assertThat(vfs.files().get(active)).hasSize((int) two.get(1).offset());
        assertThat(result.keydir().get(utf8("b"))).isEqualTo(at(2, two.get(0)));
        assertThat(result.keydir().get(utf8("c"))).isNull();
        assertThat(result.keydir().get(utf8("a"))).isNotNull();
    }

    @Test
    void onlyTheActiveSegmentMayEndInATornTailSoOnlyItIsTruncated() {
        SegmentFiles.write(vfs, DIR, 1, "a=1");
        Path active = SegmentFormat.dataPath(DIR, 1);
        byte[] bytes = vfs.files().get(active);
        byte[] withZeros = ByteBuffer.allocate(bytes.length + 100).put(bytes).array();
        vfs.putDurableFile(active, withZeros);
        Recovery.Result result = open(true);
        assertThat(result.segments().count()).isEqualTo(1);
        assertThat(result.tornTailBytesTruncated()).isEqualTo(100);
        assertThat(result.keydir().get(utf8("a"))).isEqualTo(new Keydir.Location(1, LogFormat.FILE_HEADER_SIZE, 13));
    }
}
