package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/** The contract suite and the model-based property, run against the toy store: the suites themselves must pass a correct store. */
class ToyFileStoreContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new ToyFileStore(vfs, home, ToyFileStore.Flaw.NONE);
    }
}
