package dev.kvbook.hashindex;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.KeyValueStoreContract;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.Op;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** Step 3 against the whole contract when writes are durable only at sync, close, rollover and merge. */
@Tag("lab:step3.build-hints-merge")
class HashIndexStoreSyncOnlyContractTest extends KeyValueStoreContract {

    @Override
    protected KeyValueStore open(Vfs vfs, Path home) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStoreContractTest.small(vfs).withSyncEveryWrite(false));
    }

    @Override
    protected List<Op> storeSpecificOps() {
        return List.of(HashIndexStoreContractTest.MERGE);
    }

    @Test
    void hintFilesAndAFullScanRebuildTheSameKeydir() {
        for (int i = 0; i < 150; i++) {
            store.put(utf8("k" + i % 30), utf8("value " + i));
        }
        store.delete(utf8("k3"));
        store.close();
        store = null;
        var withHints = readAllWith(true);
        var byScanning = readAllWith(false);
        assertThat(withHints).hasSize(29);
        assertSameState(byScanning, withHints);
    }

    private java.util.NavigableMap<byte[], byte[]> readAllWith(boolean hints) {
        try (KeyValueStore reopened = HashIndexStore.open(home.resolve("db"),
                HashIndexStoreContractTest.small(Vfs.local()).withSyncEveryWrite(false).withHintFiles(hints))) {
            assertThat(((Number) reopened.stats().detail(hints ? "hintFilesUsed" : "segmentsScannedWithoutHint")).longValue()).isPositive();
            return History.readAll(reopened);
        }
    }
}
