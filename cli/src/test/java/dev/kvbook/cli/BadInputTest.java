package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Every kind of bad input ends in one line on stderr that names the problem and what to do, and
 * exit code 2; never a stack trace unless {@code --debug} asks for one.
 */
class BadInputTest {

    @TempDir
    Path dir;

    static void assertOneLine(Kv.Result result, String... phrases) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(Errors.BAD_INPUT);
        assertThat(result.errLines()).as(result.toString()).hasSize(1);
        assertThat(result.err()).contains(phrases).doesNotContain("\tat ", "Exception in");
    }

    private Path step1Store(String name) {
        Path path = dir.resolve(name);
        assertThat(Kv.run("put", "--store", "step1", "--path", path.toString(), "k", "v").exitCode()).isZero();
        return path;
    }

    @Test
    void unknownStoreNamesTheStoresThereAre() {
        Kv.Result result = Kv.run("put", "--store", "step9", "--path", dir.resolve("x").toString(), "k", "v");
        assertOneLine(result, "no store called 'step9'", "step1", "step2", "kv stores");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void missingPathIsReportedWithoutCreatingAStore() {
        Path missing = dir.resolve("nothing-here");
        assertOneLine(Kv.run("get", "--store", "step1", "--path", missing.toString(), "k"),
                "no such file or directory", missing.toString(), "check the path");
        assertOneLine(Kv.run("verify", missing.toString()), "no such file or directory");
        assertOneLine(Kv.run("inspect", missing.toString()), "no such file or directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void unreadablePathSaysPermissionDenied() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root can read anything");
        Path path = step1Store("locked-away");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        assertOneLine(Kv.run("inspect", path.toString()), "permission denied");
    }

    @Test
    void pathHoldingAnotherKindOfStoreSaysWhichKindItHolds() {
        Path path = step1Store("one");
        assertOneLine(Kv.run("get", "--store", "step2", "--path", path.toString(), "k"),
                "holds a step1 store, not step2", "--store step1");
    }

    @Test
    void fileThatIsNoStoreIsNotMistakenForOne() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just some text\n");
        assertOneLine(Kv.run("inspect", text.toString()), "holds no store kvbook knows");
        assertOneLine(Kv.run("verify", text.toString()), "holds no store kvbook knows");
        assertOneLine(Kv.run("get", "--path", text.toString(), "k"), "holds no store kvbook knows");
    }

    @Test
    void corruptFileIsReportedAsDamageWithTheWayToSeeIt() throws IOException {
        Path path = step1Store("damaged");
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length - 1] ^= (byte) 0x80;
        Files.write(path, bytes);
        assertOneLine(Kv.run("get", "--path", path.toString(), "k"), "the store is damaged", "kv verify");
    }

    @Test
    void storeOpenElsewhereIsReportedAsLocked() {
        Path path = step1Store("busy");
        try (KeyValueStore open = Stores.open("step1", path)) {
            open.put(Keys.utf8("other"), Keys.utf8("handle"));
            assertOneLine(Kv.run("get", "--path", path.toString(), "k"), "already open", "close it first");
        }
    }

    @Test
    void malformedHexSaysWhatHexLooksLikeAndCreatesNothing() {
        Path path = dir.resolve("never");
        assertOneLine(Kv.run("put", "--store", "step1", "--path", path.toString(), "0xZZ", "v"),
                "malformed hex '0xZZ'", "even number of hex digits");
        assertOneLine(Kv.run("put", "--store", "step1", "--path", path.toString(), "k", "0xabc"),
                "malformed hex '0xabc'");
        assertThat(path).doesNotExist();
    }

    @Test
    void missingStoreNameForANewPathAsksForOne() {
        assertOneLine(Kv.run("put", "--path", dir.resolve("new").toString(), "k", "v"),
                "no store at", "--store");
    }

    @Test
    void unknownOptionPointsToHelp() {
        assertOneLine(Kv.run("tour", "--kees", "5"), "Unknown option", "kv tour --help");
    }

    @Test
    void unknownCommandSuggestsTheNearestOne() {
        assertOneLine(Kv.run("tuor"), "tuor", "did you mean");
    }

    @Test
    void missingRequiredOptionIsOneLine() {
        assertOneLine(Kv.run("get", "k"), "--path");
    }

    @Test
    void debugAddsTheStackTrace() {
        Kv.Result result = Kv.run("put", "--debug", "--store", "step1", "--path", dir.resolve("d").toString(), "0xZ", "v");
        assertThat(result.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(result.err()).contains("UsageException", "\tat dev.kvbook.cli.ByteArgs.parse", "malformed hex");
    }

    @Test
    void aPutRefusedForItsKeySizeCreatesNothing() {
        Path store = dir.resolve("never");
        for (String step : new String[] {"step1", "step2", "step3", "step4", "step5", "step6"}) {
            Kv.Result result = Kv.run("put", "--store", step, "--path", store.toString(), "k".repeat(2000), "v");
            assertOneLine(result, "1024");
            assertThat(dir.toFile().list()).as(step + " left something behind").isEmpty();
        }
    }

    @Test
    void aPutIntoAMissingDirectoryIsRefusedNamingItAndCreatesNothing() {
        Path missing = dir.resolve("missing-dir");
        for (String step : new String[] {"step1", "step2", "step3", "step4", "step5", "step6"}) {
            Kv.Result result = Kv.run("put", "--store", step, "--path", missing.resolve("store").toString(), "k", "v");
            assertOneLine(result, missing.toString());
            assertThat(missing).as(step + " created the parent").doesNotExist();
        }
    }

    @Test
    void stepThreeOnARegularFileSaysItNeedsADirectory() throws IOException {
        Path regular = dir.resolve("regular.txt");
        java.nio.file.Files.writeString(regular, "hello");
        assertOneLine(Kv.run("put", "--store", "step3", "--path", regular.toString(), "k", "v"),
                "it is a file", "keeps its store in a directory");
        assertThat(regular).hasContent("hello");
    }

    @Test
    void damageInAStepThreeSegmentPointsVerifyAtTheStoreNotTheSegment() throws IOException {
        Path store = dir.resolve("s3");
        for (String key : new String[] {"a", "b", "c"}) {
            assertThat(Kv.run("put", "--store", "step3", "--path", store.toString(), key, "value-" + key).exitCode()).isZero();
        }
        Path segment = store.resolve("000001.data");
        byte[] bytes = java.nio.file.Files.readAllBytes(segment);
        bytes[20] ^= (byte) 0xFF; // inside the first record; flagged records follow, so this is damage, not a torn tail
        java.nio.file.Files.write(segment, bytes);
        Kv.Result result = Kv.run("get", "--path", store.toString(), "b");
        assertOneLine(result, "the store is damaged", "'kv verify " + store + "' lists every problem");
    }
}
