package dev.kvbook.wal;

import dev.kvbook.btree.Page;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit's ordering, played out step by step on one thread so that each interleaving is
 * exact rather than left to the scheduler.
 */
class GroupCommitTest {

    private static final int PAGE_SIZE = 4096;

    @Test
    void aCommitThatALeaderSyncedBeforeItWasQueuedIsPublishedWhenItReturns() {
        CrashSimVfs vfs = new CrashSimVfs();
        Path dir = Path.of("/gc");
        vfs.createDirectories(dir);
        Wal wal = Wal.start(vfs, dir.resolve("t.db-wal"), null, PAGE_SIZE, 1);
        List<Snapshot> published = new ArrayList<>();
        GroupCommit group = new GroupCommit(wal, published::add);

        // Transaction A appends and queues its commit; transaction B appends, but has not queued
        // yet when A, as the leader, fsyncs: that fsync covers B's frames too.
        Snapshot a = new Snapshot(wal.append(List.of(page(1)), 2, TreeMeta.EMPTY), 2, TreeMeta.EMPTY);
        group.enqueue(a.maxFrame(), a);
        Snapshot b = new Snapshot(wal.append(List.of(page(1)), 2, TreeMeta.EMPTY), 2, TreeMeta.EMPTY);
        group.awaitDurable(a.maxFrame());
        assertThat(published).containsExactly(a);

        // B queues now; its frames are already durable, so it waits for no fsync, but it must
        // not return before readers (and checkpoints) can see it.
        group.enqueue(b.maxFrame(), b);
        group.awaitDurable(b.maxFrame());
        assertThat(published).containsExactly(a, b);
        assertThat(group.batches()).isEqualTo(1);
    }

    private static Page page(int number) {
        return new Page(number, new byte[PAGE_SIZE]);
    }
}
