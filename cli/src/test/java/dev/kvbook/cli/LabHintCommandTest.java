package dev.kvbook.cli;

import dev.kvbook.cli.lab.HintLadder;
import dev.kvbook.cli.lab.HintLog;
import dev.kvbook.cli.lab.HintsFile;
import dev.kvbook.cli.lab.LabStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kv lab hint} end to end, in a real step-2 workspace written by {@code kv lab start} (no
 * Maven build): hints come one at a time and in order, each reveal is a line in the workspace's
 * {@code .kvbook-hints}, and the mistakes a learner can make get an error that says what to do.
 */
class LabHintCommandTest {

    static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent(); // the tests run in cli/

    @TempDir
    Path tmp;

    Path ws;
    HintLadder checksum;

    @BeforeEach
    void startAWorkspace() {
        ws = tmp.resolve("ws");
        Kv.Result start = Kv.run("lab", "start", "step2", "--dir", ws.toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        checksum = HintsFile.read(CHECKOUT.resolve(HintsFile.inCheckout(LabStep.STEP2))).get("step2.checksum");
    }

    @Test
    void startCopiesTheStepsHintsIntoTheWorkspaceAndItsLabsFileSaysHowToAsk() throws IOException {
        assertThat(ws.resolve(HintsFile.IN_WORKSPACE)).hasSameTextualContentAs(CHECKOUT.resolve("labs/hints/step2.md"));
        assertThat(ws.resolve(HintLog.FILE)).as("nothing shown yet").doesNotExist();
        assertThat(Files.readString(ws.resolve("LABS.md"))).containsPattern("/kv lab hint step2.encode-record ");
        assertThat(ws.resolve("labs")).as("the rubrics are instructor material").doesNotExist();
    }

    @Test
    void hintsComeOneAtATimeInOrderAndEachRevealIsNotedInTheWorkspace() throws IOException {
        Kv.Result first = hint(10, "step2.checksum");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("step2.checksum: Verify a record's CRC32C", "Time: about 15 minutes",
                "Hint 1 of 3, a nudge:", firstLine(1), "'kv lab hint step2.checksum' again")
                .doesNotContain(firstLine(2), firstLine(3), "Hint 2");

        Kv.Result second = hint(20, "step2.checksum");
        assertThat(second.out()).contains("Hint 2 of 3, the approach:", firstLine(2))
                .doesNotContain("Time:", firstLine(1), firstLine(3));

        Kv.Result third = hint(30, "step2.checksum");
        assertThat(third.out()).contains("Hint 3 of 3, the near-answer:", "That was the last")
                .doesNotContain(firstLine(1), firstLine(2));
        assertThat(third.out()).as("the code fence is dropped, its lines indented").doesNotContain("```")
                .contains("      actual := the CRC32C");

        assertThat(reveals()).containsExactly("2026-12-05T10:00:10Z step2.checksum 1",
                "2026-12-05T10:00:20Z step2.checksum 2", "2026-12-05T10:00:30Z step2.checksum 3");

        Kv.Result again = hint(40, "step2.checksum");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("All 3 hints of step2.checksum are shown", firstLine(1), firstLine(2), firstLine(3));
        assertThat(reveals()).as("showing them again is no new reveal").hasSize(3);
    }

    @Test
    void eachLabHasItsOwnLadderAndShownReprintsWithoutRevealing() throws IOException {
        hint(10, "step2.checksum");
        Kv.Result torn = hint(20, "step2.torn-tail");
        assertThat(torn.out()).contains("Hint 1 of 3, a nudge:", "Time: about 30 minutes");

        Kv.Result shown = Kv.run("lab", "hint", "step2.checksum", "--shown", "--dir", ws.toString());
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).contains("Hint 1 of 3", firstLine(1)).doesNotContain("Hint 2");
        Kv.Result none = Kv.run("lab", "hint", "step2.synced-after", "--shown", "--dir", ws.toString());
        assertThat(none.out()).contains("No hint of step2.synced-after shown yet");
        assertThat(reveals()).containsExactly("2026-12-05T10:00:10Z step2.checksum 1", "2026-12-05T10:00:20Z step2.torn-tail 1");
    }

    @Test
    void anUnknownLabIsRefusedWithTheStepsLabs() {
        Kv.Result r = Kv.run("lab", "hint", "step2.crc", "--dir", ws.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("no lab 'step2.crc' in step2; its labs: step2.encode-record, step2.check-header,"
                + " step2.checksum, step2.synced-after, step2.torn-tail");
        assertThat(ws.resolve(HintLog.FILE)).doesNotExist();

        Kv.Result malformed = Kv.run("lab", "hint", "checksum", "--dir", ws.toString());
        assertThat(malformed.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(malformed.err()).contains("a lab id looks like step1.frame");
    }

    @Test
    void aLabOfAnotherStepIsRefusedSayingWhichStepItBelongsTo() {
        Kv.Result r = Kv.run("lab", "hint", "step1.replace", "--dir", ws.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("lab step1.replace belongs to step1, and " + ws.toAbsolutePath()
                + " is a workspace for step2 (its labs: step2.encode-record");
    }

    @Test
    void aDirectoryThatIsNoWorkspaceIsRefused() {
        Kv.Result r = Kv.run("lab", "hint", "step2.checksum", "--dir", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("is not a lab workspace");
        assertThat(tmp.resolve(HintLog.FILE)).doesNotExist();
    }

    @Test
    void aWorkspaceWithoutItsHintsFileSaysWhereToGetIt() throws IOException {
        Files.delete(ws.resolve(HintsFile.IN_WORKSPACE));
        Kv.Result r = Kv.run("lab", "hint", "step2.checksum", "--dir", ws.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("has no .kvbook-lab-hints.md").contains("labs/hints/step2.md");
    }

    @Test
    void outsideAWorkspaceAllPrintsTheWholeLadderFromTheCheckout() {
        Kv.Result r = Kv.run("lab", "hint", "step2.checksum", "--all"); // run in cli/, inside the checkout
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Time: about 15 minutes", "Hint 1 of 3", "Hint 2 of 3", "Hint 3 of 3",
                firstLine(1), firstLine(2), firstLine(3)).doesNotContain("Noted in");
    }

    @Test
    void allIsRefusedInAWorkspaceWhereHintsComeOneAtATime() {
        Kv.Result r = Kv.run("lab", "hint", "step2.checksum", "--all", "--dir", ws.toString());
        assertThat(r.exitCode()).isEqualTo(Errors.BAD_INPUT);
        assertThat(r.err()).contains("in a workspace the hints come one at a time");
        assertThat(ws.resolve(HintLog.FILE)).doesNotExist();
    }

    /** {@code kv lab hint <lab> --dir ws} at {@code second} seconds past 10:00 on 2026-12-05. */
    private Kv.Result hint(int second, String lab) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z").plusSeconds(second), ZoneOffset.UTC);
        return Kv.runAt(clock, "lab", "hint", lab, "--dir", ws.toString());
    }

    /** The first line of hint {@code n} of step2.checksum. */
    private String firstLine(int n) {
        return checksum.hint(n).lines().findFirst().orElseThrow();
    }

    /** The reveal lines of the workspace's record, without its header comment. */
    private List<String> reveals() throws IOException {
        return Files.readAllLines(ws.resolve(HintLog.FILE)).stream().filter(l -> !l.startsWith("#")).toList();
    }
}
