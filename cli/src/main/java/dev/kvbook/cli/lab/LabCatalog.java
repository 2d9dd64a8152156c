package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every lab of the repository: the markers in the sources joined with {@code labs/labs.tsv}.
 *
 * <p>The markers own the id and the task; {@code labs/labs.tsv} owns the book section and the
 * test classes, one lab a line: {@code id <tab> book/<chapter>.md[#anchor] <tab> Test1,Test2}.
 * Lines starting with {@code #} are comments. Each id appears exactly once in each place.
 */
public final class LabCatalog {

    /** Where the table lives, relative to the repository root. */
    public static final Path TABLE = Path.of("labs", "labs.tsv");

    /** One line of {@code labs/labs.tsv}. */
    public record Row(String id, String book, List<String> tests, int line) {
    }

    private LabCatalog() {
    }

    /** Reads {@code labs/labs.tsv} under {@code root}, in file order. */
    public static Map<String, Row> readTable(Path root) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(TABLE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve(TABLE), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            if (cells.length != 3) {
                throw new IllegalStateException(TABLE + ":" + (i + 1) + ": expected 3 tab-separated cells "
                        + "(id, book section, tests), found " + cells.length);
            }
            List<String> tests = Arrays.stream(cells[2].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            Row previous = rows.put(cells[0], new Row(cells[0], cells[1], tests, i + 1));
            if (previous != null) {
                throw new IllegalStateException(TABLE + ":" + (i + 1) + ": lab " + cells[0] + " is listed twice");
            }
        }
        return rows;
    }

    /** The labs of {@code step}, in the order of {@code labs/labs.tsv} (the order to do them in). */
    public static List<Lab> labsOf(Path root, LabStep step) {
        Map<String, Row> table = readTable(root);
        List<Lab> labs = new ArrayList<>();
        for (LabMarker marker : LabMarkers.scanModule(root, step.module())) {
            Row row = table.get(marker.id());
            if (row == null) {
                throw new IllegalStateException(marker.file() + ":" + marker.beginLine() + ": lab " + marker.id()
                        + " has no line in " + TABLE + " (its book section and tests)");
            }
            labs.add(new Lab(marker.id(), step, marker.task(), marker.file(), row.book(), row.tests()));
        }
        List<String> order = new ArrayList<>(table.keySet());
        labs.sort(java.util.Comparator.comparingInt(lab -> order.indexOf(lab.id())));
        return labs;
    }

    /** Every lab of every step. */
    public static List<Lab> all(Path root) {
        List<Lab> labs = new ArrayList<>();
        for (LabStep step : LabStep.values()) {
            labs.addAll(labsOf(root, step));
        }
        return labs;
    }
}
