package dev.kvbook.applog;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.Inspection;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The step-2 plug: found by name, opens, verifies, inspects, recognizes. */
// Pins the reference format (it damages bytes at the reference layout's field offsets): the build tier of step2.build-format leaves it out.
@Tag("design:step2.build-format")
class AppendLogStoreProviderTest {

    @TempDir
    Path dir;

    private final StoreProvider provider = new AppendLogStoreProvider();

    private Path golden() {
        Path log = dir.resolve("golden.log");
        TestLogs.write(log, GoldenFiles.read("three-writes.log"));
        return log;
    }

    @Test
    void serviceLoaderFindsStep2ByName() {
        assertThat(Stores.provider("step2")).isInstanceOf(AppendLogStoreProvider.class);
        assertThat(provider.description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void providerOpensAWorkingStore() {
        Path log = dir.resolve("store.log");
        try (KeyValueStore store = Stores.open("step2", log)) {
            store.put(b("k"), b("v"));
        }
        try (KeyValueStore store = provider.open(log, Vfs.local())) {
            assertThat(store.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void verifyFindsAHealthyLogClean() {
        VerifyReport report = provider.verify(golden(), Vfs.local());
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.store()).isEqualTo("step2");
        assertThat(String.join("\n", report.checked()))
                .contains("magic 0x4B564C47")
                .contains("3 records (2 PUT, 1 TOMBSTONE; 3 written right after an fsync)")
                .contains("CRC32C over 38 bytes")
                .contains("end of the log at offset 58");
    }

    @Test
    void verifyReportsEveryBadRecordWithItsOffset() {
        Path log = dir.resolve("store.log");
        try (KeyValueStore store = AppendLogStore.open(log)) {
            for (int i = 0; i < 6; i++) {
                store.put(b("k" + i), b("value " + i));
            }
        }
        List<LogRecord> records = TestLogs.records(log);
        TestLogs.flipByte(log, records.get(1).end() - 1);
        TestLogs.flipByte(log, records.get(4).offset() + LogFormat.TYPE_AT);
        byte[] damaged = TestLogs.read(log);
        VerifyReport report = provider.verify(log, Vfs.local());
        assertThat(report.problems()).hasSize(2);
        assertThat(report.problems().get(0)).contains("offset " + records.get(1).offset()).contains("checksum");
        assertThat(report.problems().get(1)).contains("offset " + records.get(4).offset()).contains("record type");
        assertThat(String.join("\n", report.checked())).contains("4 records");
        assertThat(TestLogs.read(log)).as("verify changes nothing").isEqualTo(damaged);
    }

    @Test
    void verifyReportsATornTailAsATornTail() {
        Path log = golden();
        byte[] bytes = TestLogs.read(log);
        TestLogs.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        VerifyReport report = provider.verify(log, Vfs.local());
        assertThat(report.problems()).singleElement().asString()
                .startsWith("torn tail").contains("offset 44");
    }

    @Test
    void verifyReportsABadHeader() {
        Path log = dir.resolve("foreign.log");
        TestLogs.write(log, b("definitely not a log"));
        assertThat(provider.verify(log, Vfs.local()).problems()).singleElement().asString().contains("magic");
        assertThat(provider.verify(dir.resolve("missing.log"), Vfs.local()).problems())
                .singleElement().asString().contains("no such file");
    }

    @Test
    void verifyTakesTheStoreLock() {
        Path log = dir.resolve("store.log");
        try (KeyValueStore store = AppendLogStore.open(log)) {
            assertThat(store.size()).as("the store is open in this process").isZero();
            assertThatThrownBy(() -> provider.verify(log, Vfs.local())).isInstanceOf(StoreLockedException.class);
        }
        assertThat(provider.verify(log, Vfs.local()).isClean()).isTrue();
    }

    @Test
    void inspectListsEveryRecordWithItsStatus() {
        Inspection inspection = provider.inspect(golden(), Vfs.local());
        assertThat(inspection.store()).isEqualTo("step2");
        assertThat(inspection.text())
                .containsPattern("(?m)^ +8 +18 +PUT \\(after fsync\\) +\"cat\" +4 +superseded$")
                .containsPattern("(?m)^ +26 +18 +PUT \\(after fsync\\) +\"dog\" +4 +live$")
                .containsPattern("(?m)^ +44 +14 +TOMBSTONE \\(after fsync\\) +\"cat\" +- +tombstone$")
                .contains("end of log at offset 58: clean")
                .contains("3 records: 1 live, 1 superseded, 1 tombstone; 18 live bytes, 32 garbage bytes");
        assertThat(inspection.mermaid()).startsWith("flowchart LR")
                .contains("@26 PUT (after fsync) #quot;dog#quot;<br/>live\"]:::live")
                .contains("header --> r0");
    }

    @Test
    void inspectCapsTheListingOfLongLogs() {
        Path log = dir.resolve("long.log");
        try (KeyValueStore store = AppendLogStore.open(log, AppendLogStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int i = 0; i < 500; i++) {
                store.put(b("k" + (i % 50)), b("v" + i));
            }
        }
        Inspection inspection = provider.inspect(log, Vfs.local());
        assertThat(inspection.text()).contains("... 400 more records not listed (first 100 shown)")
                .contains("500 records: 50 live, 450 superseded");
        assertThat(inspection.text().lines().count()).isLessThan(110);
        assertThat(inspection.mermaid()).contains("... 488 more records").doesNotContain("r12[");
    }

    @Test
    void inspectShowsWhereALogIsDamaged() {
        Path log = golden();
        TestLogs.flipByte(log, 26 + LogFormat.TYPE_AT);
        assertThat(provider.inspect(log, Vfs.local()).text()).contains("CORRUPTION at offset 26");
    }

    @Test
    void recognizesStep2LogsAndNothingElse() throws Exception {
        assertThat(provider.recognizes(golden(), Vfs.local())).isTrue();
        Path other = dir.resolve("other.bin");
        TestLogs.write(other, b("KVL"));
        assertThat(provider.recognizes(other, Vfs.local())).isFalse();
        TestLogs.write(other, b("SQLite format 3\u0000"));
        assertThat(provider.recognizes(other, Vfs.local())).isFalse();
        assertThat(provider.recognizes(dir.resolve("missing"), Vfs.local())).isFalse();
        assertThat(provider.recognizes(Files.createDirectory(dir.resolve("a-directory")), Vfs.local())).isFalse();
    }
}
