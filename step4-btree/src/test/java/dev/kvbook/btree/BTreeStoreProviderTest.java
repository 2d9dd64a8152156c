package dev.kvbook.btree;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code step4} provider: found by name, recognizes its files, verifies and inspects them. */
class BTreeStoreProviderTest {

    private static final Path FILE = Path.of("/p/tree.db");
    private final BTreeStoreProvider provider = new BTreeStoreProvider();
    private CrashSimVfs vfs;

    @BeforeEach
    void freshDisk() {
        vfs = new CrashSimVfs();
        vfs.createDirectories(FILE.getParent());
    }

    private void load(int keys, int keyLength) {
        try (var store = Stores.open("step4", FILE, vfs)) {
            for (int i = 0; i < keys; i++) {
                byte[] key = new byte[keyLength];
                java.util.Arrays.fill(key, (byte) '-');
                byte[] name = utf8(String.format("k%04d", i));
                System.arraycopy(name, 0, key, 0, name.length);
                store.put(key, utf8("v" + i));
            }
        }
    }

    @Test
    void itIsFoundByNameAndDescribesItself() {
        assertThat(Stores.provider("step4")).isInstanceOf(BTreeStoreProvider.class);
        assertThat(provider.description()).contains("B+tree");
    }

    @Test
    void itRecognizesItsFilesAndNothingElse() {
        load(3, 10);
        assertThat(provider.recognizes(FILE, vfs)).isTrue();
        assertThat(provider.recognizes(Path.of("/p/missing"), vfs)).isFalse();
        vfs.putDurableFile(Path.of("/p/other"), utf8("KVP1 something else entirely"));
        assertThat(provider.recognizes(Path.of("/p/other"), vfs)).isFalse();
    }

    @Test
    void verifyOfAHealthyStoreFindsNothingAndSaysWhatItChecked() {
        load(200, 300);
        VerifyReport report = provider.verify(FILE, vfs);
        assertThat(report.isClean()).as(report::toString).isTrue();
        assertThat(String.join("\n", report.checked())).contains("tree of height").contains("free list")
                .contains("exactly one of tree, overflow chains, free list");
    }

    @Test
    void verifyReportsEveryDamagedPageWithoutThrowing() {
        load(200, 300);
        byte[] bytes = vfs.files().get(FILE);
        bytes[3 * 4096 + 100] ^= 1;
        bytes[5 * 4096 + 200] ^= 1;
        vfs.putDurableFile(FILE, bytes);
        VerifyReport report = provider.verify(FILE, vfs);
        assertThat(report.problems()).anyMatch(p -> p.contains("page 3 checksum"));
        assertThat(report.problems()).anyMatch(p -> p.contains("page 5 checksum"));
        vfs.putDurableFile(FILE, new byte[3000]);
        assertThat(provider.verify(FILE, vfs).problems()).isNotEmpty();
    }

    @Test
    void inspectDrawsASmallTreeInFull() {
        load(12, 900);
        Inspection inspection = provider.inspect(FILE, vfs);
        // "(root)" and not "level 2 (root)": the height of 12 long keys depends on the separators a design keeps.
        assertThat(inspection.text()).contains("(root)").contains("level 1 (leaves)").contains("k0000");
        assertThat(inspection.mermaid()).startsWith("flowchart TD").contains("-->").contains("-.->").contains("leaf");
        System.out.println(inspection.text() + "\n" + inspection.mermaid());
    }

    @Test
    void inspectSummarizesALargeTree() {
        // 80-byte keys: over 40 leaves (TreeInspector lists 40) even for a design that fills pages to the brim.
        load(3000, 80);
        Inspection inspection = provider.inspect(FILE, vfs);
        assertThat(inspection.mermaid()).contains("pages at level");
        assertThat(inspection.mermaid().lines().count()).isLessThan(100);
        assertThat(inspection.text()).contains("more pages");
    }

    @Test
    void statsNameTheStore() {
        load(1, 5);
        try (var store = provider.open(FILE, vfs)) {
            Map<String, Object> details = store.stats().details();
            assertThat(store.stats().store()).isEqualTo("step4");
            assertThat(details.get("height")).isEqualTo(1);
        }
    }
}
