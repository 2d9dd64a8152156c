package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a lab workspace goes by default: never inside the kvbook checkout. */
class WorkspacePlaceTest {

    private static final Path ROOT = Path.of("/home/ada/kvbook");

    @Test
    void runInsideTheCheckoutTheDefaultWorkspaceGoesBesideIt() {
        assertThat(LabCommand.defaultDir(LabStep.STEP1, ROOT, ROOT)).isEqualTo(Path.of("/home/ada/kvbook-lab-step1"));
        assertThat(LabCommand.defaultDir(LabStep.STEP2, ROOT, ROOT.resolve("cli/src")))
                .isEqualTo(Path.of("/home/ada/kvbook-lab-step2"));
    }

    @Test
    void runElsewhereTheDefaultWorkspaceGoesInTheCurrentDirectory() {
        assertThat(LabCommand.defaultDir(LabStep.STEP3, ROOT, Path.of("/home/ada/labs")))
                .isEqualTo(Path.of("/home/ada/labs/kvbook-lab-step3"));
        assertThat(LabCommand.isInside(Path.of("/home/ada/kvbook-other"), ROOT)).as("a sibling that shares a prefix").isFalse();
        assertThat(LabCommand.isInside(ROOT.resolve("x/../y"), ROOT)).isTrue();
    }
}
