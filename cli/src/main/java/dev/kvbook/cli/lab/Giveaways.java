package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the places in a Markdown text that give a lab away, and cuts the listings that do.
 *
 * <p><b>What counts as the lab's code.</b> A lab's body is the lines between its
 * {@code // LAB:BEGIN} and {@code // LAB:END} markers. Each line is <em>normalised</em>: its leading
 * and trailing blanks dropped, every run of blanks inside made one space, and any Markdown quote
 * marks ({@code >}) in front removed. A normalised line is <em>trivial</em> when it has fewer than
 * {@value #MIN_WORD_CHARACTERS} letters, digits or underscores (<code>}</code>, <code>try {</code>,
 * <code>if (head == 0) {</code>): such lines appear in any Java and prove nothing. The body's
 * <em>signature</em> is its non-trivial lines, in order.
 *
 * <p><b>Verbatim.</b> A text gives lab {@code L} away verbatim when some
 * {@value #WINDOW} consecutive lines of {@code L}'s signature appear, normalised, as
 * {@value #WINDOW} consecutive non-trivial lines of the text (trivial lines and blank lines
 * between them are skipped, so an excerpt that drops a brace or elides with {@code ...} still
 * counts). A body with fewer than {@value #WINDOW} non-trivial lines counts when all of them
 * appear so. Three lines are a sentence of code: fewer would flag every chapter that mentions
 * {@code TreeMeta meta = pager.meta();}, more would let a listing through that drops a line.
 *
 * <p>{@link #cutListings} replaces every fenced code block that gives a lab away by a short
 * pointer; {@link #findVerbatim} looks at every line of a text, fenced or not, and is what the
 * tests hold each student edition's book to. Cost: a set of the text's line windows, then one
 * lookup per window of each body; linear in the text and the bodies.
 */
final class Giveaways {

    /** Consecutive non-trivial lines that make a copy. */
    static final int WINDOW = 3;

    /** Letters, digits and underscores a line needs to be more than punctuation. */
    static final int MIN_WORD_CHARACTERS = 8;

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,}).*$");
    private static final Pattern INCLUDE_MARKER = Pattern.compile("^\\s*<!--\\s*include:.*-->\\s*$");

    /**
     * One lab's body: its id and its signature (the normalised non-trivial lines).
     *
     * @param id        the lab's id
     * @param signature the normalised non-trivial lines of the region, in order
     */
    record Body(String id, List<String> signature) {
    }

    /** A place where a text gives a lab away: the lab and the 1-based line of the text where the copy starts. */
    record Finding(String id, int line) {
    }

    private Giveaways() {
    }

    /** The bodies of {@code labs}, read from their source files under the checkout {@code root}. */
    static List<Body> bodies(Path root, List<Lab> labs) {
        List<Body> bodies = new ArrayList<>();
        for (Lab lab : labs) {
            List<Path> files = lab.tier() == LabTier.FILL_IN ? List.of(lab.file())
                    : LabCatalog.buildMarkersOf(root, lab.step()).stream().filter(m -> m.id().equals(lab.id()))
                            .map(LabMarker::file).distinct().toList(); // a build lab may have regions in several files
            for (Path relative : files) {
                Path file = root.resolve(relative);
                try {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (LabMarker marker : LabMarkers.parseAll(relative, lines)) {
                        if (marker.id().equals(lab.id())) {
                            // A build region's nested LAB marker lines are comments no listing prints.
                            List<String> body = lines.subList(marker.beginLine(), marker.endLine() - 1).stream()
                                    .filter(l -> !LabMarkers.ANY_BEGIN.matcher(l).matches() && !LabMarkers.END.matcher(l).matches())
                                    .toList();
                            bodies.add(new Body(lab.id(), signature(body)));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        return bodies;
    }

    /** The normalised, non-trivial lines of {@code lines}, in order. */
    static List<String> signature(List<String> lines) {
        return lines.stream().map(Giveaways::normalise).filter(l -> !trivial(l)).toList();
    }

    /** {@code line} without leading quote marks and outer blanks, inner runs of blanks as one space. */
    static String normalise(String line) {
        return line.strip().replaceFirst("^(>\\s*)+", "").replaceAll("\\s+", " ");
    }

    /** Whether a normalised line has too few word characters to identify any code. */
    static boolean trivial(String normalised) {
        return normalised.replaceAll("\\W", "").length() < MIN_WORD_CHARACTERS;
    }

    /**
     * Every lab of {@code bodies} that {@code text} gives away verbatim (see the class comment), with
     * the line where the first copy starts; at most one finding per lab.
     */
    static List<Finding> findVerbatim(String text, List<Body> bodies) {
        List<String> lines = text.lines().toList();
        List<String> kept = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String normalised = normalise(lines.get(i));
            if (!trivial(normalised)) {
                kept.add(normalised);
                lineNumbers.add(i + 1);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Body body : bodies) {
            int width = Math.min(WINDOW, body.signature().size());
            if (width == 0) {
                continue;
            }
            Set<List<String>> windows = windows(body.signature(), width);
            for (int i = 0; i + width <= kept.size(); i++) {
                if (windows.contains(kept.subList(i, i + width))) {
                    findings.add(new Finding(body.id(), lineNumbers.get(i)));
                    break;
                }
            }
        }
        return findings;
    }

    /**
     * {@code markdown} with every fenced code block that gives a lab of {@code bodies} away replaced
     * by {@code pointer.apply(labId)} (a line of Markdown), indented like the block. A
     * {@code <!-- include: ... -->} marker right above a cut block goes too: it names the reference
     * source the listing came from.
     */
    static String cutListings(String markdown, List<Body> bodies, Function<String, String> pointer) {
        List<String> lines = markdown.lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                out.add(lines.get(i));
                continue;
            }
            int close = closingFence(lines, i, open.group(2));
            List<String> block = lines.subList(i, Math.min(close + 1, lines.size()));
            Optional<Finding> giveaway = findVerbatim(String.join("\n", block), bodies).stream().findFirst();
            if (giveaway.isPresent()) {
                if (!out.isEmpty() && INCLUDE_MARKER.matcher(out.get(out.size() - 1)).matches()) {
                    out.remove(out.size() - 1);
                }
                out.add(open.group(1) + pointer.apply(giveaway.get().id()));
            } else {
                out.addAll(block);
            }
            i = close;
        }
        return String.join("\n", out) + (markdown.endsWith("\n") ? "\n" : "");
    }

    /** The index of the line closing the fence opened at {@code open}, or the last line when it is never closed. */
    private static int closingFence(List<String> lines, int open, String fence) {
        Pattern close = Pattern.compile("^\\s*" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length() + ",}\\s*$");
        for (int j = open + 1; j < lines.size(); j++) {
            if (close.matcher(lines.get(j)).matches()) {
                return j;
            }
        }
        return lines.size() - 1;
    }

    private static Set<List<String>> windows(List<String> signature, int width) {
        Set<List<String>> windows = new HashSet<>();
        for (int i = 0; i + width <= signature.size(); i++) {
            windows.add(List.copyOf(signature.subList(i, i + width)));
        }
        return windows;
    }
}
