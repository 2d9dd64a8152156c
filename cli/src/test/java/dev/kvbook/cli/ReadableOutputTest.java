package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a learner reads from {@code kv}: counts and nouns that agree ("1 key", never "1 keys" or
 * "1 page(s)"), one number format, labels in words, and text no wider than 100 columns.
 */
class ReadableOutputTest {

    /** "1 keys", "1 tombstones", "1 pages": a count of one with a plural noun. */
    private static final Pattern ONE_PLURAL = Pattern.compile("(?<![\\d.,])1 (key|page|record|tombstone|file|leave|segment"
            + "|problem|commit|write|put|get|delete|overflow page|free page|live key|hint file|segment file)s\\b");

    @TempDir
    Path dir;

    /** A store of each kind holding one key and one tombstone: every count it prints is 0 or 1. */
    private Path storeWithOneOfEverything(String kind) {
        Path path = dir.resolve(kind);
        Kv.Result made = Kv.runWithInput("put a 1\nput b 2\ndel b\nquit\n", "shell", "--store", kind, "--path", path.toString());
        assertThat(made.exitCode()).as(made.toString()).isZero();
        return path;
    }

    @Test
    void inspectVerifyAndStatsAgreeInNumberForEveryStore() {
        for (StoreProvider provider : Stores.providers()) {
            Path path = storeWithOneOfEverything(provider.name());
            for (String command : new String[]{"inspect", "verify"}) {
                Kv.Result result = Kv.run(command, path.toString());
                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.out()).as(provider.name() + " " + command).doesNotContain("(s)")
                        .doesNotContainPattern(ONE_PLURAL);
                assertThat(result.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
            }
            Kv.Result stats = Kv.run("stats", "--path", path.toString());
            assertThat(stats.out()).as(provider.name() + " stats").doesNotContainPattern(ONE_PLURAL);
        }
    }

    @Test
    void statsLabelsAreWordsAndTheCountersSayWhoseTheyAre() {
        Path path = storeWithOneOfEverything("step5");
        Kv.Result stats = Kv.run("stats", "--path", path.toString());
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.out()).contains("live keys", "WAL syncs", "group commit batches", "tail bytes truncated",
                "count from when this process opened the store");
        assertThat(stats.out().lines().map(l -> l.split("  ")[0])).noneMatch(label -> label.matches(".*[a-z][A-Z].*"));
        assertThat(stats.out()).doesNotContain("torn");
    }

    @Test
    void loadPrintsOneNumberFormat() {
        Kv.Result load = Kv.run("load", "--store", "step4", "--path", dir.resolve("loaded").toString(), "--count", "2000");
        assertThat(load.exitCode()).as(load.toString()).isZero();
        assertThat(load.out()).contains("loaded 2,000 keys", "step4: 2,000 live keys, 1 file, ").doesNotContainPattern("\\b\\d{4,} (bytes|keys|live|garbage)");
        Kv.Result one = Kv.run("load", "--store", "step2", "--path", dir.resolve("one").toString(), "--count", "1");
        assertThat(one.out()).contains("loaded 1 key ", "1 live key,");
    }

    @Test
    void theShellFitsInAHundredColumns() {
        Kv.Result shell = Kv.runWithInput("put a 1\nhelp\nstats\ninspect\nverify\nquit\n", "shell", "--store", "step5",
                "--path", dir.resolve("shell").toString());
        assertThat(shell.exitCode()).as(shell.toString()).isZero();
        assertThat(shell.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
    }

    @Test
    void everyCommandsHelpAndTheListsFitInAHundredColumns() {
        for (String[] args : new String[][]{{"stores"}, {"lab", "list"}, {"--help"}, {"tour", "--help"},
                {"crash-lab", "--help"}, {"shell", "--help"}, {"lab", "--help"}}) {
            Kv.Result result = Kv.run(args);
            assertThat(result.out().lines()).as(String.join(" ", args))
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
        }
    }
}
