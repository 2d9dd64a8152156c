package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.applog.LogFormat;
import dev.kvbook.applog.LogReader;
import dev.kvbook.applog.LogRecord;
import dev.kvbook.applog.LogWriter;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static dev.kvbook.hashindex.SegmentFiles.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The copy step of a merge ({@link Merge#copyLive}) on its own, over segments written by hand and
 * a keydir filled by hand: only the records the keydir points at are copied, in order, into
 * output segments published durably under the reserved numbers, each with a hint file. Writing
 * the hint is {@code step3.hint-encode}'s: this lab needs it.
 */
// design: calls the reference copy step with a plan of all the segments and pins its outputs, numbers and dropped tombstones.
@Tag("design:step3.build-hints-merge")
@Tag("lab:step3.merge-copy")
class MergeCopyTest {

    static final Path DIR = Path.of("/store");
    static final long LARGE = 1 << 20;

    final CrashSimVfs vfs = new CrashSimVfs();
    final Keydir keydir = Keydir.create(false);
    List<LogWriter.Appended> one;
    List<LogWriter.Appended> two;

    /**
     * Segment 1: a=1, b=1, c=1; segment 2: a=2, delete c. Live: b in 1, a in 2, and d in the active
     * segment 3, which is not an input. The outputs get numbers 4 and 5.
     */
    Merge.Plan twoInputs() {
        vfs.createDirectories(DIR);
        one = SegmentFiles.write(vfs, DIR, 1, "a=1", "b=1", "c=1");
        two = SegmentFiles.write(vfs, DIR, 2, "a=2", "-c");
        List<LogWriter.Appended> three = SegmentFiles.write(vfs, DIR, 3, "d=3");
        keydir.put(utf8("b"), at(1, one.get(1)));
        keydir.put(utf8("a"), at(2, two.get(0)));
        keydir.put(utf8("d"), at(3, three.get(0)));
        return new Merge.Plan(List.of(Segment.open(vfs, DIR, 1), Segment.open(vfs, DIR, 2)), 4, 5);
    }

    /** The records of segment {@code id}, as "key=value" (or "-key" for a tombstone). */
    List<String> recordsOf(int id) {
        Path path = SegmentFormat.dataPath(DIR, id);
        List<String> records = new ArrayList<>();
        try (VfsFile file = vfs.open(path, false)) {
            LogReader reader = new LogReader(file, path, LogFormat.FILE_HEADER_SIZE, file.size(), true);
            for (LogRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r.isTombstone() ? "-" + new String(r.key()) : new String(r.key()) + "=" + new String(r.value()));
            }
            assertThat(reader.stop()).isEqualTo(LogReader.Stop.CLEAN_END);
        }
        return records;
    }

    @Test
    void onlyTheRecordsTheKeydirPointsAtAreCopiedOldestInputFirst() {
        Merge.Output output = Merge.copyLive(vfs, DIR, keydir, twoInputs(), LARGE, false);
        assertThat(output.segments()).extracting(Segment::id).containsExactly(4);
        assertThat(recordsOf(4)).as("no superseded record, no tombstone, nothing from outside the inputs")
                .containsExactly("b=1", "a=2");
        assertThat(output.bytesWritten()).isEqualTo(one.get(1).size() + two.get(0).size());
    }

    @Test
    void eachCopyIsReportedWithWhereItWasAndWhereItIsNow() {
        Merge.Output output = Merge.copyLive(vfs, DIR, keydir, twoInputs(), LARGE, false);
        assertThat(output.copied()).hasSize(2);
        Merge.Copied b = output.copied().get(0);
        Merge.Copied a = output.copied().get(1);
        assertThat(b.key()).isEqualTo(utf8("b"));
        assertThat(b.from()).isEqualTo(at(1, one.get(1)));
        assertThat(b.to()).isEqualTo(new Keydir.Location(4, LogFormat.FILE_HEADER_SIZE, one.get(1).size()));
        assertThat(a.key()).isEqualTo(utf8("a"));
        assertThat(a.from()).isEqualTo(at(2, two.get(0)));
        assertThat(a.to()).isEqualTo(new Keydir.Location(4, LogFormat.FILE_HEADER_SIZE + one.get(1).size(), two.get(0).size()));
        assertThat(keydir.get(utf8("a"))).as("switching the keydir over is a later step").isEqualTo(a.from());
    }

    @Test
    void theOutputRollsOverAtTheSegmentSizeButNeverPastTheLastReservedNumber() {
        vfs.createDirectories(DIR);
        List<LogWriter.Appended> records = SegmentFiles.write(vfs, DIR, 1, "a=1", "b=2", "c=3", "d=4");
        String[] keys = {"a", "b", "c", "d"};
        for (int i = 0; i < keys.length; i++) {
            keydir.put(utf8(keys[i]), at(1, records.get(i)));
        }
        Merge.Plan plan = new Merge.Plan(List.of(Segment.open(vfs, DIR, 1)), 2, 3);
        Merge.Output output = Merge.copyLive(vfs, DIR, keydir, plan, 1, false); // every record reaches the size
        assertThat(output.segments()).extracting(Segment::id).containsExactly(2, 3);
        assertThat(recordsOf(2)).containsExactly("a=1");
        assertThat(recordsOf(3)).as("the last reserved number takes the rest").containsExactly("b=2", "c=3", "d=4");
    }

    @Test
    void theOutputsArePublishedDurablyUnderTheirOwnNamesWithAHintEach() {
        Merge.Output output = Merge.copyLive(vfs, DIR, keydir, twoInputs(), LARGE, true);
        Segment out = output.segments().get(0);
        List<HintFormat.Entry> expected = List.of(
                new HintFormat.Entry(LogFormat.TYPE_PUT, utf8("b"), LogFormat.FILE_HEADER_SIZE, one.get(1).size()),
                new HintFormat.Entry(LogFormat.TYPE_PUT, utf8("a"), LogFormat.FILE_HEADER_SIZE + one.get(1).size(), two.get(0).size()));
        vfs.crash();
        assertThat(vfs.files()).as("nothing left under a temporary name").containsOnlyKeys(
                SegmentFormat.dataPath(DIR, 1), SegmentFormat.dataPath(DIR, 2), SegmentFormat.dataPath(DIR, 3),
                SegmentFormat.dataPath(DIR, 4), SegmentFormat.hintPath(DIR, 4));
        assertThat(recordsOf(4)).as("durable: it survived the crash").containsExactly("b=1", "a=2");
        assertThat(vfs.files().get(SegmentFormat.hintPath(DIR, 4)))
                .isEqualTo(bytes(HintFormat.encode(4, out.end(), expected)));
        assertThat(out.hintBytes()).isEqualTo(HintFormat.sizeOf(expected));
    }

    @Test
    void whenNothingIsLiveThereIsNoOutput() {
        Merge.Plan plan = twoInputs();
        keydir.remove(utf8("a"));
        keydir.remove(utf8("b"));
        Merge.Output output = Merge.copyLive(vfs, DIR, keydir, plan, LARGE, true);
        assertThat(output.segments()).isEmpty();
        assertThat(output.copied()).isEmpty();
        assertThat(vfs.files()).doesNotContainKey(SegmentFormat.dataPath(DIR, 4));
    }

    /** A sealed input is whole: anything that stops its reader before its end is damage, and nothing is published. */
    @Test
    void aDamagedInputIsCorruptionAndNoOutputIsPublished() {
        vfs.createDirectories(DIR);
        List<LogWriter.Appended> records = SegmentFiles.write(vfs, DIR, 1, "a=1", "b=2");
        keydir.put(utf8("a"), at(1, records.get(0)));
        keydir.put(utf8("b"), at(1, records.get(1)));
        Path data = SegmentFormat.dataPath(DIR, 1);
        byte[] bytes = vfs.files().get(data);
        vfs.putDurableFile(data, Arrays.copyOf(bytes, bytes.length - 1));
        Merge.Plan plan = new Merge.Plan(List.of(Segment.open(vfs, DIR, 1)), 2, 2);
        assertThatThrownBy(() -> Merge.copyLive(vfs, DIR, keydir, plan, LARGE, true))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.offset()).isEqualTo(records.get(1).offset()));
        assertThat(vfs.files()).doesNotContainKeys(SegmentFormat.dataPath(DIR, 2), SegmentFormat.hintPath(DIR, 2));
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
