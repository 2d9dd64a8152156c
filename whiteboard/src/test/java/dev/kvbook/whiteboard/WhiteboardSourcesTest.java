package dev.kvbook.whiteboard;

import dev.kvbook.whiteboard.Whiteboards.Whiteboard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promises about the whiteboard sources themselves, read from the module's directory: each fits in
 * {@value #MAX_LINES} lines, every line counted (header comment and imports too), and its header comment
 * names, as {@code {@code dev.kvbook.<step package>.<Class>}}, classes of the full step that exist, so that
 * "what the full step adds" never points at a class that was renamed or never written.
 */
class WhiteboardSourcesTest {

    static final int MAX_LINES = 150;

    /** A fully qualified name of a class in a step's package, as a header comment writes it. */
    private static final Pattern STEP_CLASS = Pattern.compile("dev\\.kvbook\\.(pickled|applog|hashindex|btree|wal|lsm)\\.([A-Z]\\w*)");

    /** A whiteboard class named in a header comment, such as {@code {@link WhiteboardLog}}. */
    private static final Pattern WHITEBOARD_CLASS = Pattern.compile("\\bWhiteboard[A-Z]\\w*");

    @Test
    void everyWhiteboardIsOneFileOfAtMost150Lines() throws IOException {
        for (Whiteboard w : Whiteboards.all()) {
            Path file = sourceOf(w.name());
            assertThat(file).as("the source of %s", w.name()).exists();
            assertThat(Files.readAllLines(file)).as("lines in %s", file.getFileName()).hasSizeLessThanOrEqualTo(MAX_LINES);
        }
        try (Stream<Path> all = Files.list(packageDirectory())) {
            all.forEach(file -> assertThat(lines(file)).as("lines in %s", file.getFileName()).isLessThanOrEqualTo(MAX_LINES));
        }
    }

    @Test
    void everyClassNamedInAHeaderCommentExists() throws IOException {
        Set<String> stepClasses = stepClasses(repositoryRoot());
        for (Whiteboard w : Whiteboards.all()) {
            String header = headerOf(Files.readString(sourceOf(w.name())));
            List<String> named = stepClassesNamedIn(header);
            assertThat(named).as("step classes named in %s's header", w.name()).isNotEmpty();
            assertThat(named).as("step classes named in %s's header that exist in a step's src/main/java", w.name())
                    .allSatisfy(name -> assertThat(stepClasses).contains(name));
            Matcher whiteboards = WHITEBOARD_CLASS.matcher(header);
            while (whiteboards.find()) {
                assertThat(sourceOf(whiteboards.group())).as("%s, named in %s's header", whiteboards.group(), w.name()).exists();
            }
        }
    }

    @Test
    void theReadmeTableGivesEachFilesLineCount() throws IOException {
        List<String> rows = Files.readAllLines(moduleDirectory().resolve("README.md")).stream()
                .filter(line -> line.startsWith("| [`Whiteboard")).toList();
        assertThat(rows).as("rows of the README's table").hasSameSizeAs(Whiteboards.all());
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String name = cells[1].substring(cells[1].indexOf('`') + 1, cells[1].indexOf(".java"));
            assertThat(Integer.parseInt(cells[3].trim())).as("the README's line count of %s", name)
                    .isEqualTo(Files.readAllLines(sourceOf(name)).size());
        }
    }

    @Test
    void theCheckCatchesAClassThatDoesNotExist() {
        Set<String> stepClasses = stepClasses(repositoryRoot());
        List<String> named = stepClassesNamedIn(headerOf("""
                /**
                 * What the full step adds: {@code dev.kvbook.hashindex.HintFile} and {@code dev.kvbook.lsm.NoSuchFilter}.
                 */
                public final class Made {
                }
                """));
        assertThat(named).containsExactly("dev.kvbook.hashindex.HintFile", "dev.kvbook.lsm.NoSuchFilter");
        assertThat(named).filteredOn(name -> !stepClasses.contains(name)).containsExactly("dev.kvbook.lsm.NoSuchFilter");
    }

    /** The comment before the class declaration: the file's header. */
    static String headerOf(String source) {
        int start = source.indexOf("/**");
        int end = source.indexOf("*/", start);
        assertThat(start).as("a header comment").isNotNegative();
        assertThat(source.indexOf(" class ")).as("the header comes before the class").isGreaterThan(end);
        return source.substring(start, end);
    }

    static List<String> stepClassesNamedIn(String header) {
        List<String> names = new ArrayList<>();
        Matcher m = STEP_CLASS.matcher(header);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Every class {@code dev.kvbook.<package>.<Class>} whose source is in a step module's src/main/java. */
    static Set<String> stepClasses(Path repository) {
        Set<String> classes = new TreeSet<>();
        try (Stream<Path> modules = Files.list(repository)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("step")).toList()) {
                Path sources = module.resolve("src/main/java");
                if (!Files.isDirectory(sources)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(sources)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> classes.add(
                            sources.relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(classes).as("classes found in the step modules").contains("dev.kvbook.pickled.PickleFile");
        return classes;
    }

    static Path sourceOf(String className) {
        return packageDirectory().resolve(className + ".java");
    }

    static Path packageDirectory() {
        return moduleDirectory().resolve("src/main/java/dev/kvbook/whiteboard");
    }

    /** The whiteboard module's directory: where the build runs its tests, or the child of the repository called so. */
    static Path moduleDirectory() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("src/main/java/dev/kvbook/whiteboard")) ? here : repositoryRoot().resolve("whiteboard");
    }

    /** The repository root: the nearest directory up from here that holds the step modules. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("step1-pickled-map")) && Files.isDirectory(dir.resolve("whiteboard"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root above " + Path.of("").toAbsolutePath());
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
