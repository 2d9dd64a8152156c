package dev.kvbook.wal;

import dev.kvbook.api.vfs.FailureLatch;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.kvbook.wal.HandMadeLogs.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing a durable state ({@link Committer#publish}) on its own: the snapshot every new reader
 * reads moves forward to a newer durable commit, and never back, even when commits that group
 * commit made durable together are published out of order. The committer here runs over a log
 * that recovery would have left with five durable frames.
 */
@Tag("lab:step5.publish")
class PublishTest {

    static final Path DIR = Path.of("/store");
    static final Snapshot RECOVERED = new Snapshot(2, 3, new TreeMeta(1, 1, 0, 0, 0, 2));

    final Committer committer;

    PublishTest() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(DIR);
        Path file = DIR.resolve("t.db");
        Path log = DIR.resolve("t.db-wal");
        DataFile data = DataFile.open(vfs, file, PAGE_SIZE);
        WalFormat.Header header = new WalFormat.Header(PAGE_SIZE, data.header().sequence(), 1);
        vfs.putDurableFile(log, WalFormat.encodeHeader(header));
        Wal wal = Wal.adopt(vfs, log, vfs.open(log, false), header, 5); // frames 1 to 5 durable
        FailureLatch failure = new FailureLatch(file.toString());
        committer = new Committer(wal, new CommittedPages(data, wal, new WalIndex(), new PageCache(8)),
                new WriterLock(file, failure), failure, WalStore.Options.defaults().withVfs(vfs), RECOVERED);
    }

    static Snapshot upTo(int frame) {
        return new Snapshot(frame, 3, new TreeMeta(1, 1, 0, 0, 0, frame));
    }

    @Test
    void aNewerDurableStateIsWhatNewReadersRead() {
        assertThat(committer.published()).isSameAs(RECOVERED);
        Snapshot next = upTo(4);
        committer.publish(next);
        assertThat(committer.published()).isSameAs(next);
    }

    /** Group commit: B's commit (frame 5) can be published before A's (frame 3); A's must not take readers back. */
    @Test
    void anOlderStateNeverReplacesANewerOne() {
        Snapshot later = upTo(5);
        committer.publish(later);
        committer.publish(upTo(3));
        assertThat(committer.published()).isSameAs(later);
    }

    /** However group commit's waiters wake, the newest of the states they publish is the one readers end up with. */
    @Test
    void inWhateverOrderCommitsArePublishedTheNewestIsPublishedLast() {
        int[][] orders = {{3, 4, 5}, {3, 5, 4}, {4, 3, 5}, {4, 5, 3}, {5, 3, 4}, {5, 4, 3}};
        for (int[] order : orders) {
            PublishTest fresh = new PublishTest();
            for (int frame : order) {
                fresh.committer.publish(upTo(frame));
            }
            assertThat(fresh.committer.published().maxFrame()).as("published in the order %s", java.util.Arrays.toString(order))
                    .isEqualTo(5);
        }
    }
}
