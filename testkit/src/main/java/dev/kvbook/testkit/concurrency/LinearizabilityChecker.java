package dev.kvbook.testkit.concurrency;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides whether a concurrent history of {@link Call}s is <em>linearizable</em>: whether every
 * call can be given one instant, somewhere between its invocation and its return, such that the
 * calls taken in the order of those instants are a correct sequential run of a key-value map
 * starting from the initial state. That is the promise "safe for concurrent use" makes: each
 * call looks atomic, and it takes effect while it is running, not before and not after.
 *
 * <h2>The search (Wing and Gong, with Lowe's memoization)</h2>
 * The checker tries to build such an order one call at a time. At any moment the calls that
 * may go next are the <em>minimal</em> ones: not yet placed, and invoked before the earliest
 * return of any call not yet placed (a call that returned before another began must come first).
 * It tries each minimal call in turn: if replaying it on the current state gives the answers
 * the store gave ({@link Action#applyTo}), it is placed and the search goes on from the new
 * state; if no minimal call fits, it backtracks and tries the next candidate at the previous
 * level. When every call is placed, the history is linearizable; when the search runs out of
 * choices at the first level, it is not.
 *
 * <p>This is a depth-first search over orders, so it is exponential in the worst case. Lowe's
 * optimisation keeps it practical: two paths that have placed the same <em>set</em> of calls and
 * reached the same state have the same future, so each (placed-calls bitset, state) pair is
 * explored once, and a cache remembers the pairs already seen. With T threads at most T calls
 * overlap at any moment, and the search then visits roughly (calls x 2^T x states) pairs.
 * Knossos (Jepsen) and Porcupine use the same algorithm, with the events of the history kept in
 * a doubly linked list from which a placed call and its return are "lifted" and put back on
 * backtracking, as here.
 *
 * <h2>One key at a time (P-compositionality)</h2>
 * Linearizability is <em>local</em>: a history is linearizable if and only if the sub-history
 * of each independent object is. Calls on key {@code a} never constrain calls on key {@code b},
 * so the checker first splits the history into partitions of calls whose keys connect (a
 * transaction over {@code a} and {@code b} joins their partitions), and searches each one
 * alone. Ten keys of a hundred calls each are ten small searches, not one astronomically
 * large one. Transactions over a few keys make their keys one partition, and that is why the
 * transaction workloads are kept short.
 *
 * <h2>Cost and its bound</h2>
 * Each placed call costs a copy of the state and of the bitset (O(keys + calls / 64)). A search
 * that takes more than {@code budget} steps gives up and reports the history as too long to
 * check ({@link Verdict#inconclusive()}), which tests treat as a failure: shorten the history
 * rather than trust an unchecked one.
 */
public final class LinearizabilityChecker {

    /** Steps (calls tried) after which a search gives up: far more than a short history needs. */
    public static final long DEFAULT_BUDGET = 20_000_000;

    /** What the check found, for all the partitions of one history. */
    public record Verdict(boolean linearizable, boolean inconclusive, int histories, int calls, String explanation) {

        /** A short line: how many partitions and calls, and the outcome. */
        public String summary() {
            String outcome = linearizable ? "linearizable" : inconclusive ? "too long to check" : "NOT linearizable";
            return histories + " key histories, " + calls + " calls: " + outcome;
        }
    }

    private LinearizabilityChecker() {
    }

    /**
     * Checks {@code history} against a store that starts empty, with the default budget. Costs one
     * search per key (or group of keys joined by transactions): milliseconds for the few hundred
     * calls of four threads, exponential in the number of overlapping calls in the worst case.
     */
    public static Verdict check(List<Call> history) {
        return check(history, Map.of(), DEFAULT_BUDGET);
    }

    /**
     * Checks {@code history} against a store that starts holding {@code initial} (key to value),
     * searching each partition for at most {@code budget} steps (a step tries one call; each
     * costs a copy of the state and of the placed-calls bitset). Stops at the first partition
     * that is not linearizable and explains it.
     */
    public static Verdict check(List<Call> history, Map<String, String> initial, long budget) {
        List<List<Call>> partitions = partition(history);
        for (List<Call> calls : partitions) {
            Map<String, String> start = new HashMap<>();
            calls.forEach(c -> c.keys().forEach(k -> {
                if (initial.containsKey(k)) {
                    start.put(k, initial.get(k));
                }
            }));
            Search search = new Search(calls, Map.copyOf(start), budget);
            Boolean result = search.run();
            if (result == null || !result) {
                return new Verdict(false, result == null, partitions.size(), history.size(), search.explain(result == null));
            }
        }
        return new Verdict(true, false, partitions.size(), history.size(), "");
    }

    /** Splits a history into groups of calls whose keys connect, each in invocation order (union-find over keys). */
    static List<List<Call>> partition(List<Call> history) {
        Map<String, String> parent = new HashMap<>();
        for (Call call : history) {
            String first = null;
            for (String key : call.keys()) {
                parent.putIfAbsent(key, key);
                if (first == null) {
                    first = key;
                } else {
                    parent.put(root(parent, key), root(parent, first));
                }
            }
        }
        Map<String, List<Call>> groups = new TreeMap<>();
        for (Call call : history) {
            groups.computeIfAbsent(root(parent, call.keys().iterator().next()), k -> new ArrayList<>()).add(call);
        }
        groups.values().forEach(g -> g.sort(Comparator.comparingLong(Call::invoked)));
        return new ArrayList<>(groups.values());
    }

    private static String root(Map<String, String> parent, String key) {
        String r = key;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        parent.put(key, r);
        return r;
    }

    /** Replays {@code call} on {@code state}: the next state, or {@code null} when the call's answers do not fit. */
    static Map<String, String> step(Map<String, String> state, Call call) {
        Map<String, String> next = new HashMap<>(state);
        for (Action action : call.actions()) {
            if (!action.applyTo(next)) {
                return null;
            }
        }
        return Map.copyOf(next);
    }

    /** An event of the history: a call's invocation or its return, in a doubly linked list in stamp order. */
    private static final class Event {
        final int id;
        final Call call;
        final boolean isInvocation;
        Event match;
        Event prev;
        Event next;

        Event(int id, Call call, boolean isInvocation) {
            this.id = id;
            this.call = call;
            this.isInvocation = isInvocation;
        }
    }

    /** A placed call and what the search had before placing it, to backtrack to. */
    private record Placed(Event invocation, Map<String, String> stateBefore, BitSet placedBefore) {
    }

    /** The set of placed calls and the state they lead to: Lowe's memo key. Bitsets are never changed once made. */
    private record Configuration(BitSet placed, Map<String, String> state) {
    }

    /** The depth-first search over one partition. */
    private static final class Search {
        private final List<Call> calls;
        private final Map<String, String> initial;
        private final long budget;
        private final Event head = new Event(-1, null, false);
        private List<Call> deepestOrder = List.of();
        private Map<String, String> deepestState;
        private List<Call> deepestCandidates = List.of();

        Search(List<Call> calls, Map<String, String> initial, long budget) {
            this.calls = calls;
            this.initial = initial;
            this.budget = budget;
            this.deepestState = initial;
            link();
        }

        /** Builds the event list: both events of every call, ordered by stamp (stamps are unique). */
        private void link() {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                Event invocation = new Event(i, calls.get(i), true);
                Event response = new Event(i, calls.get(i), false);
                invocation.match = response;
                response.match = invocation;
                events.add(invocation);
                events.add(response);
            }
            events.sort(Comparator.comparingLong(e -> e.isInvocation ? e.call.invoked() : e.call.returned()));
            Event last = head;
            for (Event e : events) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        /** True: linearizable; false: not; null: the budget ran out first. */
        Boolean run() {
            Deque<Placed> placed = new ArrayDeque<>();
            Set<Configuration> seen = new HashSet<>();
            Map<String, String> state = initial;
            BitSet done = new BitSet(calls.size());
            Event entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if (++steps > budget) {
                    return null;
                }
                if (entry.isInvocation) {
                    Map<String, String> next = step(state, entry.call);
                    if (next != null) {
                        BitSet nowDone = (BitSet) done.clone();
                        nowDone.set(entry.id);
                        if (seen.add(new Configuration(nowDone, next))) {
                            placed.push(new Placed(entry, state, done));
                            state = next;
                            done = nowDone;
                            lift(entry);
                            noteDepth(placed, state);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    // A return: every call that must come before it has been tried. Backtrack.
                    if (placed.isEmpty()) {
                        return false;
                    }
                    Placed top = placed.pop();
                    state = top.stateBefore();
                    done = top.placedBefore();
                    unlift(top.invocation());
                    entry = top.invocation().next;
                }
            }
            return true;
        }

        /** Takes a placed call's invocation and return out of the list. */
        private static void lift(Event invocation) {
            invocation.prev.next = invocation.next;
            invocation.next.prev = invocation.prev;
            Event response = invocation.match;
            response.prev.next = response.next;
            if (response.next != null) {
                response.next.prev = response.prev;
            }
        }

        /** Puts them back, in the reverse order. */
        private static void unlift(Event invocation) {
            Event response = invocation.match;
            response.prev.next = response;
            if (response.next != null) {
                response.next.prev = response;
            }
            invocation.prev.next = invocation;
            invocation.next.prev = invocation;
        }

        /** Remembers the longest order found so far, and which calls could not follow it, for the explanation. */
        private void noteDepth(Deque<Placed> placed, Map<String, String> state) {
            if (placed.size() <= deepestOrder.size()) {
                return;
            }
            List<Call> order = new ArrayList<>();
            placed.descendingIterator().forEachRemaining(p -> order.add(p.invocation().call));
            deepestOrder = order;
            deepestState = state;
            List<Call> candidates = new ArrayList<>();
            for (Event e = head.next; e != null && e.isInvocation; e = e.next) {
                candidates.add(e.call);
            }
            deepestCandidates = candidates;
        }

        /** Why the search failed: the longest valid order found, the state it reached, and the calls none of which fits next. */
        String explain(boolean gaveUp) {
            StringBuilder out = new StringBuilder();
            out.append("keys ").append(keysOf()).append(", ").append(calls.size()).append(" calls: ");
            if (gaveUp) {
                return out.append("the search gave up after ").append(budget)
                        .append(" steps; shorten the history (fewer calls, threads or keys per transaction)").toString();
            }
            out.append("no order of the calls explains the answers.\n");
            out.append("  The longest valid order places ").append(deepestOrder.size()).append(" calls; its last ones:\n");
            deepestOrder.subList(Math.max(0, deepestOrder.size() - 8), deepestOrder.size())
                    .forEach(c -> out.append("    ").append(c).append('\n'));
            out.append("  reaching the state ").append(describe(deepestState)).append(";\n");
            out.append("  then none of these calls (which may go next) gives the answers the store gave:\n");
            List<Call> next = deepestOrder.isEmpty() ? firstCandidates() : deepestCandidates;
            next.forEach(c -> out.append("    ").append(c).append('\n'));
            return out.toString();
        }

        private List<Call> firstCandidates() {
            List<Call> candidates = new ArrayList<>();
            for (Event e = head.next; e != null && e.isInvocation; e = e.next) {
                candidates.add(e.call);
            }
            return candidates;
        }

        private String keysOf() {
            Set<String> keys = new TreeSet<>();
            calls.forEach(c -> keys.addAll(c.keys()));
            return String.join(", ", keys);
        }

        private static String describe(Map<String, String> state) {
            return state.isEmpty() ? "{all absent}" : new TreeMap<>(state).toString();
        }
    }
}
