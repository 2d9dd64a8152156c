package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of which hints a workspace has been shown: {@value #FILE}, plain text, one line per
 * hint revealed, committed with the learner's work.
 *
 * <pre>
 * # kv lab hint: every hint shown in this workspace, one line each: time (UTC), lab, hint number.
 * # Commit this file with your work: it tells your teacher which hints you used.
 * 2026-12-05T10:15:03Z step1.frame 1
 * 2026-12-05T10:41:50Z step1.frame 2
 * </pre>
 * Why record at all: a teacher weighing a lab done with the near-answer against one done without
 * a hint should be able to tell them apart, and the learner should know that they can. It is a
 * note, not a lock: the file is the learner's, and nothing here stops them editing it.
 *
 * <p>Reading is forgiving: comments, blank lines and lines that do not parse are skipped, so a
 * hand-edited file never stops {@code kv lab hint} from working. A lab counts as shown up to the
 * highest hint number recorded for it.
 */
public final class HintLog {

    /** The file in the workspace. */
    public static final String FILE = ".kvbook-hints";

    private static final List<String> HEADER = List.of(
            "# kv lab hint: every hint shown in this workspace, one line each: time (UTC), lab, hint number.",
            "# Commit this file with your work: it tells your teacher which hints you used.");

    private HintLog() {
    }

    /** One recorded reveal. */
    record Reveal(Instant at, String labId, int hint) {

        /** The line for the file: ISO time to the second, lab id, hint number, separated by spaces. */
        String line() {
            return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS)) + " " + labId + " " + hint;
        }

        /** The reveal on {@code line}, or null when the line is a comment or does not parse. */
        static Reveal parse(String line) {
            String[] words = line.strip().split("\\s+");
            if (line.startsWith("#") || words.length != 3) {
                return null;
            }
            try {
                int hint = Integer.parseInt(words[2]);
                return hint >= 1 && hint <= HintLadder.RUNGS ? new Reveal(Instant.parse(words[0]), words[1], hint) : null;
            } catch (DateTimeParseException | NumberFormatException notAReveal) {
                return null; // a hand-edited line: skipped, as the class comment promises
            }
        }
    }

    /** Every reveal recorded in the workspace {@code dir}, in file order; none when there is no file. */
    static List<Reveal> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            List<Reveal> reveals = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Reveal reveal = Reveal.parse(line);
                if (reveal != null) {
                    reveals.add(reveal);
                }
            }
            return reveals;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** How many hints of {@code labId} the workspace {@code dir} has been shown: 0 to 3. O(file size). */
    public static int shown(Path dir, String labId) {
        return read(dir).stream().filter(r -> r.labId().equals(labId)).mapToInt(Reveal::hint).max().orElse(0);
    }

    /** Appends one reveal to the file in {@code dir}, creating it with its header comment if missing. */
    public static void record(Path dir, Instant at, String labId, int hint) {
        Path file = dir.resolve(FILE);
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            lines.addAll(HEADER);
        }
        lines.add(new Reveal(at, labId, hint).line());
        try {
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the hint in " + file, e);
        }
    }

    /**
     * One line saying how many hints of each of {@code labs} were shown, such as
     * {@code "hints shown (.kvbook-hints): step1.frame 2 of 3, step1.replace 3 of 3"}; null when none was.
     * For the end of {@code kv lab check}'s checklist.
     */
    public static String summary(Path dir, List<Lab> labs) {
        Map<String, Integer> shown = new LinkedHashMap<>();
        List<Reveal> reveals = read(dir);
        for (Lab lab : labs) {
            reveals.stream().filter(r -> r.labId().equals(lab.id())).mapToInt(Reveal::hint).max()
                    .ifPresent(n -> shown.put(lab.id(), n));
        }
        if (shown.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        shown.forEach((lab, n) -> parts.add(lab + " " + n + " of " + HintLadder.RUNGS));
        return "hints shown (" + FILE + "): " + String.join(", ", parts);
    }
}
