package dev.kvbook.lsm;

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
 * Step 6 against the ordered contract and the model-based property, every write durable on
 * return, with a 1 KiB memtable, 256-byte blocks, level 0 compacted at two tables and a 4 KiB
 * level 1, so that flushes and compactions happen all the time; flushing on the writer's thread.
 * {@code flush()} and {@code compact()} are among the random operations.
 */
class LsmStoreContractTest extends OrderedKeyValueStoreContract {

    static final Op FLUSH = Op.maintenance("flush", store -> ((LsmStore) store).flush());
    static final Op COMPACT = Op.maintenance("compact", store -> ((LsmStore) store).compact());

    /** Tiny thresholds, everything on the writer's thread. */
    static LsmStore.Options small(Vfs vfs) {
        return LsmStore.Options.defaults().withVfs(vfs).withMemtableBytes(1024).withBlockBytes(256).withTableBytes(2048)
                .withLevel0(2, 4).withLevels(4096, 2).withManifestRewriteBytes(2048).withBackgroundCompaction(false);
    }

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return LsmStore.open(home.resolve("db"), small(vfs));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(FLUSH, COMPACT);
    }

    @Test
    void smallMemtablesFlushAndCompactAndKeepEveryLiveKey() {
        for (int i = 0; i < 300; i++) {
            store.put(utf8("k" + i % 60), utf8("value " + i));
        }
        store.delete(utf8("k7"));
        assertThat((long) store.stats().detail("flushes")).isPositive();
        assertThat((long) store.stats().detail("compactions")).isPositive();
        reopen();
        assertThat(store.size()).isEqualTo(59);
        assertThat(store.get(utf8("k59"))).isEqualTo(utf8("value 299"));
        assertThat(store.get(utf8("k7"))).isNull();
        ((LsmStore) store).compact();
        assertThat(store.size()).isEqualTo(59);
        assertThat(store.get(utf8("k7"))).isNull();
    }
}
