package dev.kvbook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * A finished run read back from {@code bench/results/}: its CSV files and {@code run.properties}
 * (which plan, the command, the date, how long it took). {@code bench/run.sh --render} uses it to
 * draw the charts and write {@code RESULTS.md} again without re-running an hour of benchmarks,
 * after a change to the page, the charts or the way a target is judged. The figures are the
 * CSVs', with six significant digits (four before the page was first rendered this way, which
 * can move a printed figure's last digit: 308,454 written as 3.085e+05 prints as 309k).
 *
 * @param plan         the plan the run used
 * @param command      the command that ran it
 * @param date         when it finished (RFC 1123)
 * @param took         how long it took
 * @param measurements the JMH figures
 * @param scaling      the loads of N keys
 * @param steps        the step-specific figures
 * @param notes        the forks' notes
 */
record SavedRun(Plan plan, String command, String date, Duration took, List<Measurement> measurements,
                List<ScalingRow> scaling, StepFigures steps, List<String> notes) {

    static final String PROPERTIES = "run.properties";

    /** Writes {@code run.properties}: what the CSVs alone do not say about the run. */
    static void writeProperties(Path results, Plan plan, String command, String date, Duration took)
            throws IOException {
        List<String> lines = List.of("# written by bench/run.sh; read by bench/run.sh --render",
                "plan=" + plan.name(), "command=" + command, "date=" + date, "tookSeconds=" + took.toSeconds());
        Files.write(results.resolve(PROPERTIES), lines, StandardCharsets.UTF_8);
    }

    /** Reads the run whose files are in {@code results}. */
    static SavedRun read(Path results) throws IOException {
        Properties run = new Properties();
        try (var in = Files.newBufferedReader(results.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            run.load(in);
        }
        Plan plan = switch (run.getProperty("plan")) {
            case "quick" -> Plan.quick();
            case "full" -> Plan.full();
            default -> throw new IOException(results.resolve(PROPERTIES) + ": unknown plan " + run.getProperty("plan"));
        };
        List<Measurement> measurements = rows(results.resolve("results.csv"), f -> new Measurement(f[0], f[1], f[2],
                f[3], number(f[4]), number(f[5])));
        List<ScalingRow> scaling = rows(results.resolve("scaling.csv"), f -> {
            long loaded = Long.parseLong(f[3]);
            return new ScalingRow(f[0], f[1], Long.parseLong(f[2]), loaded, Math.round(number(f[5]) * 1e9),
                    Long.parseLong(f[7]), f[8], Math.round(number(f[10]) * loaded), Math.round(number(f[11]) * loaded),
                    f[12].isEmpty() ? -1 : Math.round(number(f[12]) * 1e6), Long.parseLong(f[13]));
        });
        List<HintFileReopen.Row> reopen = rows(results.resolve("step3-reopen.csv"), f -> new HintFileReopen.Row(
                Long.parseLong(f[0]), Integer.parseInt(f[1]), nanos(f[2], 1e9), nanos(f[3], 1e6), Integer.parseInt(f[4]),
                nanos(f[5], 1e6), Integer.parseInt(f[6]), Long.parseLong(f[7]), number(f[8]), Long.parseLong(f[9])));
        List<SmallHeapLoad.Row> smallHeap = rows(results.resolve("step4-small-heap.csv"), f -> new SmallHeapLoad.Row(
                Long.parseLong(f[1]), Boolean.parseBoolean(f[2]), Long.parseLong(f[3]),
                f[4].isEmpty() ? -1 : nanos(f[4], 1e9), Integer.parseInt(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]), nanos(f[8], 1e9), f[9]));
        List<PoolLoad.Row> pool = rows(results.resolve("step4-pool.csv"), f -> new PoolLoad.Row(number(f[1]),
                number(f[2]), Long.parseLong(f[3])));
        List<LsmLoad.Row> lsmLoad = rows(results.resolve(CsvFiles.LSM_LOAD_FILE), f -> new LsmLoad.Row(f[0],
                Long.parseLong(f[1]), nanos(f[2], 1e9), Long.parseLong(f[3]), f[6], Long.parseLong(f[7]),
                Long.parseLong(f[9]), Long.parseLong(f[11])));
        List<BloomFalsePositives.Row> bloom = rows(results.resolve(CsvFiles.BLOOM_FILE), f -> new BloomFalsePositives.Row(
                Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5])));
        return new SavedRun(plan, run.getProperty("command"), run.getProperty("date"),
                Duration.ofSeconds(Long.parseLong(run.getProperty("tookSeconds"))), measurements, scaling,
                new StepFigures(reopen, smallHeap, pool, lsmLoad, bloom), CsvFiles.readNotes(results.resolve("notes.csv")));
    }

    /** Every data line of {@code file} (none when it does not exist), its fields split and unquoted. */
    private static <T> List<T> rows(Path file, Function<String[], T> row) throws IOException {
        List<T> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(row.apply(fields(line)));
            }
        }
        return rows;
    }

    /** Splits one CSV line: commas separate fields, except inside double quotes ("" is a quote). */
    static String[] fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields.toArray(String[]::new);
    }

    private static double number(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }

    private static long nanos(String field, double perUnit) {
        return Math.round(number(field) * perUnit);
    }
}
