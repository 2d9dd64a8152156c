package dev.kvbook.testkit.crash;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of a crash-point run: one row per crash point, and the verdict.
 *
 * @param points every crash point tried, in order
 * @param ioCallsInWorkload how many mutating I/O calls the workload made in all (the crash
 *                          points are all of them, or a sample)
 */
public record CrashReport(List<Point> points, long ioCallsInWorkload) {

    /**
     * One crash point.
     *
     * @param point           which mutating I/O call lost power (1 = the first)
     * @param interruptedCall that call, described ("rename map.db.tmp -> map.db")
     * @param duringOperation the workload operation under way ("put \"k3\" = \"v3\"", "open")
     * @param outcome         what the store made of it
     * @param detail          why, when the outcome is not {@link CrashOutcome#INTACT}
     */
    public record Point(long point, String interruptedCall, String duringOperation, CrashOutcome outcome, String detail) {
    }

    public CrashReport {
        points = List.copyOf(points);
    }

    /** The points whose outcome breaks the store's promise. */
    public List<Point> failures() {
        return points.stream().filter(p -> !p.outcome().keepsPromise()).toList();
    }

    /** How many points ended in each outcome. */
    public Map<CrashOutcome, Long> counts() {
        Map<CrashOutcome, Long> counts = new EnumMap<>(CrashOutcome.class);
        points.forEach(p -> counts.merge(p.outcome(), 1L, Long::sum));
        return counts;
    }

    /** One line: "42 crash points: 40 intact, 2 refused unclean; promise kept". */
    public String summary() {
        String parts = counts().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
                .collect(Collectors.joining(", "));
        return points.size() + " crash points (of " + ioCallsInWorkload + " I/O calls): " + parts
                + (failures().isEmpty() ? "; promise kept" : "; PROMISE BROKEN at " + failures().size());
    }

    /** Throws an {@link AssertionError} listing the first failures, unless the promise was kept everywhere. */
    public CrashReport assertPromiseKept() {
        List<Point> failures = failures();
        if (!failures.isEmpty()) {
            String first = failures.stream().limit(10)
                    .map(p -> "  crash at I/O call " + p.point() + " (" + p.interruptedCall() + ", during "
                            + p.duringOperation() + "): " + p.outcome() + " - " + p.detail())
                    .collect(Collectors.joining("\n"));
            throw new AssertionError(summary() + "\n" + first);
        }
        return this;
    }
}
