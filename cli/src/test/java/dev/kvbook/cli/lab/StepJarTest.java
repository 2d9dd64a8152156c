package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The jar of the step another builds on: made only from current classes, the same bytes every time. */
class StepJarTest {

    @Test
    void classesOlderThanTheirSourcesAreRefused(@TempDir Path root) throws IOException {
        Path source = root.resolve("step2-append-log/src/main/java/x/A.java");
        Path compiled = root.resolve("step2-append-log/target/classes/x/A.class");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}");
        assertThatThrownBy(() -> StepJar.requireCurrent(root, "step2-append-log"))
                .isInstanceOf(UsageException.class).hasMessageContaining("no compiled classes of step2-append-log");

        Files.createDirectories(compiled.getParent());
        Files.write(compiled, new byte[] {(byte) 0xca, (byte) 0xfe});
        Files.setLastModifiedTime(compiled, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThatThrownBy(() -> StepJar.requireCurrent(root, "step2-append-log"))
                .isInstanceOf(UsageException.class).hasMessageContaining("changed after its last build");

        Files.setLastModifiedTime(compiled, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        StepJar.requireCurrent(root, "step2-append-log");
    }

    @Test
    void theSameClassesMakeTheSameJarWhateverTheirTimes(@TempDir Path classes) throws IOException {
        Files.createDirectories(classes.resolve("x"));
        Files.writeString(classes.resolve("x/B.class"), "b");
        Files.writeString(classes.resolve("x/A.class"), "a");
        byte[] first = StepJar.jar(classes);
        Files.setLastModifiedTime(classes.resolve("x/A.class"), FileTime.from(Instant.parse("2030-05-05T00:00:00Z")));
        assertThat(StepJar.jar(classes)).isEqualTo(first);
    }

    @Test
    void theStepsPomIsPointedAtTheJarsVersion() {
        String pom = "<dependency>\n  <artifactId>kvbook-step4-btree</artifactId>\n  <version>${project.version}</version>\n</dependency>";
        StepJar.Coordinates jar = new StepJar.Coordinates("kvbook-step4-btree", "0.1.0-0123456789ab");
        assertThat(StepJar.pinDependency(pom, jar)).contains("<version>0.1.0-0123456789ab</version>").doesNotContain("project.version");
        assertThatThrownBy(() -> StepJar.pinDependency("<project/>", jar)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no dependency on kvbook-step4-btree");
    }
}
