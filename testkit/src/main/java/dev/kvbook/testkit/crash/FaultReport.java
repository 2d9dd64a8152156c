package dev.kvbook.testkit.crash;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of a fault-injection run: one case per failed I/O call.
 *
 * @param cases every case tried
 * @param ioCallsInWorkload how many counted I/O calls the workload made without faults
 */
public record FaultReport(List<Case> cases, long ioCallsInWorkload) {

    /**
     * One injected fault.
     *
     * @param call       which counted call failed (1 = the first)
     * @param failedCall that call, described
     * @param during     the operation it failed ("put ...", "open", "close")
     * @param handled    whether the store kept its promise
     * @param detail     what happened ("failed closed; reopened with the state before")
     */
    public record Case(long call, String failedCall, String during, boolean handled, String detail) {
    }

    public FaultReport {
        cases = List.copyOf(cases);
    }

    /** The cases where the store did not keep its promise. */
    public List<Case> failures() {
        return cases.stream().filter(c -> !c.handled()).toList();
    }

    /** One line for a test log or the CLI. */
    public String summary() {
        return cases.size() + " injected faults (of " + ioCallsInWorkload + " I/O calls): "
                + (cases.size() - failures().size()) + " handled, " + failures().size() + " not";
    }

    /** Throws an {@link AssertionError} listing the first failures, if any. */
    public FaultReport assertAllHandled() {
        if (!failures().isEmpty()) {
            throw new AssertionError(summary() + "\n" + failures().stream().limit(10)
                    .map(c -> "  fault at call " + c.call() + " (" + c.failedCall() + ", during " + c.during() + "): " + c.detail())
                    .collect(Collectors.joining("\n")));
        }
        return this;
    }
}
