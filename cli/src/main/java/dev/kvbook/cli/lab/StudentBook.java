package dev.kvbook.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The book chapters a student edition carries, made safe to hand out.
 *
 * <p>Which chapters: the step's own, those of the steps it builds on (chapter 2 for step 3,
 * chapter 4 for step 5), and chapter 6, which explains the crash tests the student's code must
 * pass. Each keeps its Mermaid diagrams, which are Markdown. In each:
 * <ol>
 * <li>every fenced listing that gives a lab away ({@link Giveaways}) becomes a one-line pointer;</li>
 * <li>every relative link to something the edition does not carry (a notebook, another chapter,
 *     the benchmark results) becomes its plain text, so that no link is broken;</li>
 * <li>a note under the title says both.</li>
 * </ol>
 * The step's README gets the same treatment ({@link #polish}).
 */
final class StudentBook {

    /** The chapter every edition carries besides its steps': how durability is tested. */
    static final String TESTING_CHAPTER = "06-durability-testing.md";

    private static final Pattern LINK = Pattern.compile("(!?)\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})");
    private static final String NOTE = "> **Student edition.** Listings that would give a lab away are replaced by a pointer to"
            + " the lab, and\n> links to parts of kvbook that this repository does not carry are plain text.";

    private StudentBook() {
    }

    /** The chapter files (names in {@code book/}) of {@code step}'s edition, in reading order. */
    static List<String> chapters(Path root, LabStep step) throws IOException {
        List<String> wanted = new ArrayList<>();
        for (String module : step.stepDependencies()) {
            wanted.add(chapterOf(root, LabStep.parse(module)));
        }
        wanted.add(chapterOf(root, step));
        wanted.add(TESTING_CHAPTER);
        return wanted.stream().distinct().sorted().toList();
    }

    /**
     * Writes {@code step}'s chapters into {@code dir/book}, each with the note under its title and
     * with the listings that give away a lab of {@code bodies} cut. Returns the files written.
     * Links are left for {@link #polish}, once everything the edition carries is in place.
     */
    static List<Path> write(Path root, LabStep step, Path dir, List<Giveaways.Body> bodies) throws IOException {
        Files.createDirectories(dir.resolve("book"));
        List<Path> written = new ArrayList<>();
        for (String chapter : chapters(root, step)) {
            String text = Files.readString(root.resolve("book").resolve(chapter), StandardCharsets.UTF_8);
            Path target = dir.resolve("book").resolve(chapter);
            Files.writeString(target, withNote(Giveaways.cutListings(text, bodies, id -> pointer(id, step))));
            written.add(target);
        }
        return written;
    }

    /**
     * Makes the Markdown file {@code file} of the edition at {@code dir} safe: cuts the listings that
     * give away a lab of {@code bodies} and turns links to what {@code dir} does not hold into text.
     */
    static void polish(Path dir, Path file, LabStep step, List<Giveaways.Body> bodies) throws IOException {
        String text = Giveaways.cutListings(Files.readString(file, StandardCharsets.UTF_8), bodies, id -> pointer(id, step));
        Files.writeString(file, unlinkMissing(text, file.getParent(), dir));
    }

    /** The line that stands where a listing of lab {@code id} was. */
    static String pointer(String id, LabStep step) {
        if (id.startsWith(step.id() + ".")) {
            return "> This listing is lab `" + id + "` in the student edition: see LABS.md.";
        }
        return "> This listing is the reference code of lab `" + id + "`, from another step's labs; the student"
                + " edition leaves it out.";
    }

    /** {@code text} with each relative link whose target is not under {@code dir} (or does not exist) made plain text. */
    static String unlinkMissing(String text, Path from, Path dir) {
        List<String> out = new ArrayList<>();
        String fence = null;
        for (String line : text.split("\n", -1)) {
            Matcher f = FENCE.matcher(line);
            boolean fenceLine = f.find();
            if (fenceLine) { // a fence opens or closes a listing: links in listings are code, not links
                String mark = f.group(1).substring(0, 1);
                fence = fence == null ? mark : mark.equals(fence) ? null : fence;
            }
            if (fence != null || fenceLine) {
                out.add(line);
                continue;
            }
            Matcher link = LINK.matcher(line);
            StringBuilder rewritten = new StringBuilder();
            while (link.find()) {
                String target = link.group(3);
                boolean keep = target.startsWith("#") || target.matches("^[a-z][a-z0-9+.-]*:.*") || exists(from, dir, target);
                link.appendReplacement(rewritten, Matcher.quoteReplacement(keep ? link.group() : link.group(2)));
            }
            link.appendTail(rewritten);
            out.add(rewritten.toString());
        }
        return String.join("\n", out);
    }

    private static boolean exists(Path from, Path dir, String target) {
        String path = target.split("#", 2)[0];
        Path resolved = from.resolve(path).normalize();
        return resolved.startsWith(dir.normalize()) && Files.exists(resolved);
    }

    private static String withNote(String chapter) {
        int title = chapter.startsWith("# ") ? 0 : chapter.indexOf("\n# ") + 1;
        int end = chapter.indexOf('\n', title);
        if (end < 0) {
            return chapter + "\n\n" + NOTE + "\n";
        }
        return chapter.substring(0, end + 1) + "\n" + NOTE + "\n" + chapter.substring(end + 1);
    }

    /** The chapter named after the step's module, whatever its number: {@code 11-step6-lsm.md} for step 6. */
    private static String chapterOf(Path root, LabStep step) throws IOException {
        String suffix = "-" + step.module() + ".md";
        try (Stream<Path> files = Files.list(root.resolve("book"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no chapter book/*" + suffix + " for " + step.id()));
        }
    }
}
