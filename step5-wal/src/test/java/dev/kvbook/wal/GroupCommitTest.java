package dev.kvbook.wal;

import dev.kvbook.btree.Page;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit's ordering, and the rule that keeps it safe beside checkpoints, each interleaving
 * played out exactly: on one thread where it can be, otherwise with the log's fsync held at a
 * gate ({@link GatedLogSyncVfs}) so that a second thread waits at a known point.
 */
class GroupCommitTest {

    private static final int PAGE_SIZE = 4096;

    private static Wal startLog(GatedLogSyncVfs vfs) {
        Path dir = Path.of("/gc");
        vfs.createDirectories(dir);
        return Wal.start(vfs, dir.resolve("t.db-wal"), null, PAGE_SIZE, 1);
    }

    private static int appendOne(Wal wal) {
        return wal.append(List.of(new Page(1, new byte[PAGE_SIZE])), 2, TreeMeta.EMPTY);
    }

    @Test
    void aLeaderFsyncsEveryFrameAppendedSoFarSoALaterCommitWaitsForNone() {
        Wal wal = startLog(new GatedLogSyncVfs(new CrashSimVfs()));
        GroupCommit group = new GroupCommit(wal);

        // A and B both append before A, as the leader, fsyncs: that fsync covers B's frames too.
        int a = appendOne(wal);
        group.enter();
        int b = appendOne(wal);
        group.enter();
        group.awaitDurable(a);
        group.leave();
        group.awaitDurable(b);
        group.leave();

        assertThat(group.batches()).isEqualTo(1);
        assertThat(wal.syncedFrames()).isEqualTo(b);
    }

    @Test
    void theLogIsNeverRestartedUnderACommitInFlight() {
        Wal wal = startLog(new GatedLogSyncVfs(new CrashSimVfs()));
        GroupCommit group = new GroupCommit(wal);

        // The interleaving that hung a put before the fix, replayed on one thread: a commit
        // appended and let go of the writer lock; a checkpoint made everything durable and
        // restarted the log; then the commit waited for frame numbers of the old log, forever.
        int last = appendOne(wal);
        group.enter();
        group.awaitDurable(wal.appendedFrames()); // what the checkpoint's wait did, on its behalf
        assertThatThrownBy(group::restarted)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 commit in flight");

        group.awaitDurable(last);
        group.leave();
        group.restarted(); // quiet now: allowed
    }

    @Test
    void aCheckpointWaitsUntilTheCommitInFlightHasReturned() throws Exception {
        Wal wal = startLog(new GatedLogSyncVfs(new CrashSimVfs()));
        GroupCommit group = new GroupCommit(wal);
        int last = appendOne(wal);
        group.enter();

        CommitRaceTest.Racer<Void> checkpoint = CommitRaceTest.Racer.start("checkpoint", () -> {
            group.awaitQuiet();
            return null;
        });
        checkpoint.awaitDoneOrParked();
        assertThat(checkpoint.isDone()).as("the checkpoint went on under a commit in flight").isFalse();

        group.awaitDurable(last);
        group.leave();
        checkpoint.result();
        assertThat(wal.syncedFrames()).isEqualTo(last);
    }

    @Test
    void aCheckpointWaitsForARunningFsyncSoItCannotCountTheNewLogAsDurable() throws Exception {
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(new CrashSimVfs());
        Wal wal = startLog(vfs);
        GroupCommit group = new GroupCommit(wal);
        int syncsBefore = (int) wal.syncs();
        int last = appendOne(wal);
        group.enter();

        vfs.close();
        CommitRaceTest.Racer<Void> leader = CommitRaceTest.Racer.start("leader", () -> {
            group.awaitDurable(last);
            group.leave();
            return null;
        });
        vfs.awaitSyncsEntered(syncsBefore + 1);
        CommitRaceTest.Racer<Void> checkpoint = CommitRaceTest.Racer.start("checkpoint", () -> {
            group.awaitQuiet();
            return null;
        });
        checkpoint.awaitDoneOrParked();
        assertThat(checkpoint.isDone()).as("the checkpoint went on during an fsync").isFalse();

        vfs.open();
        leader.result();
        checkpoint.result();
        group.restarted();
    }
}
