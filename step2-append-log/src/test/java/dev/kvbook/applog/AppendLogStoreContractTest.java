package dev.kvbook.applog;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 2 against the whole contract and the model-based property, every write durable on
 * return, with {@code compact()} among the random operations.
 */
class AppendLogStoreContractTest extends KeyValueStoreContract {

    static final Op COMPACT = Op.maintenance("compact", store -> ((AppendLogStore) store).compact());

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return AppendLogStore.open(home.resolve("log.db"), AppendLogStore.Options.defaults().withVfs(vfs));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(COMPACT);
    }
}
