package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;

/**
 * Step 4 against the whole ordered contract and the model-based property, with its defaults:
 * 4 KiB pages, a 16 MiB cache, every write durable on return. The tree checker runs after each
 * test on the file the test left behind.
 */
@Tag("lab:step4.build-node")
class BTreeStoreContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return BTreeStore.open(home.resolve(Trees.FILE), BTreeStore.Options.defaults().withVfs(vfs));
    }

    @AfterEach
    void theFileLeftBehindPassesTheTreeChecker() {
        if (store != null) {
            store.close();
        }
        Trees.assertHealthy(Vfs.local(), home.resolve(Trees.FILE));
    }
}
