package dev.kvbook.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One JMH workload as {@link BenchMain} runs it: which benchmark class, which contenders it applies
 * to, the parameters to sweep, and how to name a JMH result's variant.
 *
 * @param name       the workload's name in the CSV, charts and tables
 * @param benchmark  the JMH benchmark class
 * @param applies    which contenders it runs on (scans need order, reads need reading)
 * @param params     extra JMH parameters: name to the values swept
 */
record Workload(String name, Class<?> benchmark, Predicate<Contender> applies, Map<String, List<String>> params) {

    /** The four JMH workloads, with the read size {@code keys} for reads and scans. */
    static List<Workload> all(int keys) {
        String n = Integer.toString(keys);
        return List.of(
                new Workload("counter", CounterBenchmark.class, c -> true,
                        Map.of("durability", List.of("durable", "relaxed"))),
                new Workload("point-read", PointReadBenchmark.class, Contender::readable,
                        Map.of("keys", List.of(n), "distribution", List.of("uniform", "zipfian"))),
                new Workload("range-scan", RangeScanBenchmark.class, c -> c.readable() && c.ordered(),
                        Map.of("keys", List.of(n))),
                // The map variants are measured by the counter, the reads and the footprint (issue #21), not here.
                new Workload("commit", CommitBenchmark.class, c -> c.kind() != Contender.Kind.MAP, Map.of()));
    }

    /** The variant a result of this workload stands for, from its JMH method and parameters. */
    String variant(String method, Map<String, String> runParams) {
        return switch (name) {
            case "counter" -> runParams.get("durability");
            case "point-read" -> runParams.get("distribution");
            case "range-scan" -> RangeScanBenchmark.LENGTH + " keys";
            case "commit" -> method.equals("oneThread") ? "1 thread" : "8 threads";
            default -> method;
        };
    }

    /** The durability the contender ran with in this variant (reads and scans run over a relaxed load). */
    Durability durability(String variant) {
        return switch (name) {
            case "counter" -> Durability.of(variant);
            case "commit" -> Durability.DURABLE;
            default -> Durability.RELAXED;
        };
    }
}
