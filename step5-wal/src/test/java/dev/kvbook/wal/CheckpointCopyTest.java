package dev.kvbook.wal;

import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.wal.HandMadeLogs.PAGE_SIZE;
import static dev.kvbook.wal.HandMadeLogs.frame;
import static dev.kvbook.wal.HandMadeLogs.log;
import static dev.kvbook.wal.HandMadeLogs.markerOf;
import static dev.kvbook.wal.HandMadeLogs.page;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy of a checkpoint ({@link Checkpointer#copyToDataFile}) on its own, from a log made by
 * hand into a new data file: the newest version of each page as of the snapshot lands in its
 * place, the data file is fsynced before its header names the new tree, and a crash at any of
 * its I/O calls leaves the old header or a new one over pages that are all there.
 */
@Tag("lab:step5.checkpoint-copy")
@Tag("design:step5.build-recovery") // calls Checkpointer.copyToDataFile on its own and pins its I/O order
class CheckpointCopyTest {

    static final Path DIR = Path.of("/store");
    static final Path DATA = DIR.resolve("t.db");
    static final Path LOG = DIR.resolve("t.db-wal");
    static final TreeMeta FIRST = new TreeMeta(2, 1, 0, 0, 0, 1);
    static final TreeMeta SECOND = new TreeMeta(1, 1, 0, 0, 0, 2);

    final CrashSimVfs vfs = new CrashSimVfs();
    DataFile data;
    CommittedPages pages;

    /**
     * A new data file, and a log of two commits over it: frames 1-2 (pages 1 and 2, version 1; 3
     * pages), frame 3 (page 1, version 2). The marker of page n version v is 10 n + v.
     */
    void twoCommits() {
        vfs.createDirectories(DIR);
        data = DataFile.open(vfs, DATA, PAGE_SIZE);
        WalFormat.Header header = new WalFormat.Header(PAGE_SIZE, data.header().sequence(), 77);
        vfs.putDurableFile(LOG, log(header,
                frame(header, 1, page(1, 11), 0),
                frame(header, 2, page(2, 21), 0, 3, FIRST),
                frame(header, 3, page(1, 12), 2, 3, SECOND)));
        VfsFile file = vfs.open(LOG, false);
        Wal wal = Wal.adopt(vfs, LOG, file, header, 3);
        WalIndex index = new WalIndex();
        index.add(1, 1);
        index.add(2, 2);
        index.add(1, 3);
        pages = new CommittedPages(data, wal, index, new PageCache(16));
    }

    @Test
    void theNewestVersionOfEveryPageInTheSnapshotLandsInItsPlaceAndTheHeaderNamesTheTree() {
        twoCommits();
        long before = data.header().sequence();
        long sequence = Checkpointer.copyToDataFile(new Snapshot(3, 3, SECOND), pages);

        assertThat(sequence).as("two header writes").isEqualTo(before + 2);
        assertThat(data.header().sequence()).isEqualTo(sequence);
        assertThat(data.header().meta()).isEqualTo(SECOND);
        assertThat(data.header().pageCount()).isEqualTo(3);
        assertThat(markerOf(data.read(1).bytes())).isEqualTo(12);
        assertThat(markerOf(data.read(2).bytes())).isEqualTo(21);
    }

    @Test
    void versionsAfterTheSnapshotAreNotCopied() {
        twoCommits();
        Checkpointer.copyToDataFile(new Snapshot(2, 3, FIRST), pages);
        assertThat(markerOf(data.read(1).bytes())).as("frame 3 is not in the snapshot").isEqualTo(11);
        assertThat(data.header().meta()).isEqualTo(FIRST);
    }

    @Test
    void aSnapshotOfNoFramesCopiesNothing() {
        twoCommits();
        vfs.resetCounters();
        assertThat(Checkpointer.copyToDataFile(new Snapshot(0, 1, TreeMeta.EMPTY), pages)).isEqualTo(-1);
        assertThat(vfs.mutationLog()).isEmpty();
    }

    @Test
    void thePagesAreMadeDurableBeforeEitherHeaderCopyIsWritten() {
        twoCommits();
        vfs.resetCounters();
        Checkpointer.copyToDataFile(new Snapshot(3, 3, SECOND), pages);
        List<String> calls = vfs.mutationLog();
        String name = DATA.getFileName().toString();
        assertThat(calls).as("two page writes, an fsync, then each header copy and its fsync: %s", calls).hasSize(7);
        assertThat(calls.subList(0, 2)).containsExactlyInAnyOrder(
                "write " + name + " @" + PAGE_SIZE + " +" + PAGE_SIZE + " bytes",
                "write " + name + " @" + 2 * PAGE_SIZE + " +" + PAGE_SIZE + " bytes");
        assertThat(calls.get(2)).isEqualTo("sync " + name);
        assertThat(calls.get(3)).startsWith("write " + name + " @");
        assertThat(calls.get(4)).isEqualTo("sync " + name);
        assertThat(calls.get(5)).startsWith("write " + name + " @").isNotEqualTo(calls.get(3));
        assertThat(calls.get(6)).isEqualTo("sync " + name);
    }

    /** Whatever header survives a crash, the pages it names are durable: never a header over missing pages. */
    @Test
    void aCrashAtEveryIoCallLeavesTheOldHeaderOrANewOneOverPagesThatAreThere() {
        for (int point = 1; ; point++) {
            CheckpointCopyTest run = new CheckpointCopyTest();
            run.twoCommits();
            long old = run.data.header().sequence();
            run.vfs.crashAtOperation(point);
            try {
                Checkpointer.copyToDataFile(new Snapshot(3, 3, SECOND), run.pages);
                return; // no crash point left in the copy
            } catch (SimulatedCrash expected) {
                run.vfs.crash();
            }
            try (DataFile after = DataFile.open(run.vfs, DATA, PAGE_SIZE)) {
                if (after.header().sequence() == old) {
                    assertThat(after.header().meta()).as("crash at call %d: the old tree", point).isEqualTo(TreeMeta.EMPTY);
                } else {
                    assertThat(after.header().meta()).as("crash at call %d: the new tree", point).isEqualTo(SECOND);
                    assertThat(markerOf(after.read(1).bytes())).as("crash at call %d: page 1", point).isEqualTo(12);
                    assertThat(markerOf(after.read(2).bytes())).as("crash at call %d: page 2", point).isEqualTo(21);
                }
            }
            assertThat(point).as("a copy makes a handful of I/O calls").isLessThan(20);
        }
    }
}
