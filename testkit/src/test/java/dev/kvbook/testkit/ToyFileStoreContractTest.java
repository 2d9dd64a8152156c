package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** The contract suite and the model-based property, run against the toy store: the suites themselves must pass a correct store. */
class ToyFileStoreContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return new ToyFileStore(vfs, home, ToyFileStore.Flaw.NONE);
    }

    @Test
    void theToyStoreLeavesOneDataFileAndNoTempFile() {
        store.put(utf8("k"), utf8("v"));
        assertThat(home.resolve("toy.db")).exists();
        assertThat(home.resolve("toy.tmp")).doesNotExist();
    }
}
