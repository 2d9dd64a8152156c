package dev.kvbook.wal;

import dev.kvbook.api.Keys;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.StoreOpener;
import dev.kvbook.testkit.crash.StoreChecker;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the step-5 tests share: where the file is, how to open it, the checker, the store's own operations. */
final class Wals {

    static final String FILE = "wal.db";

    /** The defaults: every commit durable, group commit, checkpoint every 4 MiB of log and on close. */
    static final StoreOpener DURABLE = (vfs, home) -> WalStore.open(home.resolve(FILE),
            WalStore.Options.defaults().withVfs(vfs));

    /** A 2-page cache and a checkpoint whenever the log passes two frames: checkpoints inside every workload. */
    static final StoreOpener TINY = (vfs, home) -> WalStore.open(home.resolve(FILE),
            WalStore.Options.defaults().withVfs(vfs).withCachePages(2).withCheckpointWalBytes(2L * (4096 + 60)));

    /**
     * A checkpoint whenever the log passes six frames: a log that grows ahead of its frames (1, 2,
     * 4, then 6 frames of file), then is restarted and overwritten in place, again and again,
     * inside one workload ({@link WalCrashTest#OVERWRITES}; issue #27).
     */
    static final StoreOpener RECYCLED = (vfs, home) -> WalStore.open(home.resolve(FILE),
            WalStore.Options.defaults().withVfs(vfs).withCheckpointWalBytes(6L * (4096 + 60)));

    /** The checker through the provider, as the crash drivers call it. */
    static final StoreChecker VERIFY = (vfs, home) -> new WalStoreProvider().verify(home.resolve(FILE), vfs).problems();

    private Wals() {
    }

    /** A checkpoint, as a maintenance operation of the workload. */
    static Op checkpoint() {
        return Op.maintenance("checkpoint", store -> ((WalStore) store).checkpoint());
    }

    /**
     * One transaction of several writes: puts {@code a} and {@code b}, deletes {@code gone}. Its
     * model effect applies all three, so a crash must leave all or none.
     */
    static Op transaction(String a, String b, String gone, String value) {
        return new Op.Custom("transaction {put " + a + ", put " + b + ", delete " + gone + "} = " + value,
                store -> ((TransactionalStore) store).inTransaction(t -> {
                    t.put(Keys.utf8(a), Keys.utf8(value));
                    t.put(Keys.utf8(b), Keys.utf8(value + "-" + b));
                    t.delete(Keys.utf8(gone));
                    return null;
                }),
                model -> {
                    model.put(Keys.utf8(a), Keys.utf8(value));
                    model.put(Keys.utf8(b), Keys.utf8(value + "-" + b));
                    model.remove(Keys.utf8(gone));
                });
    }

    /** The store-specific operations the model and crash tests mix in. */
    static List<Op> storeSpecificOps() {
        return List.of(checkpoint(), transaction("a", "b", "c", "tx1"), transaction("key3", "key7", "key1", "tx2"));
    }

    /** Runs the checker and fails the test with its report if it found anything. */
    static VerifyReport assertHealthy(Vfs vfs, Path file) {
        VerifyReport report = new WalStoreProvider().verify(file, vfs);
        assertThat(report.problems()).as(report::toString).isEmpty();
        return report;
    }
}
