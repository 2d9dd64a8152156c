package dev.kvbook.testkit;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The states a store went through during a workload, and which of them the store promised to
 * keep: the yardstick every crash and fault check measures against.
 *
 * <p>State 0 is the start; state i is the model after the i-th operation was acknowledged.
 * After a crash, a correct store holds one of the states from the last <em>durable point</em>
 * on (the last operation after which everything acknowledged must survive) up to the state the
 * interrupted operation would have produced. That one rule is each step's crash promise:
 * "the old map or the new one" (step 1), "a prefix of the writes that includes every durable
 * one" (steps 2 and 3), "every committed transaction and no other" (step 5).
 */
public final class History {

    private final List<NavigableMap<byte[], byte[]>> states = new ArrayList<>();
    private final Set<String> keysEverWritten = new LinkedHashSet<>();
    private int lastDurable;

    /** A history that starts from {@code initial}. */
    public History(NavigableMap<byte[], byte[]> initial) {
        states.add(copy(initial));
        initial.keySet().forEach(k -> keysEverWritten.add(hex(k)));
    }

    /** A history that starts from an empty store. */
    public History() {
        this(new TreeMap<>(Keys.COMPARATOR));
    }

    /** Records that {@code op} was acknowledged, with whether it was a durable point. */
    public void acknowledged(Op op, boolean durablePoint) {
        NavigableMap<byte[], byte[]> next = copy(current());
        op.applyTo(next);
        if (op instanceof Op.Put put) {
            keysEverWritten.add(hex(put.key()));
        }
        states.add(next);
        if (durablePoint) {
            lastDurable = states.size() - 1;
        }
    }

    /** The state after the last acknowledged operation. */
    public NavigableMap<byte[], byte[]> current() {
        return states.get(states.size() - 1);
    }

    /** The index of the last durable state. */
    public int lastDurable() {
        return lastDurable;
    }

    /**
     * The states a store may hold after a crash during {@code inFlight} (null when no
     * operation was under way): every state from the last durable one to the newest, plus
     * the state {@code inFlight} would have produced.
     */
    public List<NavigableMap<byte[], byte[]>> allowedAfterCrash(Op inFlight) {
        List<NavigableMap<byte[], byte[]>> allowed = new ArrayList<>(states.subList(lastDurable, states.size()));
        if (inFlight != null) {
            NavigableMap<byte[], byte[]> next = copy(current());
            inFlight.applyTo(next);
            allowed.add(next);
        }
        return allowed;
    }

    /** Every state, from the start to the newest. */
    public List<NavigableMap<byte[], byte[]>> allStates() {
        return List.copyOf(states);
    }

    /** Whether some state before the last durable one equals {@code observed}: a lost durable write. */
    public boolean matchesOlderState(NavigableMap<byte[], byte[]> observed) {
        return states.subList(0, lastDurable).stream().anyMatch(s -> same(s, observed));
    }

    /** Every key any state ever held, to probe a store's {@code get} beyond its iterator. */
    public List<byte[]> keysEverWritten() {
        return keysEverWritten.stream().map(History::unhex).toList();
    }

    /** Reads a store's whole state through its iterator. */
    public static NavigableMap<byte[], byte[]> readAll(KeyValueStore store) {
        NavigableMap<byte[], byte[]> seen = new TreeMap<>(Keys.COMPARATOR);
        try (CloseableIterator<Entry> it = store.iterator()) {
            while (it.hasNext()) {
                Entry e = it.next();
                if (seen.put(e.key(), e.value()) != null) {
                    throw new AssertionError("the iterator returned key " + Keys.toDisplay(e.key()) + " twice");
                }
            }
        }
        return seen;
    }

    /** Whether two states hold the same keys with the same values. */
    public static boolean same(Map<byte[], byte[]> a, Map<byte[], byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<byte[], byte[]> e : a.entrySet()) {
            byte[] other = b.get(e.getKey());
            if (other == null || !Arrays.equals(other, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** A short description of how {@code observed} differs from {@code expected}, for failure messages. */
    public static String describeDifference(Map<byte[], byte[]> expected, Map<byte[], byte[]> observed) {
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
            byte[] got = observed.get(e.getKey());
            if (got == null) {
                diffs.add("missing " + Keys.toDisplay(e.getKey()));
            } else if (!Arrays.equals(got, e.getValue())) {
                diffs.add(Keys.toDisplay(e.getKey()) + " is " + Keys.toDisplay(got) + " not " + Keys.toDisplay(e.getValue()));
            }
        }
        observed.keySet().stream().filter(k -> !expected.containsKey(k))
                .forEach(k -> diffs.add("unexpected " + Keys.toDisplay(k)));
        return diffs.size() <= 5 ? String.join("; ", diffs)
                : String.join("; ", diffs.subList(0, 5)) + "; and " + (diffs.size() - 5) + " more";
    }

    static NavigableMap<byte[], byte[]> copy(NavigableMap<byte[], byte[]> state) {
        return new TreeMap<>(state);
    }

    private static String hex(byte[] key) {
        return java.util.HexFormat.of().formatHex(key);
    }

    private static byte[] unhex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
