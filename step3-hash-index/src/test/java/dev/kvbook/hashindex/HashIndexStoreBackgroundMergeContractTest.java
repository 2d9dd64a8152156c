package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;

import java.nio.file.Path;
import java.util.List;

/**
 * Step 3 against the whole contract and the model-based property with background merge on:
 * 1 KiB segments and a merge queued whenever garbage is a fifth of the bytes on disk, so the
 * merge thread runs beside the writes, reopens and explicit merges of every test.
 */
class HashIndexStoreBackgroundMergeContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs).withBackgroundMerge(0.2, 0));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(HashIndexStoreContractTest.MERGE);
    }
}
