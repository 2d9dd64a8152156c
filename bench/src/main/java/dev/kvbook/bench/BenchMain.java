package dev.kvbook.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's one command: {@code bench/run.sh [--quick|--full] [--only PATTERN]}. Runs the four
 * JMH workloads ({@link Workload}) and the scaling run ({@link ScalingRun}) over every contender
 * whose name matches PATTERN, then the step-specific runs ({@link HintFileReopen} for step 3,
 * {@link SmallHeapLoad} in a child JVM for step 4, {@link LsmLoad} and {@link BloomFalsePositives}
 * for step 6) when those steps match, then writes the raw JMH JSON, {@code results.csv},
 * {@code scaling.csv}, the charts and {@code RESULTS.md}.
 */
public final class BenchMain {

    /** How long the {@value SmallHeapLoad#HEAP} child may take before it is killed and reported as failed. */
    private static final Duration SMALL_HEAP_DEADLINE = Duration.ofMinutes(5);

    private BenchMain() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException, RunnerException {
        Plan plan = Plan.quick();
        String only = null; // every contender but the map variants
        Path out = Path.of("bench");
        boolean render = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> plan = Plan.quick();
                case "--full" -> plan = Plan.full();
                case "--only" -> only = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--render" -> render = true;
                default -> throw new IllegalArgumentException("usage: run.sh [--quick|--full] [--only PATTERN] | "
                        + "--render; not " + args[i]);
            }
        }
        if (render) {
            render(out);
            return;
        }
        String command = System.getProperty("kvbook.bench.command", "bench/run.sh " + String.join(" ", args));
        run(plan, only == null ? Contenders.all() : Contenders.matching(only), out, command);
    }

    /**
     * Draws the charts and writes {@code RESULTS.md} again from the last run's files, without
     * running anything: for a change to the page, the charts or a target's judgement. The page
     * keeps the run's plan, command, date and duration; the machine lines describe this machine,
     * so render on the one that ran the benchmarks.
     */
    static void render(Path out) throws IOException {
        Path results = out.resolve("results");
        SavedRun run = SavedRun.read(results);
        Set<String> names = new HashSet<>();
        run.measurements().forEach(m -> names.add(m.store()));
        run.scaling().forEach(r -> names.add(r.store()));
        List<Contender> contenders = Contenders.everything().stream().filter(c -> names.contains(c.name())).toList();
        Charts.write(results.resolve("charts"), run.measurements(), run.scaling());
        new ResultsPage(run.plan(), contenders, run.measurements(), run.scaling(), run.steps(), run.notes(),
                run.command(), run.date(), run.took()).write(out.resolve("RESULTS.md"));
        System.out.println("# rendered " + out.resolve("RESULTS.md") + " from " + results);
    }

    /** Runs {@code plan} over {@code contenders} and writes everything under {@code out}. */
    static void run(Plan plan, List<Contender> contenders, Path out, String command)
            throws IOException, RunnerException {
        long start = System.nanoTime();
        Path results = Files.createDirectories(out.resolve("results"));
        Path data = Files.createDirectories(out.resolve("target/bench-data"));
        Path notes = results.resolve("notes.csv");
        Files.deleteIfExists(notes);
        List<Measurement> measurements = new ArrayList<>();
        for (Workload workload : Workload.all(plan.readKeys())) {
            List<Contender> applicable = contenders.stream().filter(workload.applies()).toList();
            if (!applicable.isEmpty()) {
                measurements.addAll(jmh(plan, workload, applicable, results, data, notes));
            }
        }
        List<ScalingRow> scaling = new ArrayList<>();
        for (Contender contender : contenders) {
            System.out.println("# scaling: " + contender.name());
            scaling.addAll(new ScalingRun(contender, data, plan.scalingBudgetMs() * 1_000_000)
                    .run(plan.scalingSizes()));
        }
        StepFigures steps = stepSpecific(plan, contenders, data);
        Dirs.deleteRecursively(data);
        CsvFiles.write(results, measurements, scaling);
        CsvFiles.write(results, steps);
        try {
            Charts.write(results.resolve("charts"), measurements, scaling);
        } catch (RuntimeException | LinkageError e) {
            // the figures are in the CSV files already; a chart that cannot be drawn must not lose the page
            System.err.println("# charts failed: " + e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        SavedRun.writeProperties(results, plan, command, date, took);
        new ResultsPage(plan, contenders, measurements, scaling, steps, CsvFiles.readNotes(notes), command, date, took)
                .write(out.resolve("RESULTS.md"));
        System.out.println("# done in " + took.toSeconds() + " s: " + out.resolve("RESULTS.md"));
    }

    /**
     * The workloads that open a step through its own options: step 3 reopened with and without
     * hint files, step 4 loading {@link Plan#smallHeapKeys()} keys in a child JVM with
     * {@value SmallHeapLoad#HEAP}, and step 4 loading into its buffer pool beside RocksDB
     * ({@link PoolLoad}); with step 6, the load table of steps 3 to 6 and RocksDB ({@link LsmLoad})
     * and step 6's Bloom filters measured against the formula ({@link BloomFalsePositives}). Each
     * runs only when its step (and for the pool load, RocksDB) is among {@code contenders}.
     */
    private static StepFigures stepSpecific(Plan plan, List<Contender> contenders, Path data) {
        List<String> names = contenders.stream().map(Contender::name).toList();
        List<HintFileReopen.Row> reopen = names.contains("step3")
                ? new HintFileReopen(data, HintFileReopen.SEGMENT_SIZE).run(plan.hintSizes()) : List.of();
        List<SmallHeapLoad.Row> smallHeap = names.contains("step4") && plan.smallHeapKeys() > 0
                ? List.of(SmallHeapLoad.run(plan.smallHeapKeys(), data, System.getProperty("java.class.path"),
                        SMALL_HEAP_DEADLINE)) : List.of();
        List<PoolLoad.Row> pool = names.contains("step4") && names.contains("rocksdb")
                ? List.of(PoolLoad.run(data)) : List.of();
        // Step 6's load table: its rows are the stores that write whole files, so it runs with step 6,
        // over those of steps 3 to 5 and RocksDB this run includes (RocksDB in step 6's shape with RocksDB).
        List<LsmLoad.Row> lsmLoad = names.contains("step6")
                ? LsmLoad.run(data, plan.lsmSizes(), s -> names.contains(s.startsWith("rocksdb") ? "rocksdb" : s)) : List.of();
        List<BloomFalsePositives.Row> bloom = names.contains("step6")
                ? BloomFalsePositives.run(data, plan.bloomKeys(), BloomFalsePositives.BITS_PER_KEY) : List.of();
        return new StepFigures(reopen, smallHeap, pool, lsmLoad, bloom);
    }

    /** Runs one workload in JMH over {@code contenders} and returns its figures. */
    private static List<Measurement> jmh(Plan plan, Workload workload, List<Contender> contenders, Path results,
                                         Path data, Path notes) throws RunnerException {
        TimeValue iteration = TimeValue.milliseconds(Math.round(plan.iterationSeconds() * 1000));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(workload.benchmark().getName() + "\\.")
                .forks(plan.forks()).warmupIterations(plan.warmups()).measurementIterations(plan.iterations())
                .warmupTime(iteration).measurementTime(iteration)
                .mode(org.openjdk.jmh.annotations.Mode.Throughput)
                .timeUnit(java.util.concurrent.TimeUnit.SECONDS)
                .jvmArgsAppend("-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED",
                        "-D" + BenchSettings.DIR + "=" + data.toAbsolutePath(),
                        "-D" + BenchSettings.LOAD_BUDGET_MS + "=" + plan.loadBudgetMs(),
                        "-D" + BenchSettings.NOTES + "=" + notes.toAbsolutePath())
                .param("store", contenders.stream().map(Contender::name).toArray(String[]::new))
                .shouldFailOnError(false)
                .result(results.resolve("jmh-" + workload.name() + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        for (Map.Entry<String, List<String>> param : workload.params().entrySet()) {
            options.param(param.getKey(), param.getValue().toArray(String[]::new));
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        List<Measurement> figures = new ArrayList<>();
        for (RunResult run : runs) {
            figures.add(measurement(workload, run));
        }
        return figures;
    }

    private static Measurement measurement(Workload workload, RunResult run) {
        String label = run.getParams().getBenchmark();
        String method = label.substring(label.lastIndexOf('.') + 1);
        Map<String, String> params = new java.util.HashMap<>();
        for (String key : run.getParams().getParamsKeys()) {
            params.put(key, run.getParams().getParam(key));
        }
        String store = params.get("store");
        String variant = workload.variant(method, params);
        Contender contender = Contenders.named(store);
        var primary = run.getPrimaryResult();
        return new Measurement(workload.name(), variant, store, contender.durability(workload.durability(variant)),
                primary.getScore(), primary.getScoreError());
    }
}
