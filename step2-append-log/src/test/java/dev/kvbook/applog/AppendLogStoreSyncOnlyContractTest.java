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
 * Step 2 against the whole contract when writes are durable only at {@code sync()} and
 * {@code close()}, and with automatic compaction switched on at a low threshold so that it
 * runs in the middle of the contract's and the model's workloads.
 */
class AppendLogStoreSyncOnlyContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return AppendLogStore.open(home.resolve("log.db"), AppendLogStore.Options.defaults().withVfs(vfs)
                .withSyncEveryWrite(false).withAutoCompaction(0.5, 256));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(AppendLogStoreContractTest.COMPACT);
    }

    @Test
    void automaticCompactionRunsOnceGarbagePassesTheRatio() {
        for (int i = 0; i < 200; i++) {
            store.put(utf8("counter"), utf8("value " + i));
        }
        assertThat((long) store.stats().detail("compactions")).isPositive();
        assertThat(store.stats().garbageBytes()).isLessThan(store.stats().bytesOnDisk());
        assertThat(store.get(utf8("counter"))).isEqualTo(utf8("value 199"));
    }
}
