package dev.kvbook.bench;

/**
 * One JMH figure: a workload, one variant of it, on one contender.
 *
 * @param workload   {@code counter}, {@code point-read}, {@code range-scan}, {@code commit}
 * @param variant    {@code durable}/{@code relaxed}, {@code uniform}/{@code zipfian},
 *                   {@code 1 thread}/{@code 8 threads}, or {@code 100 keys}
 * @param store      the contender's name
 * @param durability what the contender did to make writes durable in this run, in words
 * @param score      operations per second (all threads together)
 * @param error      JMH's 99.9% confidence half-width, NaN when there were too few iterations
 */
public record Measurement(String workload, String variant, String store, String durability, double score,
                          double error) {
}
