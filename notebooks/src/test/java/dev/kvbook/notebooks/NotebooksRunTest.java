package dev.kvbook.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every notebook's code cells, run in order through JShell against the modules this build
 * made: a compile error or an exception in any cell fails the build, naming the notebook, the
 * cell (counted as Jupyter shows them, Markdown cells included) and the line in the cell.
 *
 * <p>This is the check that needs no Python. {@code notebooks/check.sh} runs the same notebooks
 * in a real Jupyter Java kernel.
 */
class NotebooksRunTest {

    /** The notebooks directory: surefire runs in the module's own directory. */
    private static final Path NOTEBOOKS = Path.of("").toAbsolutePath();

    /** The notebooks that must exist; every other {@code .ipynb} found runs too. */
    private static final List<String> REQUIRED = List.of(
            "00-start-here.ipynb", "01-pickled-map.ipynb", "02-append-log.ipynb", "03-hash-index.ipynb",
            "04-btree.ipynb", "05-wal.ipynb", "06-compare.ipynb", "07-persistent-map.ipynb", "08-lsm.ipynb");

    @Test
    void everyRequiredNotebookIsThere() throws IOException {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString()).containsAll(REQUIRED);
    }

    @TestFactory
    Stream<DynamicTest> everyCodeCellRunsWithoutAnError() throws IOException {
        String classPath = testClassPath();
        return notebooks().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Notebook notebook = Notebook.read(file);
            assertThat(notebook.cells()).as("code cells of " + file.getFileName()).isNotEmpty();
            try (CellRunner runner = new CellRunner(classPath)) {
                Optional<CellRunner.Failure> failure = runner.run(notebook);
                if (failure.isPresent()) {
                    fail(failure.get().toString());
                }
            }
        }));
    }

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    /**
     * The class path the notebooks compile against: the test class path, which holds the stores,
     * the testkit and XChart. Surefire names it in {@code surefire.test.class.path}; when run
     * some other way, {@code java.class.path} is it.
     */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
