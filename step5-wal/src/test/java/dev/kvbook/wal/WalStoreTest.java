package dev.kvbook.wal;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.BTreeStore;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transactions, isolation, group commit, checkpoints and failures, claim by claim. */
class WalStoreTest {

    @TempDir
    Path home;

    private WalStore open(Vfs vfs, WalStore.Options options) {
        return WalStore.open(home.resolve(Wals.FILE), options.withVfs(vfs));
    }

    @Test
    void aReaderThreadSeesTheOldValueWhileATransactionIsOpenAndAfterRollback() throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults())) {
            store.put(utf8("k"), utf8("old"));
            Transaction t = store.begin();
            t.put(utf8("k"), utf8("new"));
            t.put(utf8("other"), utf8("x"));
            assertThat(reader.submit(() -> store.get(utf8("k"))).get(1, TimeUnit.MINUTES)).isEqualTo(utf8("old"));
            assertThat(reader.submit(() -> store.iterator().toList().size()).get(1, TimeUnit.MINUTES)).isEqualTo(1);
            t.rollback();
            assertThat(reader.submit(() -> store.get(utf8("k"))).get(1, TimeUnit.MINUTES)).isEqualTo(utf8("old"));
            assertThat(store.get(utf8("other"))).isNull();
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void concurrentWritersQueueAndNoIncrementIsLost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults())) {
            store.put(utf8("counter"), utf8("0"));
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.inTransaction(t -> {
                            int n = Integer.parseInt(new String(t.get(utf8("counter"))));
                            t.put(utf8("counter"), utf8(Integer.toString(n + 1)));
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            assertThat(store.get(utf8("counter"))).isEqualTo(utf8("200"));
        } finally {
            pool.shutdownNow();
        }
        Wals.assertHealthy(Vfs.local(), home.resolve(Wals.FILE));
    }

    @Test
    void commitsQueuedBehindARunningFsyncShareTheNextOne() throws Exception {
        // Deterministic, not a count that depends on the scheduler: the leader's fsync is held at a
        // gate until three more commits have appended and parked; then one fsync covers all three.
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(Vfs.local());
        try (WalStore store = open(vfs, WalStore.Options.defaults())) {
            long syncsBefore = (long) store.stats().detail("walSyncs");
            vfs.close();
            List<CommitRaceTest.Racer<Void>> commits = new ArrayList<>();
            commits.add(CommitRaceTest.Racer.start("leader", () -> {
                store.put(utf8("leader"), utf8("1"));
                return null;
            }));
            vfs.awaitSyncsEntered((int) syncsBefore + 1);
            for (int i = 0; i < 3; i++) {
                String key = "follower" + i;
                CommitRaceTest.Racer<Void> follower = CommitRaceTest.Racer.start(key, () -> {
                    store.put(utf8(key), utf8("1"));
                    return null;
                });
                follower.awaitDoneOrParked();
                commits.add(follower);
            }
            vfs.open();
            for (CommitRaceTest.Racer<Void> commit : commits) {
                commit.result();
            }
            long syncs = (long) store.stats().detail("walSyncs") - syncsBefore;
            System.out.println("step5 group commit: 4 commits, " + syncs + " log fsyncs");
            assertThat(syncs).as("the leader's fsync, then one for the three queued behind it").isEqualTo(2);
            assertThat(store.stats().detail("groupCommitBatches")).isEqualTo(2L);
        }
    }

    @Test
    void withoutGroupCommitEveryCommitPaysItsOwnSync() throws Exception {
        CountingVfs counting = new CountingVfs(Vfs.local());
        int commits = commitFromThreads(counting, WalStore.Options.defaults().withGroupCommit(false), 4, 10);
        long walSyncs = counting.perFile().get(WalStore.walPath(home.resolve(Wals.FILE).toAbsolutePath())).syncs();
        // One fsync per commit, plus the log's start and the close.
        assertThat(walSyncs).isGreaterThanOrEqualTo(commits);
    }

    private int commitFromThreads(Vfs vfs, WalStore.Options options, int threads, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (WalStore store = open(vfs, options)) {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int id = thread;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        store.put(utf8("t" + id + "-" + i), utf8("v" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            assertThat(store.size()).isEqualTo((long) threads * each);
        } finally {
            pool.shutdownNow();
        }
        return threads * each;
    }

    @Test
    void aCheckpointCopiesTheLogAndACleanCloseLeavesOneFile() {
        Path file = home.resolve(Wals.FILE);
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults())) {
            store.put(utf8("a"), utf8("1"));
            assertThat((long) store.stats().detail("walBytes")).isGreaterThan(WalFormat.HEADER_SIZE);
            assertThat(store.checkpoint()).isTrue();
            assertThat(store.stats().detail("walBytes")).isEqualTo((long) WalFormat.HEADER_SIZE);
            assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
            assertThat(store.checkpoint()).isFalse();
        }
        assertThat(Vfs.local().exists(WalStore.walPath(file.toAbsolutePath()))).isFalse();
        Wals.assertHealthy(Vfs.local(), file);
    }

    @Test
    void aCheckpointKeepsTheLogsSpaceAndItsOldFramesAreNeverReplayed() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(home);
        Path wal = WalStore.walPath(home.resolve(Wals.FILE).toAbsolutePath());
        WalStore store = open(vfs, WalStore.Options.defaults());
        for (int i = 0; i < 5; i++) {
            store.put(utf8("old" + i), utf8("v" + i));
        }
        store.delete(utf8("old0"));
        long logBytes = vfs.files().get(wal).length;
        assertThat(store.checkpoint()).isTrue();
        assertThat(vfs.files().get(wal).length).as("the old frames stay, to be overwritten").isEqualTo(logBytes);
        store.put(utf8("new"), utf8("1"));
        assertThat(vfs.files().get(wal).length).as("the new frame overwrote an old one").isEqualTo(logBytes);
        vfs.crash();
        try (WalStore recovered = open(vfs, WalStore.Options.defaults())) {
            assertThat(recovered.stats().detail("recoveredCommits")).isEqualTo(1);
            assertThat(recovered.get(utf8("new"))).isEqualTo(utf8("1"));
            assertThat(recovered.get(utf8("old0"))).isNull();
            assertThat(recovered.size()).isEqualTo(5);
        }
    }

    @Test
    void committedTransactionsAreRecoveredFromTheLogAfterACrash() {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(home);
        WalStore store = open(vfs, WalStore.Options.defaults());
        store.inTransaction(t -> {
            t.put(utf8("a"), utf8("1"));
            t.put(utf8("b"), utf8("2"));
            return null;
        });
        Transaction open = store.begin();
        open.put(utf8("c"), utf8("never committed"));
        vfs.crash(); // power loss: no close, no checkpoint
        try (WalStore recovered = open(vfs, WalStore.Options.defaults())) {
            assertThat(recovered.get(utf8("a"))).isEqualTo(utf8("1"));
            assertThat(recovered.get(utf8("b"))).isEqualTo(utf8("2"));
            assertThat(recovered.get(utf8("c"))).isNull();
            assertThat(recovered.stats().detail("recoveredCommits")).isEqualTo(1);
        }
    }

    @Test
    void aFailedLogSyncFailsTheStoreAndIsNeverRetried() {
        CrashSimVfs disk = new CrashSimVfs();
        disk.createDirectories(home);
        FaultyVfs faulty = new FaultyVfs(disk);
        WalStore store = open(faulty, WalStore.Options.defaults());
        store.put(utf8("a"), utf8("1"));
        List<String> before = faulty.callLog();
        // The next put's calls: the write of its commit frame, then the log fsync (its leaf is cached: no read).
        faulty.failAt(2, FaultyVfs.Mode.FAIL_ONCE);
        assertThatThrownBy(() -> store.put(utf8("b"), utf8("2"))).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(() -> store.put(utf8("c"), utf8("3"))).isInstanceOf(StoreFailedException.class);
        assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
        assertThat(store.get(utf8("b"))).as("a commit whose fsync failed is never shown").isNull();
        store.close();
        long syncsAfter = faulty.callLog().subList(before.size(), faulty.callLog().size()).stream()
                .filter(call -> call.startsWith("sync")).count();
        assertThat(syncsAfter).as("the failed fsync is never retried").isEqualTo(1);
    }

    @Test
    void stepFourRefusesAStepFiveDataFile() {
        Path file = home.resolve(Wals.FILE);
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults())) {
            store.put(utf8("a"), utf8("1"));
        }
        assertThatThrownBy(() -> BTreeStore.open(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("not a step-4 B+tree file");
        assertThat(new WalStoreProvider().recognizes(file, Vfs.local())).isTrue();
        assertThat(new dev.kvbook.btree.BTreeStoreProvider().recognizes(file, Vfs.local())).isFalse();
    }

    @Test
    void aThreadWithAnOpenTransactionCannotBeginAnother() {
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults())) {
            try (Transaction t = store.begin()) {
                assertThatThrownBy(() -> store.put(utf8("x"), utf8("y"))).isInstanceOf(IllegalStateException.class);
                t.put(utf8("x"), utf8("z"));
                t.commit();
            }
            assertThat(store.get(utf8("x"))).isEqualTo(utf8("z"));
        }
    }

    @Test
    void inspectShowsTheLogsCommitsAndTheTree() {
        Path file = home.resolve(Wals.FILE);
        try (WalStore store = open(Vfs.local(), WalStore.Options.defaults().withCheckpointOnClose(false))) {
            store.put(utf8("apple"), utf8("red"));
            store.inTransaction(t -> {
                t.put(utf8("kiwi"), utf8("green"));
                t.put(utf8("fig"), utf8("purple"));
                return null;
            });
        }
        String text = new WalStoreProvider().inspect(file, Vfs.local()).text();
        assertThat(text).contains("2 commits").contains("commit 2: frames 2-2").contains(Keys.toDisplay(utf8("kiwi")));
        Wals.assertHealthy(Vfs.local(), file);
    }
}
