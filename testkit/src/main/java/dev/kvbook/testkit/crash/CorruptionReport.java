package dev.kvbook.testkit.crash;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of a corruption sweep: one case per damaged copy of the store.
 *
 * @param cases every case tried
 */
public record CorruptionReport(List<Case> cases) {

    /** What the store made of one damaged copy. */
    public enum Outcome {
        /** It returned exactly the data that was written. */
        CORRECT_DATA(true),
        /** It threw {@code CorruptionException}. */
        DETECTED(true),
        /** It returned an earlier state, as a store that truncates a torn tail may. */
        EARLIER_STATE(true),
        /** It returned data that was never the store's state. */
        WRONG_DATA(false),
        /** It threw something other than {@code CorruptionException}. */
        WRONG_EXCEPTION(false),
        /** It did not finish within the time allowed. */
        HANG(false),
        /** Its checker disagreed with what open found (missed the damage, or threw). */
        CHECKER_WRONG(false);

        private final boolean acceptable;

        Outcome(boolean acceptable) {
            this.acceptable = acceptable;
        }

        public boolean acceptable() {
            return acceptable;
        }
    }

    /**
     * @param file    the damaged file
     * @param damage  what was done ("flip byte 17", "truncate to 40 bytes")
     * @param outcome what the store did
     * @param detail  the exception message or the difference
     */
    public record Case(String file, String damage, Outcome outcome, String detail) {
    }

    public CorruptionReport {
        cases = List.copyOf(cases);
    }

    public List<Case> failures() {
        return cases.stream().filter(c -> !c.outcome().acceptable()).toList();
    }

    public Map<Outcome, Long> counts() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        cases.forEach(c -> counts.merge(c.outcome(), 1L, Long::sum));
        return counts;
    }

    public String summary() {
        return cases.size() + " damaged copies: " + counts().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    /** Throws an {@link AssertionError} listing the first failures, if any. */
    public CorruptionReport assertNoWrongData() {
        if (!failures().isEmpty()) {
            throw new AssertionError(summary() + "\n" + failures().stream().limit(10)
                    .map(c -> "  " + c.file() + ", " + c.damage() + ": " + c.outcome() + " - " + c.detail())
                    .collect(Collectors.joining("\n")));
        }
        return this;
    }
}
