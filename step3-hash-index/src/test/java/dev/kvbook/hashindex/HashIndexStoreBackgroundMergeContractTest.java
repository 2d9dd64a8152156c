package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.Op;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void closeLeavesNoMergeThreadBehind() {
        for (int i = 0; i < 300; i++) {
            store.put(utf8("counter"), utf8("value " + i));
        }
        store.close();
        store = null;
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith(BackgroundMerge.THREAD_NAME) && t.isAlive());
    }
}
