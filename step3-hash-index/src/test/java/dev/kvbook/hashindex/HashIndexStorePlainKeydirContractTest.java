package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 3 with the plain keydir ({@link PlainKeydir}, a hash map) instead of the packed default:
 * the whole contract and the model-based property, with small segments and merges, so the idea
 * in its plainest form is held to the same promise as the optimised store.
 */
class HashIndexStorePlainKeydirContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs).withPackedKeydir(false));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(HashIndexStoreContractTest.MERGE);
    }
}
