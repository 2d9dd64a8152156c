package dev.kvbook.wal;

import dev.kvbook.api.Transaction;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two group-commit races of issue #15, each forced open: a log fsync is held at a gate
 * ({@link GatedLogSyncVfs}) while another thread's read, empty transaction or checkpoint runs in
 * exactly that window. On the code before the fix, the first test's second thread answered
 * "absent" and then read the old value (not linearizable, and not durable), and the second test
 * hung a {@code put} or reported false corruption in about half of its runs.
 */
class CommitRaceTest {

    @TempDir
    Path home;

    private WalStore open(Vfs vfs) {
        return WalStore.open(home.resolve(Wals.FILE), WalStore.Options.defaults().withVfs(vfs));
    }

    @Test
    void aTransactionThatChangesNothingAnswersOnlyOnceTheStateItReadIsDurable() throws Exception {
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(Vfs.local());
        try (WalStore store = open(vfs)) {
            store.put(utf8("k2"), utf8("v3"));
            vfs.close();
            Racer<Boolean> first = Racer.start("first delete", () -> store.delete(utf8("k2")));
            vfs.awaitSyncsEntered(syncsSoFar(store) + 1); // its commit is appended, its fsync held

            // The second delete builds on the first one's commit, finds nothing to delete and
            // changes nothing; it must not answer before the state it read is durable and visible.
            Racer<byte[]> second = Racer.start("second delete, then get", () -> {
                assertThat(store.delete(utf8("k2"))).as("the second delete").isFalse();
                return store.get(utf8("k2"));
            });
            second.awaitDoneOrParked();
            vfs.open();

            assertThat(first.result()).isTrue();
            assertThat(second.result()).as("get after a delete that answered 'absent'").isNull();
        }
        Wals.assertHealthy(Vfs.local(), home.resolve(Wals.FILE));
    }

    @Test
    void aReadOnlyTransactionEndsOnlyOnceTheStateItReadIsDurable() throws Exception {
        byte[] after = getAfterReadingWhileACommitWaitsForItsFsync("read-only transaction", store -> {
            byte[] seen = store.inTransaction(t -> t.get(utf8("k")));
            assertThat(seen).isEqualTo(utf8("new")); // it builds on the newest appended commit
        });
        assertThat(after).as("a get after a transaction that read 'new'").isEqualTo(utf8("new"));
    }

    @Test
    void aRolledBackTransactionEndsOnlyOnceTheStateItReadIsDurable() throws Exception {
        byte[] after = getAfterReadingWhileACommitWaitsForItsFsync("rolled-back transaction", store -> {
            Transaction t = store.begin();
            assertThat(t.get(utf8("k"))).isEqualTo(utf8("new"));
            t.rollback();
        });
        assertThat(after).as("a get after a rolled-back transaction that read 'new'").isEqualTo(utf8("new"));
    }

    /**
     * Holds a put of {@code k = "new"} (over {@code "old"}) at its fsync, runs {@code transaction}
     * and then a get on another thread in that window, lets the fsync go, and returns the get's
     * answer. A transaction must not end before what it read is durable and visible, so the get
     * can only answer "new".
     */
    private byte[] getAfterReadingWhileACommitWaitsForItsFsync(String name, java.util.function.Consumer<WalStore> transaction)
            throws Exception {
        GatedLogSyncVfs vfs = new GatedLogSyncVfs(Vfs.local());
        try (WalStore store = open(vfs)) {
            store.put(utf8("k"), utf8("old"));
            vfs.close();
            Racer<Void> writer = Racer.start("writer", () -> {
                store.put(utf8("k"), utf8("new"));
                return null;
            });
            vfs.awaitSyncsEntered(syncsSoFar(store) + 1);
            Racer<byte[]> reader = Racer.start(name + ", then get", () -> {
                transaction.accept(store);
                return store.get(utf8("k"));
            });
            reader.awaitDoneOrParked();
            vfs.open();
            writer.result();
            return reader.result();
        }
    }

    @Test
    void aCheckpointWaitsForEveryCommitStillWaitingForItsFsync() throws Exception {
        for (int round = 0; round < 10; round++) {
            GatedLogSyncVfs vfs = new GatedLogSyncVfs(Vfs.local());
            try (WalStore store = open(vfs)) {
                store.put(utf8("warm"), utf8("up"));
                vfs.close();
                Racer<Void> leader = Racer.start("leader", () -> {
                    store.put(utf8("a"), utf8("1"));
                    return null;
                });
                vfs.awaitSyncsEntered(syncsSoFar(store) + 1);
                Racer<Void> follower = Racer.start("follower", () -> {
                    store.put(utf8("b"), utf8("2"));
                    return null;
                });
                follower.awaitDoneOrParked();
                Racer<Boolean> checkpoint = Racer.start("checkpoint", store::checkpoint);
                checkpoint.awaitDoneOrParked();
                vfs.open();

                leader.result();
                follower.result();
                checkpoint.result();
                assertThat(store.get(utf8("a"))).isEqualTo(utf8("1"));
                assertThat(store.get(utf8("b"))).isEqualTo(utf8("2"));
                store.put(utf8("c"), utf8("3")); // the log restarted cleanly: commits go on
                assertThat(store.get(utf8("c"))).isEqualTo(utf8("3"));
            }
            Wals.assertHealthy(Vfs.local(), home.resolve(Wals.FILE));
        }
    }

    private static int syncsSoFar(WalStore store) {
        return ((Number) store.stats().detail("walSyncs")).intValue();
    }

    /**
     * A thread running one call, with a watchdog: {@link #result} waits for it at most a minute
     * and turns a hang into a failure that shows where the thread is stuck.
     */
    static final class Racer<T> {
        private final Thread thread;
        private final AtomicReference<T> value = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        private Racer(String name, Callable<T> call) {
            thread = new Thread(() -> {
                try {
                    value.set(call.call());
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, name);
            thread.setDaemon(true);
        }

        static <T> Racer<T> start(String name, Callable<T> call) {
            Racer<T> racer = new Racer<>(name, call);
            racer.thread.start();
            return racer;
        }

        /** Waits until the thread has finished or is parked (waiting for a lock, a condition or the gate). */
        void awaitDoneOrParked() {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (true) {
                Thread.State state = thread.getState();
                if (state == Thread.State.TERMINATED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw hang();
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        /** Whether the call has returned or thrown. */
        boolean isDone() {
            return thread.getState() == Thread.State.TERMINATED;
        }

        T result() throws InterruptedException {
            thread.join(TimeUnit.MINUTES.toMillis(1));
            if (thread.isAlive()) {
                throw hang();
            }
            if (failure.get() != null) {
                throw new AssertionError(thread.getName() + " failed: " + failure.get(), failure.get());
            }
            return value.get();
        }

        private AssertionError hang() {
            StringBuilder dump = new StringBuilder(thread.getName() + " hangs:");
            for (StackTraceElement frame : thread.getStackTrace()) {
                dump.append("\n    at ").append(frame);
            }
            return new AssertionError(dump.toString());
        }
    }
}
