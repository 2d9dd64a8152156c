package dev.kvbook.pickled;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.Op;
import dev.kvbook.testkit.OrderedKeyValueStoreContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 1 against the whole ordered contract and the model-based property, in its default mode
 * (every write durable on return). A batch of writes joins the random operations.
 */
class PickledMapStoreContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return PickledMapStore.open(home.resolve("map.db"), PickledMapStore.Options.defaults().withVfs(vfs));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(batchOp());
    }

    /** A batch that writes two keys and deletes a third in one rewrite. */
    static Op batchOp() {
        return new Op.Custom("batch(put a, put bb, delete c)",
                store -> ((PickledMapStore) store).batch(b -> {
                    b.put(utf8("a"), utf8("batched"));
                    b.put(utf8("bb"), utf8("batched"));
                    b.delete(utf8("c"));
                }),
                model -> {
                    model.put(utf8("a"), utf8("batched"));
                    model.put(utf8("bb"), utf8("batched"));
                    model.remove(utf8("c"));
                });
    }

    @Test
    void aBatchOfWritesRewritesTheFileOnce() {
        long before = (long) store.stats().detail("rewrites");
        ((PickledMapStore) store).batch(b -> {
            for (int i = 0; i < 20; i++) {
                b.put(utf8("k" + i), utf8("v" + i));
            }
            b.delete(utf8("k3"));
        });
        assertThat((long) store.stats().detail("rewrites")).isEqualTo(before + 1);
        reopen();
        assertThat(store.size()).isEqualTo(19);
    }
}
