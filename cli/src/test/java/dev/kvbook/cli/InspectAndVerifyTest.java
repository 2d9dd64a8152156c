package dev.kvbook.cli;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.Stores;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        Map<String, Object> printed = object(json.out());
        assertThat(printed).containsEntry("store", "step6").containsKey("model");
        assertThat((String) printed.get("text")).contains("level 1: ");
        assertThat((String) printed.get("mermaid")).contains("subgraph L1");
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
    void inspectAsJsonIsOneObjectWithStoreAndPathBothRenderingsAndTheModel() {
        for (String kind : new String[]{"step1", "step2", "step3"}) {
            Path path = store(kind);
            Kv.Result result = Kv.run("inspect", path.toString(), "--format", "json");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            Map<String, Object> printed = object(result.out());
            assertThat(printed.keySet()).containsExactly("store", "path", "text", "mermaid", "model");
            assertThat(printed).containsEntry("store", kind).containsEntry("path", path.toString());
            // The model printed is the provider's model, field for field.
            StoreModel model = Stores.provider(kind).inspect(path, Vfs.local(), Window.defaults()).model();
            assertThat(printed.get("model")).isEqualTo(JsonReader.parse(model.toJson()));
            assertThat(printed.get("text")).isEqualTo(Stores.provider(kind).inspect(path, Vfs.local()).text());
        }
    }

    @Test
    void inspectPagesTheModelAndTracesALookup() {
        Path path = dir.resolve("many.log");
        try (KeyValueStore store = Stores.provider("step2").open(path, Vfs.local())) {
            for (int i = 0; i < 300; i++) {
                store.put(Keys.utf8(String.format("k%03d", i)), Keys.utf8("v"));
            }
        }
        Kv.Result result = Kv.run("inspect", path.toString(), "--format", "json", "--first", "100", "--limit", "5",
                "--lookup", "0x6b323530"); // k250, in hex
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<?, ?> model = (Map<?, ?>) object(result.out()).get("model");
        Map<?, ?> file = (Map<?, ?>) ((List<?>) model.get("regions")).get(0);
        assertThat(file.get("total")).isEqualTo(301L);
        List<?> items = (List<?>) file.get("items");
        assertThat(items).hasSize(6);
        assertThat(items.stream().map(i -> (Object) ((Map<?, ?>) i).get("index")).toList())
                .containsExactly(100L, 101L, 102L, 103L, 104L, 251L);
        Map<?, ?> lookup = (Map<?, ?>) model.get("lookup");
        assertThat(lookup.get("key")).isEqualTo("\"k250\"");
        assertThat(lookup.get("found")).isEqualTo(true);

        Kv.Result text = Kv.run("inspect", path.toString(), "--lookup", "k250");
        assertThat(text.out()).contains("get \"k250\": found, path file@8 -> file@", " more) -> ",
                "reads and checksums all 300 records");
        Kv.Result missing = Kv.run("inspect", path.toString(), "--lookup", "nope");
        assertThat(missing.out()).contains("get \"nope\": not found");
    }

    @Test
    void badPagingOrLookupValuesAreUsageErrorsThatSayWhatIsAllowed() {
        Path path = store("step1");
        Kv.Result zero = Kv.run("inspect", path.toString(), "--format", "json", "--limit", "0");
        assertThat(zero.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(zero.err()).contains("--limit must be 1 to " + Window.MAX_LIMIT);
        assertThat(zero.out()).isEmpty();
        Kv.Result huge = Kv.run("inspect", path.toString(), "--limit", String.valueOf(Window.MAX_LIMIT + 1));
        assertThat(huge.exitCode()).isEqualTo(Errors.BAD_INPUT);
        Kv.Result negative = Kv.run("inspect", path.toString(), "--first", "-1");
        assertThat(negative.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(negative.err()).contains("--first must be 0 or more");
        Kv.Result notANumber = Kv.run("inspect", path.toString(), "--limit", "many");
        assertThat(notANumber.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(notANumber.err()).contains("--limit");
        Kv.Result badHex = Kv.run("inspect", path.toString(), "--lookup", "0xabc");
        assertThat(badHex.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(badHex.err()).contains("malformed hex");
        Kv.Result longKey = Kv.run("inspect", path.toString(), "--lookup", "k".repeat(Limits.MAX_KEY_SIZE + 1));
        assertThat(longKey.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(longKey.err()).contains("at most " + Limits.MAX_KEY_SIZE);
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharactersAndPrintsNoModelAsNull() {
        Inspection inspection = new Inspection("s\"1", Path.of("a\\b"), "line 1\nline\t2\u0001", null);
        String json = InspectCommand.json(inspection);
        assertThat(json).contains("\"store\": \"s\\\"1\"", "\"path\": \"a\\\\b\"",
                "\"text\": \"line 1\\nline\\t2\\u0001\"", "\"mermaid\": null", "\"model\": null");
        Map<String, Object> printed = object(json);
        assertThat(printed).containsEntry("store", "s\"1").containsEntry("text", "line 1\nline\t2\u0001")
                .containsEntry("mermaid", null).containsEntry("model", null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) JsonReader.parse(json.strip());
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
