package dev.kvbook.wal;

import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.Page;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit's ordering, and the rule that keeps it safe beside checkpoints, each interleaving
 * played out exactly: on one thread where it can be, otherwise with the log's fsync held at a
 * gate ({@link GatedLogSyncVfs}) so that a second thread waits at a known point.
 *
 * <p>The tests tagged {@code step5.group-commit} check {@link GroupCommit#awaitDurable} (wait for a
 * running fsync or lead one); they append their frames with {@link Wal#append}, so that lab needs
 * {@code step5.append-frames}. The others check the checkpoint rule around it.
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

    @Tag("lab:step5.group-commit")
    @Test
    void aLoneCommitLeadsOneFsyncAndIsDurableAfterIt() {
        Wal wal = startLog(new GatedLogSyncVfs(new CrashSimVfs()));
        GroupCommit group = new GroupCommit(wal);
        long syncsBefore = wal.syncs();
        int last = appendOne(wal);
        group.enter();
        group.awaitDurable(last);
        group.leave();
        assertThat(wal.syncs() - syncsBefore).isEqualTo(1);
        assertThat(wal.syncedFrames()).isEqualTo(last);
        assertThat(group.batches()).isEqualTo(1);
    }

    @Tag("lab:step5.group-commit")
    @Test
    void aCommitWhoseFramesAreDurableAlreadyReturnsWithoutAnFsync() {
        Wal wal = startLog(new GatedLogSyncVfs(new CrashSimVfs()));
        GroupCommit group = new GroupCommit(wal);
        int first = appendOne(wal);
        group.enter();
        group.awaitDurable(first);
        long syncs = wal.syncs();
        group.awaitDurable(first);
        group.leave();
        assertThat(wal.syncs()).as("no second fsync for frames already durable").isEqualTo(syncs);
        assertThat(group.batches()).isEqualTo(1);
    }

    @Tag("lab:step5.group-commit")
    @Test
    void aFailedFsyncAcknowledgesNoCommitAndIsNeverRetried() {
        AtomicInteger logSyncs = new AtomicInteger();
        AtomicBoolean failing = new AtomicBoolean();
        Vfs vfs = new ForwardingVfs(new CrashSimVfs()) {
            @Override
            public VfsFile open(Path path, boolean create) {
                return new ForwardingVfs.File(delegate.open(path, create)) {
                    @Override
                    public void sync() {
                        if (failing.get()) {
                            logSyncs.incrementAndGet();
                            throw new UncheckedIOException(new IOException("injected: the fsync failed"));
                        }
                        delegate.sync();
                    }

                    @Override
                    public void syncData() {
                        if (failing.get()) {
                            logSyncs.incrementAndGet();
                            throw new UncheckedIOException(new IOException("injected: the fdatasync failed"));
                        }
                        delegate.syncData();
                    }
                };
            }
        };
        vfs.createDirectories(Path.of("/gc"));
        Wal wal = Wal.start(vfs, Path.of("/gc/t.db-wal"), null, PAGE_SIZE, 1);
        GroupCommit group = new GroupCommit(wal);
        int last = appendOne(wal);
        failing.set(true);
        group.enter();
        assertThatThrownBy(() -> group.awaitDurable(last)).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> group.awaitDurable(last)).as("every later wait")
                .isInstanceOf(StoreFailedException.class).hasMessageContaining("not acknowledged");
        group.leave();
        assertThat(logSyncs).as("the failed fsync is not retried").hasValue(1);
        assertThat(wal.syncedFrames()).isZero();
    }

    /** The heart of group commit: a commit that finds an fsync running waits for it instead of starting another. */
    @Tag("lab:step5.group-commit")
    @Test
    void aCommitThatFindsAnFsyncRunningWaitsForItAndSharesIt() throws Exception {
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(new CrashSimVfs());
        Wal wal = startLog(vfs);
        GroupCommit group = new GroupCommit(wal);
        int a = appendOne(wal);
        group.enter();
        int b = appendOne(wal); // before A's fsync begins: that fsync covers it
        group.enter();

        vfs.close();
        CommitRaceTest.Racer<Void> leader = CommitRaceTest.Racer.start("A, the leader", () -> {
            group.awaitDurable(a);
            group.leave();
            return null;
        });
        awaitFsyncHeldAtTheGate(vfs, leader);
        CommitRaceTest.Racer<Void> follower = CommitRaceTest.Racer.start("B", () -> {
            group.awaitDurable(b);
            group.leave();
            return null;
        });
        follower.awaitDoneOrParked();
        assertThat(follower.isDone()).as("B returned before the fsync that covers it").isFalse();
        assertThat(vfs.waiting()).as("B started no fsync of its own").isEqualTo(1);

        vfs.open();
        leader.result();
        follower.result();
        assertThat(group.batches()).as("one fsync for both").isEqualTo(1);
        assertThat(wal.syncedFrames()).isEqualTo(b);
    }

    @Tag("lab:step5.group-commit")
    @Test
    void framesAppendedWhileAnFsyncRunsWaitForTheNextOne() throws Exception {
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(new CrashSimVfs());
        Wal wal = startLog(vfs);
        GroupCommit group = new GroupCommit(wal);
        int a = appendOne(wal);
        group.enter();

        vfs.close();
        CommitRaceTest.Racer<Void> leader = CommitRaceTest.Racer.start("A, the leader", () -> {
            group.awaitDurable(a);
            group.leave();
            return null;
        });
        awaitFsyncHeldAtTheGate(vfs, leader);
        int b = appendOne(wal); // after A's fsync began: it does not cover B
        group.enter();
        vfs.open();
        leader.result();

        assertThat(wal.syncedFrames()).isEqualTo(a);
        group.awaitDurable(b);
        group.leave();
        assertThat(group.batches()).isEqualTo(2);
        assertThat(wal.syncedFrames()).isEqualTo(b);
    }

    /** Waits until the leader's fsync is held at the gate; fails at once if the leader failed instead. */
    private static void awaitFsyncHeldAtTheGate(GatedLogSyncVfs vfs, CommitRaceTest.Racer<Void> leader) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (vfs.waiting() == 0) {
            if (leader.isDone()) {
                leader.result(); // throws what the leader threw
                throw new AssertionError("the leader returned without an fsync");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the leader's fsync never reached the gate");
            }
            Thread.onSpinWait();
        }
    }

    @Tag("lab:step5.group-commit")
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
