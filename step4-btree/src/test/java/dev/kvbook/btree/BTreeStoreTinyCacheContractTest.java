package dev.kvbook.btree;

import org.junit.jupiter.api.Tag;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;

/**
 * The ordered contract again with a buffer pool of three pages and writes durable only at sync
 * and close: nearly every page access misses, and dirty pages are written back by eviction in
 * the middle of operations, so the write-back path and the DIRTY mark are exercised throughout.
 */
@Tag("lab:step4.build-node")
class BTreeStoreTinyCacheContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return Trees.SYNC_ONLY_TINY_CACHE.open(vfs, home);
    }

    @AfterEach
    void theFileLeftBehindPassesTheTreeChecker() {
        if (store != null) {
            store.close();
        }
        Trees.assertHealthy(Vfs.local(), home.resolve(Trees.FILE));
    }
}
