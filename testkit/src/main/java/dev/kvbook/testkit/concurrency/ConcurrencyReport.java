package dev.kvbook.testkit.concurrency;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ConcurrencyDriver} run did and found: how many rounds ran, how many key
 * histories and calls were checked, how many maintenance operations ran beside them, and every
 * failure (a history that is not linearizable, a hang, a call that threw).
 *
 * <p>Tests print {@link #summary()} so that a green run still says how much it checked, and call
 * {@link #assertLinearizable()}.
 */
public final class ConcurrencyReport {

    /** What went wrong in a round. */
    public enum Kind {
        /** The checker found no order of the calls that explains the store's answers. */
        NOT_LINEARIZABLE,
        /** The history was too long for the checker's budget: an unchecked history is not a pass. */
        TOO_LONG_TO_CHECK,
        /** A call, a maintenance operation or close did not return within the hang bound. */
        HUNG,
        /** A call or a maintenance operation threw. */
        ERROR
    }

    /** One failed round: which, with which seed, what went wrong, and the details (history, stacks). */
    public record Failure(int round, long seed, Kind kind, String details) {
        @Override
        public String toString() {
            return "round " + round + " (seed " + seed + "): " + kind + "\n" + details;
        }
    }

    private final String label;
    private final List<Failure> failures = new ArrayList<>();
    private int rounds;
    private long histories;
    private long calls;
    private long transactions;
    private long maintenanceRuns;

    ConcurrencyReport(String label) {
        this.label = label;
    }

    /** Counts a round; {@code verdict} is null when the round failed before its history could be checked. */
    void roundChecked(List<Call> history, LinearizabilityChecker.Verdict verdict, long maintenance) {
        rounds++;
        histories += verdict == null ? 0 : verdict.histories();
        calls += history.size();
        transactions += history.stream().filter(Call::transaction).count();
        maintenanceRuns += maintenance;
    }

    void failed(Failure failure) {
        failures.add(failure);
    }

    /** Rounds run (including a failed one). */
    public int rounds() {
        return rounds;
    }

    /** Key histories (partitions) checked for linearizability. */
    public long histories() {
        return histories;
    }

    /** Calls recorded and checked, transactions included. */
    public long calls() {
        return calls;
    }

    /** Transactions among the calls. */
    public long transactions() {
        return transactions;
    }

    /** Maintenance operations (compact, merge, checkpoint) that ran beside the calls. */
    public long maintenanceRuns() {
        return maintenanceRuns;
    }

    /** Every failure found, in round order. */
    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Whether any round failed with {@code kind}. */
    public boolean found(Kind kind) {
        return failures.stream().anyMatch(f -> f.kind() == kind);
    }

    /** One line: what was checked and the outcome, with the failed rounds counted by kind. */
    public String summary() {
        return label + ": " + rounds + " rounds, " + histories + " key histories checked, " + calls + " calls ("
                + transactions + " transactions), " + maintenanceRuns + " maintenance runs beside them: "
                + (failures.isEmpty() ? "all linearizable" : failures.size() + " FAILED " + failuresByKind());
    }

    private Map<Kind, Long> failuresByKind() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        failures.forEach(f -> counts.merge(f.kind(), 1L, Long::sum));
        return counts;
    }

    /** Throws an {@link AssertionError} with the summary and the first failure's details unless every round passed. */
    public ConcurrencyReport assertLinearizable() {
        if (!failures.isEmpty()) {
            throw new AssertionError(summary() + "\n" + failures.get(0));
        }
        return this;
    }
}
