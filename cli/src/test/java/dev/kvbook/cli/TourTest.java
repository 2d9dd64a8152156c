package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv tour} with a tiny number of keys: never near its time budget, so nothing here depends on speed. */
class TourTest {

    @TempDir
    Path dir;

    @Test
    void tinyTourVisitsEveryStoreAndEndsWithTheSideBySideTable() {
        Kv.Result result = Kv.run("tour", "--keys", "40");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).isEmpty();
        for (StoreProvider provider : Stores.providers()) {
            assertThat(result.out()).contains(provider.name() + ": " + provider.description());
        }
        assertThat(result.out()).contains("load             40 puts", "every value as written", "written per put",
                "syncs per put", "heap held", "lesson: ", "side by side").doesNotContain("too slow", "BUG");
        String table = result.out().substring(result.out().indexOf("side by side"));
        assertThat(table.lines().filter(l -> l.startsWith("  step"))).hasSize(Stores.providers().size());
    }

    @Test
    void temporaryDirectoryIsDeletedAfterwards() {
        Kv.Result result = Kv.run("tour", "--keys", "5", "--store", "step2");
        Matcher kept = Pattern.compile("Stores are kept in (\\S+) \\(deleted afterwards\\)").matcher(result.out());
        assertThat(kept.find()).as(result.out()).isTrue();
        assertThat(Path.of(kept.group(1))).doesNotExist();
    }

    @Test
    void storesKeptWithDirCanBeVerifiedAfterwards() {
        Path home = dir.resolve("tour");
        Kv.Result result = Kv.run("tour", "--keys", "30", "--dir", home.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        for (StoreProvider provider : Stores.providers()) {
            Kv.Result verify = Kv.run("verify", home.resolve(provider.name()).toString());
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
        }
        BadInputTest.assertOneLine(Kv.run("tour", "--keys", "30", "--dir", home.toString()), "from an earlier tour");
    }

    @Test
    void stepOneTeachesThatEveryPutRewritesTheWholeFile() {
        Kv.Result result = Kv.run("tour", "--keys", "200", "--store", "step1");
        assertThat(result.out()).contains("lesson: every put rewrote the whole file");
    }

    @Test
    void stepTwoTeachesThatEveryGetReadsTheWholeLog() {
        Kv.Result result = Kv.run("tour", "--keys", "200", "--store", "step2");
        assertThat(result.out()).contains("lesson: every get read the whole log");
    }

    @Test
    void keysMustBePositive() {
        BadInputTest.assertOneLine(Kv.run("tour", "--keys", "0"), "--keys must be at least 1");
    }
}
