package dev.kvbook.wal;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.TransactionalStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.List;

/**
 * The transactional contract and the model-based property with the defaults, checkpoints and
 * multi-key transactions mixed into the random sequences; the checker runs after every test.
 */
class WalStoreContractTest extends TransactionalStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return Wals.DURABLE.open(vfs, home);
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
