package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SurefireReportsTest {

    static final String REPORT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="dev.kvbook.pickled.PickledFormatTest" tests="4">
              <testcase name="goldenFileIsPinned" classname="dev.kvbook.pickled.PickledFormatTest" time="0.1"/>
              <testcase name="badMagicIsReported" classname="dev.kvbook.pickled.PickledFormatTest" time="0.1">
                <failure message="expected: 0x4b565049&#10;but was: 0" type="org.opentest4j.AssertionFailedError">trace</failure>
              </testcase>
              <testcase name="roundTrip" classname="dev.kvbook.pickled.PickledFormatTest" time="0.1">
                <error message="wrapped" type="dev.kvbook.api.StoreFailedException">dev.kvbook.api.StoreFailedException: wrapped
            Caused by: java.lang.UnsupportedOperationException: LAB step1.frame: Put the header in front
            	at dev.kvbook.pickled.PickledFormat.frame(PickledFormat.java:12)</error>
              </testcase>
              <testcase name="later" classname="dev.kvbook.pickled.PickledFormatTest" time="0"><skipped/></testcase>
            </testsuite>
            """;

    @Test
    void passedFailedNotStartedAndSkippedAreToldApart(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("TEST-dev.kvbook.pickled.PickledFormatTest.xml"), REPORT);
        Files.writeString(dir.resolve("dev.kvbook.pickled.PickledFormatTest.txt"), "not a report");
        List<TestOutcome> outcomes = SurefireReports.read(dir);
        assertThat(outcomes).extracting(TestOutcome::status).containsExactly(TestOutcome.Status.PASSED,
                TestOutcome.Status.FAILED, TestOutcome.Status.NOT_STARTED, TestOutcome.Status.SKIPPED);
        assertThat(outcomes.get(1).message()).isEqualTo("expected: 0x4b565049 but was: 0");
        assertThat(outcomes.get(2).blockingLab()).isEqualTo("step1.frame");
    }

    @Test
    void noReportsMeansNoOutcomes(@TempDir Path dir) {
        assertThat(SurefireReports.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void categoriesComeFromTheClassNameFirstThenTheMethodName() {
        assertThat(TestCategory.of("dev.kvbook.pickled.PickledMapStoreCrashTest", "everyPutIsKept"))
                .isEqualTo(TestCategory.CRASH);
        assertThat(TestCategory.of("dev.kvbook.applog.LogFormatTest", "tornRecordIsNotCorruption"))
                .isEqualTo(TestCategory.FORMAT);
        assertThat(TestCategory.of("dev.kvbook.btree.BTreeStoreContractTest", "reopenSeesEveryWrite"))
                .isEqualTo(TestCategory.REOPEN);
        assertThat(TestCategory.of("dev.kvbook.btree.BTreeStoreContractTest", "concurrentReadersSeeWholeValues"))
                .isEqualTo(TestCategory.CONCURRENCY);
        assertThat(TestCategory.of("dev.kvbook.btree.BTreeStoreContractTest", "flippedByteIsCaughtByChecksum"))
                .isEqualTo(TestCategory.CORRUPTION);
        assertThat(TestCategory.of("dev.kvbook.btree.BTreeStoreContractTest", "putThenGet"))
                .isEqualTo(TestCategory.BASIC);
    }
}
