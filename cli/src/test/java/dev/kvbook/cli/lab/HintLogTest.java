package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The record of hints shown ({@link HintLog}) and where {@code kv lab hint} looks for a workspace
 * ({@link HintCommand#locate}), without running {@code kv}.
 */
class HintLogTest {

    @TempDir
    Path dir;

    @Test
    void eachRevealIsOneReadableLineUnderAHeaderThatSaysWhatTheFileIs() throws IOException {
        HintLog.record(dir, Instant.parse("2026-12-05T10:15:03.123456Z"), "step1.frame", 1);
        HintLog.record(dir, Instant.parse("2026-12-05T10:41:50Z"), "step1.frame", 2);
        List<String> lines = Files.readAllLines(dir.resolve(HintLog.FILE));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("# kv lab hint: ");
        assertThat(lines.get(1)).startsWith("# Commit this file with your work");
        assertThat(lines.subList(2, 4)).containsExactly("2026-12-05T10:15:03Z step1.frame 1", "2026-12-05T10:41:50Z step1.frame 2");
        assertThat(HintLog.shown(dir, "step1.frame")).isEqualTo(2);
        assertThat(HintLog.shown(dir, "step1.replace")).isZero();
    }

    @Test
    void readingSkipsLinesItCannotParseAndCountsTheHighestHintShown() throws IOException {
        Files.writeString(dir.resolve(HintLog.FILE), String.join("\n", "# a comment", "", "not a reveal",
                "2026-12-05T10:15:03Z step1.frame 3", "yesterday step1.replace 1", "2026-12-05T10:16:00Z step1.frame 1",
                "2026-12-05T10:17:00Z step1.replace 7", "2026-12-05T10:18:00Z step1.replace x", ""));
        assertThat(HintLog.shown(dir, "step1.frame")).isEqualTo(3);
        assertThat(HintLog.shown(dir, "step1.replace")).isZero();
    }

    @Test
    void theSummaryForTheChecklistNamesEachLabWithHintsShownInTheLabsOrder() {
        assertThat(HintLog.summary(dir, List.of(lab("step1.frame")))).isNull();
        HintLog.record(dir, Instant.EPOCH, "step1.replace", 3);
        HintLog.record(dir, Instant.EPOCH, "step1.frame", 1);
        HintLog.record(dir, Instant.EPOCH, "step1.frame", 2);
        assertThat(HintLog.summary(dir, List.of(lab("step1.frame"), lab("step1.integrity"), lab("step1.replace"))))
                .isEqualTo("hints shown (.kvbook-hints): step1.frame 2 of 3, step1.replace 3 of 3");
    }

    @Test
    void theWorkspaceIsDirThenHereThenTheOneBesideTheCheckout() throws IOException {
        Path here = Files.createDirectories(dir.resolve("here"));
        Path beside = Files.createDirectories(dir.resolve("kvbook-lab-step1"));
        Path given = dir.resolve("given");
        assertThat(HintCommand.locate(given, here, () -> beside, "step1.frame")).isEqualTo(given);

        assertThatThrownBy(() -> HintCommand.locate(null, here, () -> beside, "step1.frame"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(here + " is not a lab workspace, and neither is " + beside)
                .hasMessageContaining("--dir").hasMessageContaining("--all");

        Files.writeString(beside.resolve(Workspace.MARKER_FILE), "step=step1\n");
        assertThat(HintCommand.locate(null, here, () -> beside, "step1.frame")).isEqualTo(beside);

        Files.writeString(here.resolve(Workspace.MARKER_FILE), "step=step1\n");
        assertThat(HintCommand.locate(null, here, () -> {
            throw new AssertionError("the checkout is not looked for when here is a workspace");
        }, "step1.frame")).isEqualTo(here);
    }

    @Test
    void aLabIdMustLookLikeOneAndNameAStep() {
        assertThat(HintCommand.stepOfId("step4.descend")).isEqualTo(LabStep.STEP4);
        assertThatThrownBy(() -> HintCommand.stepOfId("frame")).isInstanceOf(UsageException.class)
                .hasMessageContaining("a lab id looks like step1.frame");
        assertThatThrownBy(() -> HintCommand.stepOfId("step7.frame")).isInstanceOf(UsageException.class)
                .hasMessageContaining("a lab id looks like step1.frame");
    }

    private static Lab lab(String id) {
        return new Lab(id, LabStep.STEP1, "a task", Path.of("F.java"), "book/01-step1-pickled-map.md", List.of("T"));
    }
}
