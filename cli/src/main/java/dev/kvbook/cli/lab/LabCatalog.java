package dev.kvbook.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every lab of the repository: the markers in the sources joined with {@code labs/labs.tsv}.
 *
 * <p>The markers own the id and the task; {@code labs/labs.tsv} owns the book section, the test
 * classes and the labs it needs, one lab a line:
 * {@code id <tab> book/<chapter>.md[#anchor] <tab> Test1,Test2 [<tab> step1.other,step1.more]}. The
 * fourth column is optional (a line of three cells needs nothing, as does an empty fourth cell).
 * Lines starting with {@code #} are comments. Each id appears exactly once in each place.
 */
public final class LabCatalog {

    /** Where the table lives, relative to the repository root. */
    public static final Path TABLE = Path.of("labs", "labs.tsv");

    /**
     * One line of {@code labs/labs.tsv}.
     *
     * @param needs the labs this one's tests also need, as listed (possibly none)
     * @param line  its line number, for messages
     */
    public record Row(String id, String book, List<String> tests, List<String> needs, int line) {
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
            if (cells.length != 3 && cells.length != 4) {
                throw new IllegalStateException(TABLE + ":" + (i + 1) + ": expected 3 or 4 tab-separated cells "
                        + "(id, book section, tests, and the labs it needs if any), found " + cells.length);
            }
            List<String> needs = cells.length == 4 ? list(cells[3]) : List.of();
            Row previous = rows.put(cells[0], new Row(cells[0], cells[1], list(cells[2]), needs, i + 1));
            if (previous != null) {
                throw new IllegalStateException(TABLE + ":" + (i + 1) + ": lab " + cells[0] + " is listed twice");
            }
        }
        return rows;
    }

    /** The comma-separated names of a cell, blanks dropped. */
    private static List<String> list(String cell) {
        return Arrays.stream(cell.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
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
            labs.add(new Lab(marker.id(), step, marker.task(), marker.file(), row.book(), row.tests(), row.needs()));
        }
        List<String> order = new ArrayList<>(table.keySet());
        labs.sort(java.util.Comparator.comparingInt(lab -> order.indexOf(lab.id())));
        return labs;
    }

    /**
     * Every lab {@code lab}'s tests need done, directly or through another needed lab, in the order
     * of {@code labs} (the table's): what must be in place, besides {@code lab} itself, for its
     * tests to pass. {@code labs} holds at least the labs of {@code lab}'s step. O(labs squared).
     *
     * @throws IllegalStateException a needed id is not among {@code labs}
     */
    public static List<Lab> allNeeds(List<Lab> labs, Lab lab) {
        Map<String, Lab> byId = new LinkedHashMap<>();
        labs.forEach(l -> byId.put(l.id(), l));
        Set<String> needed = new HashSet<>();
        Deque<Lab> toVisit = new ArrayDeque<>(List.of(lab));
        while (!toVisit.isEmpty()) {
            for (String id : toVisit.pop().needs()) {
                Lab need = byId.get(id);
                if (need == null) {
                    throw new IllegalStateException(lab.id() + " needs " + id + ", which is not a lab of " + TABLE);
                }
                if (needed.add(id)) {
                    toVisit.push(need);
                }
            }
        }
        return labs.stream().filter(l -> needed.contains(l.id())).toList();
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
