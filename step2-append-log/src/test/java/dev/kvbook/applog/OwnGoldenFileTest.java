package dev.kvbook.applog;

import dev.kvbook.testkit.GoldenFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kvbook.applog.TestLogs.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The record format's own golden file: a small log, as {@link LogFormat} encodes it, kept at
 * {@link #GOLDEN} and pinned byte for byte, so that a change to the format cannot pass unnoticed.
 * Whoever designs the format records the file: in kvbook it is the reference's; the build lab
 * {@code step2.build-format} starts without it (the build tier leaves {@code src/main/golden/}'s
 * folder of the lab out) and the learner records their own, once their design is settled:
 * <pre>
 * ./mvnw -pl step2-append-log -am test -Dtest=OwnGoldenFileTest -Dsurefire.failIfNoSpecifiedTests=false -Dkvbook.golden.update=true
 * </pre>
 * (the same switch as {@link GoldenFiles}). The file lies under {@code src/main}, not
 * {@code src/test}: it is the designer's work, which a grader that restores the tests must keep.
 * Besides the bytes, the test reads the file back, as records and as a store.
 */
@Tag("lab:step2.build-format")
class OwnGoldenFileTest {

    /** The golden file, relative to the module (where surefire runs). */
    static final Path GOLDEN = Path.of("src", "main", "golden", "step2.build-format", "records.log");

    @TempDir
    Path dir;

    /** The log the golden file holds: three durable writes (each after an fsync) and one that is not. */
    static byte[] log() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<ByteBuffer> parts = List.of(LogFormat.encodeFileHeader(),
                LogFormat.encodeRecord(LogFormat.TYPE_PUT, true, b("cat"), b("meow")),
                LogFormat.encodeRecord(LogFormat.TYPE_PUT, true, b("dog"), b("woof")),
                LogFormat.encodeRecord(LogFormat.TYPE_TOMBSTONE, true, b("cat"), new byte[0]),
                LogFormat.encodeRecord(LogFormat.TYPE_PUT, false, new byte[0], new byte[0]));
        for (ByteBuffer part : parts) {
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void theEncoderStillWritesTheGoldenFileAndTheReaderReadsIt() throws Exception {
        byte[] actual = log();
        if (Boolean.getBoolean(GoldenFiles.UPDATE_PROPERTY)) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, actual);
        }
        if (!Files.isRegularFile(GOLDEN)) {
            fail("no golden file " + GOLDEN.toAbsolutePath() + " yet: once your format is settled, record it with"
                    + " -D" + GoldenFiles.UPDATE_PROPERTY + "=true (see this class's Javadoc) and commit it");
        }
        byte[] golden = Files.readAllBytes(GOLDEN);
        assertThat(actual).as("the log as your encoder writes it now, against %s", GOLDEN).isEqualTo(golden);

        Path log = dir.resolve("golden.log");
        TestLogs.write(log, golden);
        List<LogRecord> records = TestLogs.records(log);
        assertThat(records).extracting(r -> TestLogs.s(r.key()), r -> TestLogs.s(r.value()), LogRecord::type,
                LogRecord::syncedBefore).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cat", "meow", LogFormat.TYPE_PUT, true),
                        org.assertj.core.groups.Tuple.tuple("dog", "woof", LogFormat.TYPE_PUT, true),
                        org.assertj.core.groups.Tuple.tuple("cat", "", LogFormat.TYPE_TOMBSTONE, true),
                        org.assertj.core.groups.Tuple.tuple("", "", LogFormat.TYPE_PUT, false));
        try (AppendLogStore store = AppendLogStore.open(log)) {
            assertThat(TestLogs.contents(store)).isEqualTo(Map.of("dog", "woof", "", ""));
        }
    }
}
