package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.TransactionalConcurrencyContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The concurrency category of {@link WalStoreConcurrencyTest} with group commit off: each commit
 * waits for its own fsync while it holds the writer lock, so the next transaction always begins
 * from a published state. These pass on today's code, which places issue #15 in group commit.
 */
class WalStoreWithoutGroupCommitConcurrencyTest extends TransactionalConcurrencyContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return WalStore.open(home.resolve(Wals.FILE), WalStore.Options.defaults().withVfs(vfs).withGroupCommit(false));
    }

    @Override
    protected KeyValueStore openStressed(Vfs vfs, Path home) {
        return WalStore.open(home.resolve(Wals.FILE), WalStoreConcurrencyTest.stressed(vfs).withGroupCommit(false));
    }

    @Override
    protected List<Op> maintenanceOps() {
        return List.of(Wals.checkpoint());
    }

    @AfterEach
    void everyRoundsFilePassesTheChecker() throws IOException {
        WalStoreConcurrencyTest.assertEveryRoundHealthy(home);
    }
}
