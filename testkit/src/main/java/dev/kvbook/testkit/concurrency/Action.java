package dev.kvbook.testkit.concurrency;

import java.util.Map;
import java.util.Objects;

/**
 * One read or write inside a recorded {@link Call}, with the answer the store gave: a
 * {@code get} and the value it saw, a {@code put} and the value it wrote, a {@code delete} and
 * whether it said the key was there.
 *
 * <p>Values are short strings standing for the bytes (the driver writes each value only once,
 * so a value names the {@code put} that wrote it); {@code null} means "absent". An action can
 * be replayed against a state, a map from key to value: {@link #applyTo} changes the state as
 * the store should have, and says whether the store's answer is the one that state predicts.
 * That replay is the whole sequential model of a key-value store the
 * {@link LinearizabilityChecker} needs.
 */
public sealed interface Action {

    /** The key this action reads or writes. */
    String key();

    /**
     * Replays this action on {@code state} (changing it for a write) and returns whether the
     * answer recorded here is what a store in {@code state} must have answered.
     */
    boolean applyTo(Map<String, String> state);

    /** {@code get(key)} answered {@code seen} ({@code null}: absent). */
    record Get(String key, String seen) implements Action {
        public Get {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public boolean applyTo(Map<String, String> state) {
            return Objects.equals(state.get(key), seen);
        }

        @Override
        public String toString() {
            return "get " + key + " -> " + (seen == null ? "absent" : seen);
        }
    }

    /** {@code put(key, value)} returned. */
    record Put(String key, String value) implements Action {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean applyTo(Map<String, String> state) {
            state.put(key, value);
            return true;
        }

        @Override
        public String toString() {
            return "put " + key + " = " + value;
        }
    }

    /** {@code delete(key)} answered {@code wasPresent}. */
    record Delete(String key, boolean wasPresent) implements Action {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public boolean applyTo(Map<String, String> state) {
            return (state.remove(key) != null) == wasPresent;
        }

        @Override
        public String toString() {
            return "delete " + key + " -> " + wasPresent;
        }
    }

    /** A {@link Get}: {@code get(key)} answered {@code seen}, {@code null} meaning absent. */
    static Action get(String key, String seen) {
        return new Get(key, seen);
    }

    /** A {@link Put} of {@code value} under {@code key}. */
    static Action put(String key, String value) {
        return new Put(key, value);
    }

    /** A {@link Delete} of {@code key} that answered {@code wasPresent}. */
    static Action delete(String key, boolean wasPresent) {
        return new Delete(key, wasPresent);
    }
}
