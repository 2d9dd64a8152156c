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

/** Step 1 against the whole contract when writes are durable only at {@code sync()} and {@code close()}. */
class PickledMapStoreSyncOnlyContractTest extends OrderedKeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return PickledMapStore.open(home.resolve("map.db"),
                PickledMapStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(PickledMapStoreContractTest.batchOp());
    }

    @Test
    void writesReachTheFileOnlyAtSync() {
        long before = (long) store.stats().detail("rewrites");
        store.put(utf8("a"), utf8("1"));
        store.put(utf8("b"), utf8("2"));
        assertThat((long) store.stats().detail("rewrites")).isEqualTo(before);
        store.sync();
        assertThat((long) store.stats().detail("rewrites")).isEqualTo(before + 1);
    }
}
