package dev.kvbook.pickled;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider: found by name, and its verify, inspect and recognizes on healthy and damaged files. */
class PickledStoreProviderTest {

    @TempDir
    Path dir;

    final StoreProvider provider = new PickledStoreProvider();

    Path path() {
        return dir.resolve("store.pickle");
    }

    /** Writes the golden store ("a" -> "1", "b" -> "") through the provider. */
    void writeGoldenStore() {
        try (KeyValueStore store = provider.open(path(), Vfs.local())) {
            store.put(utf8("a"), utf8("1"));
            store.put(utf8("b"), new byte[0]);
        }
    }

    void damage(long offset, int xor) {
        try (VfsFile file = Vfs.local().open(path(), false)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.readFully(offset, one);
            file.write(offset, ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ xor)}));
        }
    }

    @Test
    void isRegisteredAsStep1() {
        assertThat(Stores.provider("step1")).isInstanceOf(PickledStoreProvider.class);
        assertThat(provider.description()).isNotBlank().doesNotContain("\n");
        try (KeyValueStore store = Stores.open("step1", path())) {
            assertThat(store).isInstanceOf(PickledMapStore.class);
        }
    }

    @Test
    void verifyIsCleanForAHealthyStoreAndSaysWhatItChecked() {
        writeGoldenStore();
        VerifyReport report = provider.verify(path(), Vfs.local());
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.store()).isEqualTo("step1");
        assertThat(String.join("\n", report.checked()))
                .contains("magic", "header CRC32C", "payload CRC32C over 165 bytes", "allow-list", "2 keys strictly ascending");
    }

    @Test
    void verifyOfAStoreNeverWrittenIsClean() {
        assertThat(provider.verify(path(), Vfs.local()).isClean()).isTrue();
        assertThat(provider.verify(dir.resolve("no/such/dir/store.pickle"), Vfs.local()).isClean()).isTrue();
        assertThat(Vfs.local().exists(dir.resolve("no"))).isFalse();
    }

    @Test
    void verifyReportsAFlippedPayloadByte() {
        writeGoldenStore();
        damage(PickledFormat.PAYLOAD_OFFSET + 100, 0x01);
        VerifyReport report = provider.verify(path(), Vfs.local());
        assertThat(report.problems()).anySatisfy(p -> assertThat(p)
                .contains(path().toString(), "offset 24", "payload checksum", "expected 0x", "but found 0x"));
    }

    @Test
    void verifyReportsEveryHeaderProblemNotOnlyTheFirst() {
        writeGoldenStore();
        damage(PickledFormat.MAGIC_OFFSET, 0x20);   // magic
        damage(PickledFormat.VERSION_OFFSET + 1, 0x02); // version 1 -> 3
        VerifyReport report = provider.verify(path(), Vfs.local());
        assertThat(String.join("\n", report.problems()))
                .contains("magic: expected 0x4b565031", "format version: expected 1 but found 3", "header checksum");
    }

    @Test
    void verifyReportsAPayloadThatDoesNotDeserialize() {
        writeGoldenStore();
        byte[] bytes = PickledFormat.readFile(Vfs.local(), path());
        bytes[PickledFormat.PAYLOAD_OFFSET] = 0; // break the stream magic, then make the CRCs match again
        byte[] reframed = PickledFormat.frame(java.util.Arrays.copyOfRange(bytes, PickledFormat.PAYLOAD_OFFSET, bytes.length));
        try (VfsFile file = Vfs.local().open(path(), false)) {
            file.write(0, ByteBuffer.wrap(reframed));
        }
        VerifyReport report = provider.verify(path(), Vfs.local());
        assertThat(report.problems()).singleElement().asString().contains("not a valid serialized snapshot");
    }

    @Test
    void verifyTakesTheLock() {
        try (KeyValueStore open = provider.open(path(), Vfs.local())) {
            assertThat(open.size()).as("the store is open in this process").isNotNegative();
            assertThatThrownBy(() -> provider.verify(path(), Vfs.local())).isInstanceOf(StoreLockedException.class);
        }
    }

    @Test
    void inspectShowsTheHeaderFieldsWithOffsetsAndTheFirstKeys() {
        writeGoldenStore();
        Inspection inspection = provider.inspect(path(), Vfs.local());
        assertThat(inspection.store()).isEqualTo("step1");
        assertThat(inspection.text())
                .contains("189 bytes", "4 + 2 + 2 + 8 + 4 + 4")
                .containsPattern("\\s0\\s+4\\s+magic\\s+0x4b565031 \"KVP1\"")
                .containsPattern("\\s8\\s+8\\s+payload length\\s+165")
                .contains("2 entries; first keys: \"a\", \"b\"", "problems: none");
    }

    @Test
    void inspectOfADamagedFileStillShowsTheLayoutAndNamesTheProblem() {
        writeGoldenStore();
        damage(PickledFormat.PAYLOAD_OFFSET + 100, 0x01);
        Inspection inspection = provider.inspect(path(), Vfs.local());
        assertThat(inspection.text()).contains("payload length", "cannot be decoded", "payload checksum");
    }

    @Test
    void inspectDrawsTheFileAsAMermaidFlowchart() {
        writeGoldenStore();
        String mermaid = provider.inspect(path(), Vfs.local()).mermaid();
        assertThat(mermaid).startsWith("flowchart LR\n").contains("store.pickle, 189 bytes", "0: magic",
                "24: payload, 165 bytes", "2 entries").doesNotContain("```");
        assertThat(provider.inspect(dir.resolve("absent.pickle"), Vfs.local()).mermaid()).startsWith("flowchart LR");
    }

    @Test
    void recognizesOnlyFilesWithItsMagicAndNeverThrows() {
        writeGoldenStore();
        assertThat(provider.recognizes(path(), Vfs.local())).isTrue();
        assertThat(provider.recognizes(dir.resolve("absent"), Vfs.local())).isFalse();
        assertThat(provider.recognizes(dir, Vfs.local())).isFalse();
        Path other = dir.resolve("other");
        try (VfsFile file = Vfs.local().open(other, true)) {
            file.write(0, ByteBuffer.wrap(utf8("KV")));
        }
        assertThat(provider.recognizes(other, Vfs.local())).isFalse();
        try (VfsFile file = Vfs.local().open(other, true)) {
            file.write(0, ByteBuffer.wrap(utf8("KVP2 and more")));
        }
        assertThat(provider.recognizes(other, Vfs.local())).isFalse();
    }
}
