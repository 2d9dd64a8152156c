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

    /** Where the build labs' table lives ({@link LabTier#BUILD}): the same columns as {@link #TABLE}. */
    public static final Path BUILD_TABLE = Path.of("labs", "build.tsv");

    /** The modules besides a step's own whose sources may hold a build lab's regions. */
    public static final List<String> SHARED_BUILD_MODULES = List.of("testkit");

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
        return readTable(root, TABLE);
    }

    /**
     * Reads {@code table} ({@link #TABLE} or {@link #BUILD_TABLE}) under {@code root}, in file order;
     * a build table that is not there holds no labs.
     */
    public static Map<String, Row> readTable(Path root, Path table) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> lines;
        try {
            if (table.equals(BUILD_TABLE) && !Files.exists(root.resolve(table))) {
                return rows;
            }
            lines = Files.readAllLines(root.resolve(table), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve(table), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            if (cells.length != 3 && cells.length != 4) {
                throw new IllegalStateException(table + ":" + (i + 1) + ": expected 3 or 4 tab-separated cells "
                        + "(id, book section, tests, and the labs it needs if any), found " + cells.length);
            }
            List<String> needs = cells.length == 4 ? list(cells[3]) : List.of();
            Row previous = rows.put(cells[0], new Row(cells[0], cells[1], list(cells[2]), needs, i + 1));
            if (previous != null) {
                throw new IllegalStateException(table + ":" + (i + 1) + ": lab " + cells[0] + " is listed twice");
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

    /** The labs of {@code step} in {@code tier}, in the order of that tier's table. */
    public static List<Lab> labsOf(Path root, LabStep step, LabTier tier) {
        return tier == LabTier.FILL_IN ? labsOf(root, step) : buildLabsOf(root, step);
    }

    /**
     * The build labs of {@code step}, in the order of {@code labs/build.tsv}: one per id, however many
     * regions it marks; its {@link Lab#file()} is the file of its first region (the step's own module
     * first, then {@link #SHARED_BUILD_MODULES}). Regions in the testkit belong to the step their id names.
     */
    public static List<Lab> buildLabsOf(Path root, LabStep step) {
        Map<String, Row> table = readTable(root, BUILD_TABLE);
        Map<String, Lab> labs = new LinkedHashMap<>();
        for (LabMarker marker : buildMarkersOf(root, step)) {
            Row row = table.get(marker.id());
            if (row == null) {
                throw new IllegalStateException(marker.file() + ":" + marker.beginLine() + ": build lab " + marker.id()
                        + " has no line in " + BUILD_TABLE + " (its book section and tests)");
            }
            labs.putIfAbsent(marker.id(), new Lab(marker.id(), step, marker.task(), marker.file(), row.book(),
                    row.tests(), row.needs()));
        }
        List<String> order = new ArrayList<>(table.keySet());
        return labs.values().stream().sorted(java.util.Comparator.comparingInt(lab -> order.indexOf(lab.id()))).toList();
    }

    /** Every BUILD region of {@code step}: in its module, then in {@link #SHARED_BUILD_MODULES} (those whose id names the step). */
    public static List<LabMarker> buildMarkersOf(Path root, LabStep step) {
        List<LabMarker> markers = new ArrayList<>(LabMarkers.scanModuleBuild(root, step.module()));
        for (String module : SHARED_BUILD_MODULES) {
            LabMarkers.scanModuleBuild(root, module).stream().filter(m -> m.step().equals(step.id())).forEach(markers::add);
        }
        return markers;
    }

    /** Every build lab of every step. */
    public static List<Lab> allBuild(Path root) {
        List<Lab> labs = new ArrayList<>();
        for (LabStep step : LabStep.values()) {
            labs.addAll(buildLabsOf(root, step));
        }
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
