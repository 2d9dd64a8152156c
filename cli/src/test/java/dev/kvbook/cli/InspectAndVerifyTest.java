package dev.kvbook.cli;

import dev.kvbook.api.Inspection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv inspect} and {@code kv verify}: the store is detected from the file, whatever step wrote it. */
class InspectAndVerifyTest {

    @TempDir
    Path dir;

    private Path store(String kind) {
        Path path = dir.resolve(kind + ".db");
        Kv.run("put", "--store", kind, "--path", path.toString(), "alpha", "one");
        Kv.run("put", "--store", kind, "--path", path.toString(), "beta", "two");
        return path;
    }

    @Test
    void inspectDetectsEachStoreAndPrintsItsLayout() {
        for (String kind : new String[]{"step1", "step2"}) {
            Kv.Result result = Kv.run("inspect", store(kind).toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).isNotBlank();
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void inspectShowsAStep6StoresLevelsTablesAndKeyRangesAsTextMermaidAndJson() {
        Path path = dir.resolve("lsm");
        var provider = dev.kvbook.api.Stores.provider("step6");
        try (var store = provider.open(path, dev.kvbook.api.vfs.Vfs.local())) {
            for (int i = 0; i < 40; i++) {
                store.put(dev.kvbook.api.Keys.utf8("key-" + (100 + i)), dev.kvbook.api.Keys.utf8("value " + i));
                if (i % 10 == 9) {
                    provider.runMaintenance(store, "flush");
                }
            }
            provider.runMaintenance(store, "compact");
            store.put(dev.kvbook.api.Keys.utf8("key-200"), dev.kvbook.api.Keys.utf8("still in the memtable"));
            provider.runMaintenance(store, "flush");
        }
        Kv.Result text = Kv.run("inspect", path.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("step 6 LSM tree", "CURRENT -> MANIFEST-", "level 0 (overlapping, newest first): 1 table",
                "level 1: ", ".sst: ", "keys \"key-100\" .. ", "filter bits");
        Kv.Result mermaid = Kv.run("inspect", path.toString(), "--format", "mermaid");
        assertThat(mermaid.out()).startsWith("flowchart TB").contains("subgraph L0", "subgraph L1", "mem --> L0", "L0 --> L1");
        Kv.Result json = Kv.run("inspect", path.toString(), "--format", "json");
        assertThat(json.out()).startsWith("{\"store\": \"step6\", \"path\": ").contains("level 1: ", "subgraph L1");
        Kv.Result verify = Kv.run("verify", path.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("step6", "clean", "Bloom filter holds every key");
    }

    @Test
    void inspectAsMermaidPrintsTheDiagram() {
        Kv.Result result = Kv.run("inspect", store("step1").toString(), "--format", "mermaid");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isNotBlank().doesNotContain("```");
    }

    @Test
    void inspectAsJsonIsOneObjectWithStoreAndPathAndBothRenderings() {
        Path path = store("step2");
        Kv.Result result = Kv.run("inspect", path.toString(), "--format", "json");
        assertThat(result.exitCode()).isZero();
        String json = result.out().strip();
        assertThat(json).startsWith("{\"store\": \"step2\", \"path\": \"" + path + "\", \"text\": \"")
                .contains("\", \"mermaid\": \"").endsWith("\"}");
        assertThat(json.lines()).hasSize(1);
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        Inspection inspection = new Inspection("s\"1", Path.of("a\\b"), "line 1\nline\t2\u0001", null);
        assertThat(InspectCommand.json(inspection)).isEqualTo(
                "{\"store\": \"s\\\"1\", \"path\": \"a\\\\b\", \"text\": \"line 1\\nline\\t2\\u0001\", \"mermaid\": null}");
    }

    @Test
    void verifyOfAHealthyStoreExitsZeroAndSaysWhatItChecked() {
        for (String kind : new String[]{"step1", "step2"}) {
            Kv.Result result = Kv.run("verify", store(kind).toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).contains(kind, "clean", "checked:");
        }
    }

    @Test
    void verifyOfADamagedStoreExitsOneWithTheProblems() throws IOException {
        Path path = store("step1");
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length - 3] ^= (byte) 0x80;
        Files.write(path, bytes);
        Kv.Result result = Kv.run("verify", path.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Errors.FINDINGS);
        assertThat(result.out()).contains("PROBLEM:");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void verifyWithAnExplicitStoreChecksAFileWhoseMagicIsGone() throws IOException {
        Path path = store("step1");
        byte[] bytes = Files.readAllBytes(path);
        bytes[0] ^= (byte) 0x80;
        Files.write(path, bytes);
        Kv.Result result = Kv.run("verify", path.toString(), "--store", "step1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Errors.FINDINGS);
        assertThat(result.out()).contains("PROBLEM:");
    }

    @Test
    void verifyOfAStoreOpenElsewhereIsBadInputNotAFinding() {
        Path path = store("step2");
        try (var open = dev.kvbook.api.Stores.open("step2", path)) {
            assertThat(open.size()).as("the store is open in this process").isEqualTo(2);
            Kv.Result result = Kv.run("verify", path.toString());
            BadInputTest.assertOneLine(result, "already open");
        }
    }
}
