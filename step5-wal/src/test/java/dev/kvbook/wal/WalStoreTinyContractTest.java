package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.TransactionalStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.List;

/**
 * The same contract with a 2-page cache and a checkpoint whenever the log passes two frames, so
 * that checkpoints happen inside the contract tests and the random sequences, between any two
 * writes; the checker runs after every test.
 */
class WalStoreTinyContractTest extends TransactionalStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return Wals.TINY.open(vfs, home);
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return Wals.storeSpecificOps();
    }

    @AfterEach
    void theCheckerFindsNothing() {
        if (store != null) {
            store.close();
        }
        Wals.assertHealthy(Vfs.local(), home.resolve(Wals.FILE));
    }
}
