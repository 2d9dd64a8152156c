package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hint ladders of one step, {@code labs/hints/<step>.md}: content kept as data, apart from
 * the code, so that writing a hint needs no Java and a hint can be read on GitHub as it is.
 *
 * <pre>
 * # Hints: step 1, the pickled map          a title and a paragraph for the reader (ignored)
 *
 * ## step1.frame                            one section per lab, named by its id
 * time: 30 minutes                          the estimate: N minutes, N hour(s), N.5 hours
 * 1. The Javadoc of ...                     hint 1, 2 and 3, in order; a hint goes on in lines
 *    indented by three spaces ...           indented by three spaces (a Markdown list item),
 * 2. ...                                    code fences included
 * 3. ...
 * </pre>
 * A lab has at most one section, and every section has a time and exactly three hints; anything
 * else is refused with the file and line. {@code kv lab start} copies the step's file into the
 * workspace as {@value #IN_WORKSPACE}, so {@code kv lab hint} needs nothing from the checkout.
 */
public final class HintsFile {

    /** The step's hints in a workspace: hidden, so that they are asked for rather than stumbled on. */
    public static final String IN_WORKSPACE = ".kvbook-lab-hints.md";

    static final Pattern SECTION = Pattern.compile("^## (\\S+)\\s*$");
    static final Pattern TIME = Pattern.compile("^time: (\\d+(?:\\.5)?) (minutes|hours?)\\s*$");
    static final Pattern HINT = Pattern.compile("^(\\d+)\\. (.*)$");
    /** A hint's continuation lines are indented like a Markdown list item's: three spaces. */
    static final String CONTINUATION = "   ";

    private HintsFile() {
    }

    /** Where a step's hints live in the checkout: {@code labs/hints/<step>.md}. */
    public static Path inCheckout(LabStep step) {
        return Path.of("labs", "hints", step.id() + ".md");
    }

    /** A line that breaks the format above, with the file and line. */
    public static final class FormatException extends IllegalStateException {
        FormatException(Path file, int line, String problem) {
            super(file + ":" + line + ": " + problem);
        }
    }

    /** Reads and parses {@code file}. */
    public static Map<String, HintLadder> read(Path file) {
        try {
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hints " + file, e);
        }
    }

    /**
     * The ladders of a hints file's lines, by lab id in file order; {@code file} names it in errors.
     *
     * @throws FormatException for a section without a time or without exactly three hints, a
     *                         repeated lab, or a line that belongs nowhere
     */
    public static Map<String, HintLadder> parse(Path file, List<String> lines) {
        Map<String, HintLadder> ladders = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size() && !SECTION.matcher(lines.get(i)).matches()) {
            if (lines.get(i).startsWith("##")) {
                throw new FormatException(file, i + 1, "a section heading is '## <lab id>', such as '## step1.frame'");
            }
            i++; // the title and the paragraph before the first section
        }
        while (i < lines.size()) {
            int start = i;
            String id = section(file, lines.get(i), i + 1);
            i++;
            int end = i;
            while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                end++;
            }
            HintLadder ladder = ladder(file, id, lines.subList(i, end), i + 1);
            if (ladders.put(id, ladder) != null) {
                throw new FormatException(file, start + 1, "a second section for " + id + "; each lab has one ladder");
            }
            i = end;
        }
        return ladders;
    }

    private static String section(Path file, String line, int number) {
        Matcher m = SECTION.matcher(line);
        if (!m.matches() || !LabMarkers.ID.matcher(m.group(1)).matches()) {
            throw new FormatException(file, number, "a section heading is '## <lab id>', such as '## step1.frame'");
        }
        return m.group(1);
    }

    /** One section's body: the time line, then hints 1 to 3. {@code first} is the body's first line number. */
    private static HintLadder ladder(Path file, String id, List<String> body, int first) {
        int i = 0;
        while (i < body.size() && body.get(i).isBlank()) {
            i++;
        }
        Matcher time = i < body.size() ? TIME.matcher(body.get(i)) : null;
        if (time == null || !time.matches()) {
            throw new FormatException(file, first + i, id + " needs its time first: 'time: 30 minutes', '1 hour' or '1.5 hours'");
        }
        double amount = Double.parseDouble(time.group(1));
        int minutes = (int) Math.round(time.group(2).startsWith("hour") ? amount * 60 : amount);
        List<List<String>> hints = new ArrayList<>();
        for (i++; i < body.size(); i++) {
            String line = body.get(i);
            Matcher hint = HINT.matcher(line);
            if (hint.matches()) {
                int number = Integer.parseInt(hint.group(1));
                if (number != hints.size() + 1 || number > HintLadder.RUNGS) {
                    throw new FormatException(file, first + i, id + ": hint " + number + " where hint "
                            + (hints.size() + 1) + " should be; a ladder has hints 1, 2 and 3, in order");
                }
                hints.add(new ArrayList<>(List.of(hint.group(2))));
            } else if (line.isBlank()) {
                if (!hints.isEmpty()) {
                    hints.get(hints.size() - 1).add("");
                }
            } else if (line.startsWith(CONTINUATION) && !hints.isEmpty()) {
                hints.get(hints.size() - 1).add(line.substring(CONTINUATION.length()));
            } else {
                throw new FormatException(file, first + i, id + ": a line outside any hint; a hint starts with '"
                        + (hints.size() + 1) + ". ' and goes on in lines indented by three spaces");
            }
        }
        if (hints.size() != HintLadder.RUNGS) {
            throw new FormatException(file, first + body.size() - 1, id + " has " + hints.size() + " hints; a ladder has "
                    + HintLadder.RUNGS + ": a nudge, the approach, the near-answer");
        }
        return new HintLadder(id, time.group(1) + " " + time.group(2), minutes, hints.stream().map(HintsFile::join).toList());
    }

    /** A hint's lines as one text, without the blank lines that separate it from what follows. */
    private static String join(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        return String.join("\n", lines.subList(0, end));
    }

    /**
     * Copies the hints of {@code step} from the checkout {@code root} into the workspace {@code dir}
     * as {@value #IN_WORKSPACE}; does nothing when the checkout has none for the step.
     */
    public static void copyInto(Path root, LabStep step, Path dir) {
        Path source = root.resolve(inCheckout(step));
        if (!Files.isRegularFile(source)) {
            return;
        }
        try {
            Files.copy(source, dir.resolve(IN_WORKSPACE), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the hints " + source + " into " + dir, e);
        }
    }
}
