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
 * Step 3 against the whole contract and the model-based property, every write durable on
 * return, with 1 KiB segments so that rollovers happen all the time, and {@code merge()} among
 * the random operations.
 */
class HashIndexStoreContractTest extends KeyValueStoreContract {

    static final Op MERGE = Op.maintenance("merge", store -> ((HashIndexStore) store).merge());

    static HashIndexStore.Options small(Vfs vfs) {
        return HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(1024);
    }

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), small(vfs));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(MERGE);
    }

    @Test
    void smallSegmentsRollOverAndAMergeKeepsEveryLiveKey() {
        for (int i = 0; i < 200; i++) {
            store.put(utf8("k" + i % 40), utf8("value " + i));
        }
        store.delete(utf8("k7"));
        assertThat((long) store.stats().detail("rollovers")).isPositive();
        ((HashIndexStore) store).merge();
        reopen();
        assertThat(store.size()).isEqualTo(39);
        assertThat(store.get(utf8("k39"))).isEqualTo(utf8("value 199"));
        assertThat(store.get(utf8("k7"))).isNull();
    }
}
