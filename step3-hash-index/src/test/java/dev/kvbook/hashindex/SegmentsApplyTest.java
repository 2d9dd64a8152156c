package dev.kvbook.hashindex;

import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogWriter;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static dev.kvbook.hashindex.SegmentFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying one record into the keydir ({@link Segments#apply}) on its own, record by record over
 * two segments written by hand: where each key points afterwards, what {@code apply} returns, and
 * each segment's live bytes. Every test runs on both keydirs.
 */
@Tag("lab:step3.keydir-apply")
class SegmentsApplyTest {

    static final Path DIR = Path.of("/store");

    final CrashSimVfs vfs = new CrashSimVfs();
    final Segments segments = new Segments();
    Segment one;
    Segment two;
    List<LogWriter.Appended> inOne;
    List<LogWriter.Appended> inTwo;

    /** Segment 1: put cat, put dog, delete cat (step 2's worked example); segment 2: put cat again. */
    void twoSegments() {
        vfs.createDirectories(DIR);
        inOne = SegmentFiles.write(vfs, DIR, 1, "cat=meow", "dog=woof", "-cat");
        inTwo = SegmentFiles.write(vfs, DIR, 2, "cat=purr");
        one = Segment.open(vfs, DIR, 1);
        two = Segment.open(vfs, DIR, 2);
        segments.add(one);
        segments.add(two);
    }

    Keydir.Location apply(Keydir keydir, Segment segment, byte type, String key, LogWriter.Appended record) {
        return segments.apply(keydir, segment, type, utf8(key), record.offset(), record.size());
    }

    @ParameterizedTest(name = "packed keydir: {0}")
    @ValueSource(booleans = {false, true})
    void aPutPointsItsKeyAtItsRecordWhichBecomesLive(boolean packed) {
        twoSegments();
        Keydir keydir = Keydir.create(packed);
        assertThat(apply(keydir, one, LogFormat.TYPE_PUT, "cat", inOne.get(0))).as("no earlier location").isNull();
        assertThat(keydir.get(utf8("cat"))).isEqualTo(new Keydir.Location(1, 8, 18));
        assertThat(one.liveBytes()).isEqualTo(18);
        assertThat(one.garbageBytes()).as("dog and the tombstone, not replayed yet").isEqualTo(18 + 14);
    }

    @ParameterizedTest(name = "packed keydir: {0}")
    @ValueSource(booleans = {false, true})
    void aNewerPutMovesTheKeyAndTheOlderRecordStopsBeingLive(boolean packed) {
        twoSegments();
        Keydir keydir = Keydir.create(packed);
        apply(keydir, one, LogFormat.TYPE_PUT, "cat", inOne.get(0));
        assertThat(apply(keydir, two, LogFormat.TYPE_PUT, "cat", inTwo.get(0))).isEqualTo(at(1, inOne.get(0)));
        assertThat(keydir.get(utf8("cat"))).isEqualTo(at(2, inTwo.get(0)));
        assertThat(one.liveBytes()).isZero();
        assertThat(two.liveBytes()).isEqualTo(inTwo.get(0).size());
        assertThat(keydir.size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "packed keydir: {0}")
    @ValueSource(booleans = {false, true})
    void aTombstoneRemovesItsKeyAndNeitherItNorTheRecordItHidesIsLive(boolean packed) {
        twoSegments();
        Keydir keydir = Keydir.create(packed);
        apply(keydir, one, LogFormat.TYPE_PUT, "cat", inOne.get(0));
        apply(keydir, one, LogFormat.TYPE_PUT, "dog", inOne.get(1));
        assertThat(apply(keydir, one, LogFormat.TYPE_TOMBSTONE, "cat", inOne.get(2))).isEqualTo(at(1, inOne.get(0)));
        assertThat(keydir.get(utf8("cat"))).isNull();
        assertThat(keydir.get(utf8("dog"))).isEqualTo(new Keydir.Location(1, 26, 18));
        assertThat(one.liveBytes()).as("dog only").isEqualTo(18);
        assertThat(segments.garbageBytes()).as("the old cat, the tombstone, and all of segment 2").isEqualTo(18 + 14 + 18);
    }

    @ParameterizedTest(name = "packed keydir: {0}")
    @ValueSource(booleans = {false, true})
    void aTombstoneForAKeyThatIsNotLiveChangesNothing(boolean packed) {
        twoSegments();
        Keydir keydir = Keydir.create(packed);
        apply(keydir, one, LogFormat.TYPE_PUT, "dog", inOne.get(1));
        assertThat(apply(keydir, one, LogFormat.TYPE_TOMBSTONE, "cat", inOne.get(2))).isNull();
        assertThat(keydir.size()).isEqualTo(1);
        assertThat(one.liveBytes()).isEqualTo(18);
    }

    /** Replaying every record in (segment, offset) order: the newest record of each key wins. */
    @ParameterizedTest(name = "packed keydir: {0}")
    @ValueSource(booleans = {false, true})
    void replayingBothSegmentsInOrderLeavesTheNewestRecordOfEachKey(boolean packed) {
        twoSegments();
        Keydir keydir = Keydir.create(packed);
        apply(keydir, one, LogFormat.TYPE_PUT, "cat", inOne.get(0));
        apply(keydir, one, LogFormat.TYPE_PUT, "dog", inOne.get(1));
        apply(keydir, one, LogFormat.TYPE_TOMBSTONE, "cat", inOne.get(2));
        apply(keydir, two, LogFormat.TYPE_PUT, "cat", inTwo.get(0));
        assertThat(keydir.get(utf8("cat"))).isEqualTo(at(2, inTwo.get(0)));
        assertThat(keydir.get(utf8("dog"))).isEqualTo(at(1, inOne.get(1)));
        assertThat(one.liveBytes() + two.liveBytes()).isEqualTo(18 + inTwo.get(0).size());
        assertThat(segments.totalsAgree()).isTrue();
    }
}
