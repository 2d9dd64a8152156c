package dev.kvbook.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv envelope} with tiny sizes: the shape of its output and its clean-up, never its timings. */
class EnvelopeCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonCarriesTheMachineAndEveryMeasurementAndTheScratchDirectoryIsGone() throws IOException {
        Kv.Result result = Kv.run("envelope", "--fsyncs", "5", "--write-mib", "1", "--reads", "10", "--json",
                "--dir", dir.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("\"machine\"", "\"cpu\"", "\"cores\"", "\"fileSystem\"", "\"load\"", "\"date\"",
                "\"fsync\"", "\"sequentialWrite\"", "\"mibPerSecond\"", "\"randomRead\"", "\"direct\"",
                "\"medianNanos\"", "\"p99Nanos\"", "\"samples\": 5", "\"samples\": 10", "\"bytes\": 1048576");
        assertThat(result.out().strip()).startsWith("{").endsWith("}");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("the temporary directory is deleted afterwards").isEmpty();
        }
    }

    @Test
    void textNamesTheMachineAndEachFigureAndTheOneWriterCeiling() {
        Kv.Result result = Kv.run("envelope", "--fsyncs", "3", "--write-mib", "1", "--reads", "4", "--dir", dir.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("kv envelope: ", " cores, ", "fsync after a 128-byte append", "median",
                "p99", "sequential write", "MiB/s", "random 4 KiB read", "writes/s");
        assertThat(result.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Text.WIDTH));
    }

    @Test
    void aMissingDirectoryOrAZeroCountIsBadInput() {
        assertThat(Kv.run("envelope", "--dir", dir.resolve("missing").toString()).exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(Kv.run("envelope", "--reads", "0", "--dir", dir.toString()).exitCode()).isEqualTo(Errors.BAD_INPUT);
    }
}
