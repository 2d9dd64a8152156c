package dev.kvbook.hashindex;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Stores;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashIndexStoreProviderTest {

    final HashIndexStoreProvider provider = new HashIndexStoreProvider();
    final CrashSimVfs vfs = new CrashSimVfs();
    final Path dir = Path.of("/p/db");

    {
        vfs.createDirectories(dir.getParent()); // a store creates no parent directories
    }

    @TempDir
    Path tmp;

    @Test
    void theStoreIsRegisteredAsStep3() {
        try (KeyValueStore store = Stores.open("step3", tmp.resolve("db"))) {
            store.put(utf8("k"), utf8("v"));
            assertThat(store).isInstanceOf(HashIndexStore.class);
        }
    }

    @Test
    void recognizesAStep3DirectoryAndNothingElse() {
        try (KeyValueStore store = provider.open(dir, vfs)) {
            store.put(utf8("k"), utf8("v"));
        }
        assertThat(provider.recognizes(dir, vfs)).isTrue();
        assertThat(provider.recognizes(Path.of("/nothing"), vfs)).isFalse();
        assertThat(provider.recognizes(dir.resolve("000001.data"), vfs)).isFalse();
    }

    @Test
    void verifyOfAHealthyStoreIsCleanAndSaysWhatItChecked() {
        try (HashIndexStore store = HashIndexStore.open(dir, HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(128))) {
            for (int i = 0; i < 10; i++) {
                store.put(utf8("k" + i), utf8("value " + i));
            }
        }
        var report = provider.verify(dir, vfs);
        assertThat(report.problems()).isEmpty();
        assertThat(report.checked()).anyMatch(line -> line.contains("hint"));
    }

    @Test
    void inspectShowsSegmentsHintsAndTheKeydirDiagram() {
        try (HashIndexStore store = HashIndexStore.open(dir, HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(128))) {
            for (int i = 0; i < 10; i++) {
                store.put(utf8("k" + i), utf8("value " + i));
            }
            store.delete(utf8("k1"));
        }
        Inspection inspection = provider.inspect(dir, vfs);
        assertThat(inspection.text()).contains("000001.data", "valid");
        assertThat(inspection.mermaid()).startsWith("flowchart LR").contains("keydir", "--> s");
    }

    @Test
    void mergeIsOfferedAsMaintenance() {
        assertThat(provider.maintenanceOperations()).containsExactly("merge");
        try (KeyValueStore store = provider.open(dir, vfs)) {
            store.put(utf8("k"), utf8("v"));
            store.put(utf8("k"), utf8("w"));
            assertThat(provider.runMaintenance(store, "merge")).startsWith("merged");
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("w"));
            assertThatThrownBy(() -> provider.runMaintenance(store, "compact")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
