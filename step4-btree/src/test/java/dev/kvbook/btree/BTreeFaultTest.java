package dev.kvbook.btree;

import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreFailedException;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.testkit.crash.FaultDriver;
import dev.kvbook.testkit.crash.FaultReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.FaultyVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * I/O errors at every call of a workload. The call that meets the error throws; the store then
 * refuses everything ({@link StoreFailedException}); reopened on the healthy disk it holds the
 * state before or after, or, when pages had already been overwritten in place, it refuses with
 * the unclean-shutdown error: the same promise as after a crash, declared to the
 * {@link FaultDriver} with {@code refusalAllowed}.
 */
class BTreeFaultTest {

    private static final Predicate<RuntimeException> UNCLEAN = e -> e instanceof UncleanShutdownException;

    @Test
    void anIoErrorAtEveryCallFailsTheCallAndLosesNothingAcknowledged() {
        FaultReport report = new FaultDriver(Trees.DURABLE).refusalAllowed(UNCLEAN).workload(BTreeCrashTest.WORKLOAD).checker(Trees.VERIFY).run();
        System.out.println("step4 faults: " + report.summary());
        report.assertAllHandled();
    }

    @Test
    void aDiskThatFillsUpAtAnyCallFailsCleanly() {
        FaultReport report = new FaultDriver(Trees.DURABLE).refusalAllowed(UNCLEAN).workload(BTreeCrashTest.WORKLOAD).mode(FaultyVfs.Mode.DISK_FULL)
                .checker(Trees.VERIFY).run();
        System.out.println("step4 disk full: " + report.summary());
        report.assertAllHandled();
    }

    @Test
    void anIoErrorInSyncOnlyModeKeepsTheStateBeforeOrAfter() {
        FaultReport report = new FaultDriver(Trees.SYNC_ONLY_TINY_CACHE).refusalAllowed(UNCLEAN).durableOnEveryWrite(false)
                .workload(BTreeCrashTest.WORKLOAD).checker(Trees.VERIFY).run();
        System.out.println("step4 sync-only faults: " + report.summary());
        report.assertAllHandled();
    }

    @Test
    void afterAFailedWriteEveryCallThrowsStoreFailedAndCloseStillReleasesTheLock() {
        CrashSimVfs disk = new CrashSimVfs();
        disk.createDirectories(Path.of("/f"));
        FaultyVfs faulty = new FaultyVfs(disk);
        BTreeStore store = BTreeStore.open(Path.of("/f/tree.db"), BTreeStore.Options.defaults().withVfs(faulty));
        store.put(Keys.utf8("kept"), Keys.utf8("1"));
        faulty.failAt(3, FaultyVfs.Mode.FAIL_ONCE);
        assertThatThrownBy(() -> store.put(Keys.utf8("lost"), Keys.utf8("2"))).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(() -> store.put(Keys.utf8("later"), Keys.utf8("3"))).isInstanceOf(StoreFailedException.class);
        assertThatThrownBy(() -> store.get(Keys.utf8("kept"))).isInstanceOf(StoreFailedException.class);
        store.close();
        try (BTreeStore again = BTreeStore.open(Path.of("/f/tree.db"),
                BTreeStore.Options.defaults().withVfs(disk).withOpenUncleanReadOnly(true))) {
            assertThat(again.get(Keys.utf8("kept"))).isEqualTo(Keys.utf8("1"));
        }
    }
}
