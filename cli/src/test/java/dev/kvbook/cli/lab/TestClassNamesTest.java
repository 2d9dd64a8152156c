package dev.kvbook.cli.lab;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test nobody runs proves nothing. Maven's surefire runs only classes named {@code Test*},
 * {@code *Test}, {@code *Tests} or {@code *TestCase}; a class of jqwik properties once sat in the
 * api module as {@code PersistentMapProperties}, passing when run by name and never run by the
 * build. This test reads every module's test sources and fails on any class that holds test
 * methods under a name the build would skip.
 */
class TestClassNamesTest {

    /** The annotations that make a method a test, for JUnit 5 and jqwik. */
    private static final Pattern TEST_METHOD = Pattern.compile(
            "^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|Property|Example)\\b", Pattern.MULTILINE);

    /** The names surefire includes by default. */
    private static final Pattern RUN_BY_THE_BUILD = Pattern.compile("(Test\\w*|\\w*Test|\\w*Tests|\\w*TestCase)\\.java");

    @Test
    void everyClassWithTestMethodsIsNamedSoTheBuildRunsIt() throws IOException {
        assertThat(skipped(RepoRoot.find())).as("test classes surefire would never run: rename them to end in Test")
                .isEmpty();
    }

    @Test
    void theCheckFindsAClassTheBuildWouldSkip(@org.junit.jupiter.api.io.TempDir Path repo) throws IOException {
        Path tests = Files.createDirectories(repo.resolve("api/src/test/java/x"));
        Files.writeString(tests.resolve("MapProperties.java"), "class MapProperties {\n    @Property\n    void p() {}\n}\n");
        Files.writeString(tests.resolve("MapTest.java"), "class MapTest {\n    @Test\n    void t() {}\n}\n");
        Files.writeString(tests.resolve("Helpers.java"), "class Helpers {\n    // no @Test here\n}\n");
        assertThat(skipped(repo)).extracting(p -> p.getFileName().toString()).containsExactly("MapProperties.java");
    }

    private static List<Path> skipped(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/test/java/"))
                    .filter(p -> !p.toString().contains("/node_modules/") && !p.toString().contains("/target/"))
                    .filter(p -> !RUN_BY_THE_BUILD.matcher(p.getFileName().toString()).matches())
                    .filter(TestClassNamesTest::holdsTestMethods)
                    .sorted().toList();
        }
    }

    private static boolean holdsTestMethods(Path file) {
        try {
            return TEST_METHOD.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
