package dev.kvbook.testkit.concurrency;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread's share of a concurrent workload: random {@code get}, {@code put} and
 * {@code delete} calls on a handful of keys (and, on a transactional store, small transactions
 * over two or three of them), each stamped from the shared counter just before it is invoked
 * and just after it returns, and recorded as a {@link Call}.
 *
 * <p>Every value is written once: it is {@code t<thread>.<n>}, padded with {@code x} bytes to
 * the chosen size ({@code t2.17+9000B;xxxx...}), so a value read back names the {@code put}
 * that wrote it, and bytes that are not exactly a written value can never match the model.
 */
final class Worker {

    private final KeyValueStore store;
    private final int thread;
    private final Random random;
    private final AtomicLong clock;
    private final List<String> keys;
    private final int[] valueSizes;
    private final boolean transactions;
    private final List<Call> calls = new ArrayList<>();
    private int written;
    private volatile String inFlight = "no call yet";

    Worker(KeyValueStore store, int thread, long seed, AtomicLong clock, List<String> keys, int[] valueSizes,
           boolean transactions) {
        this.store = store;
        this.thread = thread;
        this.random = new Random(seed);
        this.clock = clock;
        this.keys = keys;
        this.valueSizes = valueSizes;
        this.transactions = transactions;
    }

    /** Makes {@code count} calls and returns them, in the order this thread made them. */
    List<Call> run(int count) {
        for (int i = 0; i < count; i++) {
            if (transactions && random.nextInt(100) < 60) {
                calls.add(transaction());
            } else {
                calls.add(plainCall());
            }
        }
        return calls;
    }

    /** The calls completed so far, in order; read it once the thread has finished. */
    List<Call> completed() {
        return calls;
    }

    /**
     * The call this thread made last (the one in flight if it threw or hangs), described. Read
     * from the watchdog's thread while this one may still run, so the call number is approximate.
     */
    String inFlight() {
        return "thread " + thread + ", call " + (calls.size() + 1) + ": " + inFlight;
    }

    /** One {@code get}, {@code put} or {@code delete} on a random key. */
    private Call plainCall() {
        String key = keys.get(random.nextInt(keys.size()));
        int kind = random.nextInt(100);
        String value = kind >= 40 && kind < 75 ? nextValue() : null;
        inFlight = (kind < 40 ? "get " : value != null ? "put " : "delete ") + key + (value != null ? " = " + value : "");
        long invoked = clock.incrementAndGet();
        Action action;
        if (kind < 40) {
            action = Action.get(key, decode(store.get(Keys.utf8(key))));
        } else if (value != null) {
            store.put(Keys.utf8(key), encode(value));
            action = Action.put(key, value);
        } else {
            action = Action.delete(key, store.delete(Keys.utf8(key)));
        }
        return Call.of(thread, invoked, clock.incrementAndGet(), action);
    }

    /**
     * A transaction over two or three distinct keys: one read or write on each; one in five is
     * read-only. Half go through {@code inTransaction}, half through {@code begin} and
     * {@code commit}. A delete of an absent key in one makes a transaction that changes nothing.
     */
    private Call transaction() {
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, random);
        List<String> touched = shuffled.subList(0, Math.min(shuffled.size(), 2 + random.nextInt(2)));
        boolean readOnly = random.nextInt(5) == 0;
        List<Step> plan = new ArrayList<>();
        for (String key : touched) {
            int kind = readOnly ? 0 : random.nextInt(3);
            plan.add(new Step(kind, key, kind == 1 ? nextValue() : null));
        }
        inFlight = "transaction " + plan;
        TransactionalStore tx = (TransactionalStore) store;
        List<Action> actions = new ArrayList<>();
        long invoked = clock.incrementAndGet();
        if (random.nextBoolean()) {
            tx.inTransaction(t -> {
                plan.forEach(step -> actions.add(step.runIn(t)));
                return null;
            });
        } else {
            try (Transaction t = tx.begin()) {
                plan.forEach(step -> actions.add(step.runIn(t)));
                t.commit();
            }
        }
        return new Call(thread, actions, true, invoked, clock.incrementAndGet());
    }

    /** One planned action of a transaction: 0 get, 1 put, 2 delete. */
    private record Step(int kind, String key, String value) {
        @Override
        public String toString() {
            return (kind == 0 ? "get " : kind == 1 ? "put " : "delete ") + key + (value == null ? "" : " = " + value);
        }

        Action runIn(Transaction t) {
            return switch (kind) {
                case 0 -> Action.get(key, decode(t.get(Keys.utf8(key))));
                case 1 -> {
                    t.put(Keys.utf8(key), encode(value));
                    yield Action.put(key, value);
                }
                default -> Action.delete(key, t.delete(Keys.utf8(key)));
            };
        }
    }

    /** A value never written before: {@code t<thread>.<n>}, with its padding in the name when there is some. */
    private String nextValue() {
        int padding = valueSizes[random.nextInt(valueSizes.length)];
        String tag = "t" + thread + "." + written++;
        return padding == 0 ? tag : tag + "+" + padding + "B";
    }

    /** The bytes of {@code value}: its name, a semicolon, then the padding. */
    static byte[] encode(String value) {
        int plus = value.indexOf('+');
        int padding = plus < 0 ? 0 : Integer.parseInt(value.substring(plus + 1, value.length() - 1));
        byte[] head = (value + ";").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(head, head.length + padding);
        Arrays.fill(bytes, head.length, bytes.length, (byte) 'x');
        return bytes;
    }

    /** The value named by {@code bytes}, or a "garbled" description when they are not exactly a written value. */
    static String decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int semicolon = text.indexOf(';');
        if (semicolon > 0) {
            String value = text.substring(0, semicolon);
            try {
                if (Arrays.equals(encode(value), bytes)) {
                    return value;
                }
            } catch (RuntimeException notOneOfOurs) {
                // falls through to "garbled"
            }
        }
        String shown = Keys.toDisplay(bytes);
        return "garbled(" + bytes.length + " bytes: " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown) + ")";
    }
}
