package dev.kvbook.applog;

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

    @Test
    void compactionKeepsEveryLiveKeyAndReclaimsTheGarbage() {
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10; i++) {
                store.put(utf8("k" + i), utf8("round " + round));
            }
        }
        store.delete(utf8("k3"));
        assertThat(store.stats().garbageBytes()).isPositive();
        long before = store.stats().bytesOnDisk();
        ((AppendLogStore) store).compact();
        assertThat(store.stats().garbageBytes()).isZero();
        assertThat(store.stats().bytesOnDisk()).isLessThan(before / 4);
        reopen();
        assertThat(store.size()).isEqualTo(9);
        assertThat(store.get(utf8("k7"))).isEqualTo(utf8("round 4"));
        assertThat(store.get(utf8("k3"))).isNull();
    }
}
