package dev.kvbook.cli;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv tour} with a tiny number of keys and no time budget, so nothing here depends on speed. */
class TourTest {

    @TempDir
    Path dir;

    @Test
    void tinyTourVisitsEveryStoreAndEndsWithTheSideBySideTable() {
        Kv.Result result = Kv.run("tour", "--keys", "40");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        for (StoreProvider provider : Stores.providers()) {
            assertThat(result.out()).contains(provider.name() + ": ");
        }
        assertThat(result.out()).contains("load             40 puts", "every value as written", "written per put",
                "syncs per put", "heap held", "lesson: ", "side by side").doesNotContain("too slow", "BUG");
        String tables = result.out().substring(result.out().indexOf("side by side"));
        assertThat(tables.lines().filter(l -> l.startsWith("  step"))).hasSize(2 * Stores.providers().size());
    }

    @Test
    void theWhiteboardTourRunsTheSameWorkloadOverEveryWhiteboardEditionWithNoWrongAnswer() {
        Kv.Result result = Kv.run("tour", "--whiteboard", "--keys", "40");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        for (dev.kvbook.whiteboard.Whiteboards.Whiteboard w : dev.kvbook.whiteboard.Whiteboards.all()) {
            assertThat(result.out()).contains(w.name() + ": ");
        }
        assertThat(result.out()).doesNotContain("wrong answer").contains("side by side");
        assertThat(result.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
    }

    @Test
    void theWhiteboardTourNamesItsStoresAndRefusesAStepName() {
        Kv.Result one = Kv.run("tour", "--whiteboard", "--keys", "20", "--store", "WhiteboardLsm");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).contains("WhiteboardLsm: ").doesNotContain("WhiteboardLog: ");
        Kv.Result step = Kv.run("tour", "--whiteboard", "--keys", "20", "--store", "step6");
        assertThat(step.exitCode()).as(step.toString()).isNotZero();
        assertThat(step.err()).contains("no whiteboard edition step6", "WhiteboardLsm");
    }

    @Test
    void withoutATerminalALineOnStderrSaysEachStoreIsDone() {
        Kv.Result result = Kv.run("tour", "--keys", "20", "--store", "step2", "--store", "step3");
        assertThat(result.err().lines()).hasSize(2).allMatch(l -> l.matches("kv tour: step[23] done in .* \\([12] of 2\\)"));
        assertThat(result.out()).doesNotContain("done in");
    }

    @Test
    void everyLineFitsInAHundredColumns() {
        Kv.Result result = Kv.run("tour", "--keys", "60");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
    }

    @Test
    void twoRunsGiveTheSameCountsAndDifferOnlyInTimings() {
        Kv.Result first = Kv.run("tour", "--keys", "60", "--json");
        Kv.Result second = Kv.run("tour", "--keys", "60", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("\"store\": \"step5\"", "\"bytesWritten\"", "\"syncsPerPut\"");
        assertThat(withoutTimings(second.out())).isEqualTo(withoutTimings(first.out()));
        assertThat(keysColumn(Kv.run("tour", "--keys", "60").out())).isEqualTo(keysColumn(Kv.run("tour", "--keys", "60").out()))
                .hasSize(Stores.providers().size()).containsOnly("60");
    }

    /** The JSON without the measured fields: durations and the heap. */
    private static String withoutTimings(String json) {
        return json.lines().filter(l -> !l.matches(".*\"(nanos|closeNanos|reopenNanos|heapHeld)\":.*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** The keys column of the first side-by-side table. */
    private static java.util.List<String> keysColumn(String out) {
        String tables = out.substring(out.indexOf("side by side"));
        return tables.lines().filter(l -> l.startsWith("  step")).limit(Stores.providers().size())
                .map(l -> l.trim().split(" +")[1]).toList();
    }

    @Test
    void stepOneLoadsFewerKeysBecauseItsLoadCostsNSquaredAndSaysSo() {
        Kv.Result result = Kv.run("tour", "--keys", "1200", "--store", "step1");
        assertThat(result.out()).contains("step1 loads 1,000 keys, not 1,200: it rewrites its whole file on every put",
                "load             1,000 puts");
    }

    @Test
    void stepThreeTeachesThatAGetReadsOneRecordWhereStepTwoScanned() {
        Kv.Result result = Kv.run("tour", "--keys", "300", "--store", "step2", "--store", "step3");
        String step3 = result.out().substring(result.out().indexOf("\nstep3: "));
        assertThat(oneLine(step3)).contains("lesson: a get read one record, 127 B,", "step2 read", "per get, scanning its log");
    }

    @Test
    void stepFiveTeachesOneFsyncPerPutAgainstStepFoursThreeAndCommitsATransaction() {
        Kv.Result result = Kv.run("tour", "--keys", "300", "--store", "step4", "--store", "step5");
        String step5 = oneLine(result.out().substring(result.out().indexOf("\nstep5: ")));
        assertThat(step5).contains("lesson: a put changed whole pages", "yet was durable after 1.0 fsync",
                "step4, writing its pages in place, needed 3.0", "transaction      100 puts",
                "notice: a transaction of 100 puts committed with 1 fsync");
        assertThat(oneLine(result.out().substring(result.out().indexOf("\nstep4: "), result.out().indexOf("\nstep5: "))))
                .doesNotContain("transaction");
    }

    @Test
    void stepSixTeachesFlushesCompactionsLevelsAndWhatTheBloomFiltersSaved() {
        Kv.Result result = Kv.run("tour", "--keys", "1500", "--store", "step5", "--store", "step6");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        String out = oneLine(result.out());
        assertThat(out).contains("step6 runs as a 1/64 scale model (a 64 KiB memtable)");
        String step6 = out.substring(out.indexOf("\nstep6: "));
        assertThat(step6).containsPattern("lesson: puts went to a log and a sorted memtable; [\\d,]+ times a full memtable "
                        + "was written out whole as a sorted table \\(a flush\\), and [\\d,]+ compactions? merged tables")
                .contains("(at the end: L", "never updated in place; step5, rewriting whole pages, wrote",
                        "but their Bloom filters ruled out").doesNotContain("went to the end of a log", "BUG");
    }

    @Test
    void stepSixCountsTheSameOnEveryRunThoughItFlushesAndCompacts() {
        Kv.Result first = Kv.run("tour", "--keys", "700", "--store", "step6", "--json");
        Kv.Result second = Kv.run("tour", "--keys", "700", "--store", "step6", "--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("\"flushes\": [1-9]").contains("\"bloomSkips\"");
        assertThat(withoutTimings(second.out())).isEqualTo(withoutTimings(first.out()));
    }

    /** Wrapped lines joined again, so a test can look for a sentence wherever the line broke. */
    private static String oneLine(String text) {
        return text.replaceAll("\n +", " ");
    }

    @Test
    void temporaryDirectoryIsDeletedAfterwards() {
        Kv.Result result = Kv.run("tour", "--keys", "5", "--store", "step2");
        Matcher kept = Pattern.compile("Stores are kept in (\\S+) \\(deleted afterwards\\)").matcher(oneLine(result.out()));
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
        assertThat(oneLine(result.out())).contains("lesson: every put rewrote the whole file");
    }

    @Test
    void stepTwoTeachesThatEveryGetReadsTheWholeLog() {
        Kv.Result result = Kv.run("tour", "--keys", "200", "--store", "step2");
        assertThat(oneLine(result.out())).contains("lesson: every get read the whole log");
    }

    @Test
    void keysMustBePositive() {
        BadInputTest.assertOneLine(Kv.run("tour", "--keys", "0"), "--keys must be at least 1");
    }
}
