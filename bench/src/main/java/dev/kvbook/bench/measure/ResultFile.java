package dev.kvbook.bench.measure;

import dev.kvbook.bench.Machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A measurement's machine-readable result: a CSV file whose every row also names the machine and
 * the date, so that a figure the book quotes from it (through a {@code <!-- fig: bench/... -->}
 * marker, checked by {@code book/tools/check-figures.mjs}) always travels with where and when it
 * was measured. Values holding a comma or a quote are quoted.
 */
final class ResultFile {

    private final List<String> header;
    private final List<String> lines = new ArrayList<>();
    private final String machine = Machine.describe();
    private final String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

    /** A file with these columns, then {@code machine} and {@code date}. */
    ResultFile(String... columns) {
        this.header = List.of(columns);
        lines.add(String.join(",", header) + ",machine,date");
    }

    /**
     * Removes {@code --out FILE} from a program's arguments and returns FILE, or null when the
     * arguments do not ask for a file.
     */
    static Path takeOutOption(List<String> args) {
        int at = args.indexOf("--out");
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("--out needs a file name, e.g. --out bench/results/result.csv");
        }
        Path file = Path.of(args.get(at + 1));
        args.subList(at, at + 2).clear();
        return file;
    }

    /** One row; the values are in the order of the columns. */
    void row(Object... values) {
        if (values.length != header.size()) {
            throw new IllegalArgumentException(values.length + " values for " + header.size() + " columns " + header);
        }
        List<String> cells = new ArrayList<>();
        for (Object value : values) {
            cells.add(quote(String.valueOf(value)));
        }
        cells.add(quote(machine));
        cells.add(date);
        lines.add(String.join(",", cells));
    }

    /** Writes the file (replacing it) and says where on standard output. */
    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        System.out.println("# written to " + file);
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
