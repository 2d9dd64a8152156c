package dev.kvbook.testkit.concurrency;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One completed call on a store, as a thread saw it: what it did ({@link Action}s: one for a
 * plain {@code get}, {@code put} or {@code delete}, several for a transaction), and when it was
 * invoked and when it returned.
 *
 * <p>The two stamps come from one shared counter that every thread increments just before
 * calling and just after the call returns, so they order events in real time without reading
 * a clock: if {@code a.returned() < b.invoked()}, call a finished before call b began, and a
 * linearizable store must show a's effect to b. Calls whose intervals overlap ran concurrently
 * and may take effect in either order. That is all the {@link LinearizabilityChecker} knows
 * about time.
 *
 * @param thread      which worker made the call (for reading a history; the checker ignores it)
 * @param actions     what the call did and the answers it got, in program order
 * @param transaction whether the actions ran as one transaction (several actions always do)
 * @param invoked     the counter just before the call
 * @param returned    the counter just after it returned; greater than {@code invoked}
 */
public record Call(int thread, List<Action> actions, boolean transaction, long invoked, long returned) {

    public Call {
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a call does at least one action");
        }
        if (actions.size() > 1 && !transaction) {
            throw new IllegalArgumentException("several actions in one call are a transaction");
        }
        if (returned <= invoked) {
            throw new IllegalArgumentException("a call returns after it is invoked: " + invoked + " .. " + returned);
        }
    }

    /** A plain call ({@code get}, {@code put} or {@code delete}) by {@code thread}, invoked and returned at those stamps. */
    public static Call of(int thread, long invoked, long returned, Action action) {
        return new Call(thread, List.of(action), false, invoked, returned);
    }

    /** A transaction by {@code thread} of {@code actions}, in order, invoked and committed at those stamps. */
    public static Call transaction(int thread, long invoked, long returned, Action... actions) {
        return new Call(thread, List.of(actions), true, invoked, returned);
    }

    /** The keys this call touches: the part of the store's state its outcome depends on. */
    public Set<String> keys() {
        return actions.stream().map(Action::key).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public String toString() {
        String what = transaction
                ? "tx{" + actions.stream().map(Action::toString).collect(Collectors.joining("; ")) + "}"
                : actions.get(0).toString();
        return "thread " + thread + " [" + invoked + ".." + returned + "] " + what;
    }
}
