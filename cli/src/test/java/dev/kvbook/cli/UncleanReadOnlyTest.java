package dev.kvbook.cli;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Stores;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import dev.kvbook.testkit.vfs.SimulatedCrash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Step 4 refuses a file that was not closed cleanly, and its advice must be one a CLI user can
 * follow (issue #18, item 6): the read commands take {@code --unclean-read-only}, and the refusal
 * names that flag, not the library's {@code Options} method.
 */
class UncleanReadOnlyTest {

    @TempDir
    Path dir;

    /**
     * A step-4 file holding alpha and beta whose writer lost power in the middle of writing gamma,
     * made on the crash simulator and copied to the real disk: its header says "dirty".
     */
    private Path uncleanStep4File() throws IOException {
        CrashSimVfs sim = new CrashSimVfs();
        Path simFile = Path.of("/sim/tree.db");
        sim.createDirectories(simFile.getParent());
        try (KeyValueStore store = Stores.open("step4", simFile, sim)) {
            store.put(Keys.utf8("alpha"), Keys.utf8("one"));
            store.put(Keys.utf8("beta"), Keys.utf8("two"));
        }
        try (KeyValueStore store = Stores.open("step4", simFile, sim)) {
            sim.crashAtOperation(3); // the dirty header is written and synced; the page write loses power
            store.put(Keys.utf8("gamma"), Keys.utf8("three"));
        } catch (SimulatedCrash expected) {
            // the power went out, as arranged
        }
        sim.crash();
        Path file = Files.write(dir.resolve("tree.db"), sim.files().get(simFile));
        assertThatThrownBy(() -> Stores.open("step4", file).close()).isInstanceOf(UncleanShutdownException.class);
        return file;
    }

    @Test
    void theRefusalNamesTheFlagACliUserCanGive() throws IOException {
        Path file = uncleanStep4File();
        Kv.Result result = Kv.run("get", "--path", file.toString(), "alpha");
        BadInputTest.assertOneLine(result, "not closed cleanly", "--unclean-read-only");
        assertThat(result.err()).doesNotContain("Options.");
    }

    @Test
    void getScanAndStatsReadAnUncleanFileWithTheFlag() throws IOException {
        Path file = uncleanStep4File();
        Kv.Result get = Kv.run("get", "--unclean-read-only", "--path", file.toString(), "alpha");
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).isEqualTo("one\n");
        Kv.Result scan = Kv.run("scan", "--unclean-read-only", "--path", file.toString());
        assertThat(scan.exitCode()).as(scan.toString()).isZero();
        assertThat(scan.out()).contains("alpha = one", "beta = two");
        Kv.Result stats = Kv.run("stats", "--unclean-read-only", "--path", file.toString());
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.out()).containsPattern("read only +true");
        assertThat(Kv.run("get", "--path", file.toString(), "alpha").exitCode())
                .as("the flag changed nothing on disk: still refused without it").isEqualTo(Errors.BAD_INPUT);
    }

    @Test
    void theShellOpensAnUncleanFileReadOnlyWithTheFlagAndRefusesWrites() throws IOException {
        Path file = uncleanStep4File();
        Kv.Result shell = Kv.runWithInput("get beta\nput x y\nget alpha\n",
                "shell", "--unclean-read-only", "--path", file.toString());
        assertThat(shell.out()).as(shell.toString()).contains("two", "one");
        assertThat(shell.err()).as(shell.toString()).contains("read-only");
    }

    @Test
    void aStoreThatRecoversOnOpenSaysTheFlagIsNotForIt() {
        Path log = dir.resolve("log");
        assertThat(Kv.run("put", "--store", "step2", "--path", log.toString(), "k", "v").exitCode()).isZero();
        BadInputTest.assertOneLine(Kv.run("get", "--unclean-read-only", "--path", log.toString(), "k"),
                "--unclean-read-only", "step2");
    }

    @Test
    void writingCommandsDoNotTakeTheFlag() throws IOException {
        Path file = uncleanStep4File();
        Kv.Result put = Kv.run("put", "--unclean-read-only", "--path", file.toString(), "k", "v");
        assertThat(put.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(put.err()).contains("Unknown option");
    }
}
