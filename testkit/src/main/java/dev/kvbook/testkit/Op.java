package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;

import java.util.NavigableMap;
import java.util.function.Consumer;

/**
 * One step of a test workload, applied both to a store and to the {@code TreeMap} model it is
 * checked against. Model-based tests generate lists of these; the crash, fault and process-kill
 * drivers replay them.
 */
public sealed interface Op {

    /** Does this operation to the store. */
    void applyTo(KeyValueStore store);

    /** Does this operation to the model (a sorted map standing for what the store should hold). */
    void applyTo(NavigableMap<byte[], byte[]> model);

    /**
     * Whether, once this returns, every write so far must survive a crash: syncs and reopens
     * always; writes only in a store that is durable on every write.
     */
    boolean isDurablePoint(boolean durableOnEveryWrite);

    /** Puts {@code value} under {@code key}. */
    record Put(byte[] key, byte[] value) implements Op {
        @Override public void applyTo(KeyValueStore store) { store.put(key, value); }
        @Override public void applyTo(NavigableMap<byte[], byte[]> model) { model.put(key.clone(), value.clone()); }
        @Override public boolean isDurablePoint(boolean durableOnEveryWrite) { return durableOnEveryWrite; }
        @Override public String toString() { return "put " + Keys.toDisplay(key) + " = " + Keys.toDisplay(value); }
    }

    /** Deletes {@code key}. */
    record Delete(byte[] key) implements Op {
        @Override public void applyTo(KeyValueStore store) { store.delete(key); }
        @Override public void applyTo(NavigableMap<byte[], byte[]> model) { model.remove(key); }
        @Override public boolean isDurablePoint(boolean durableOnEveryWrite) { return durableOnEveryWrite; }
        @Override public String toString() { return "delete " + Keys.toDisplay(key); }
    }

    /** Calls {@code sync()}. */
    record Sync() implements Op {
        @Override public void applyTo(KeyValueStore store) { store.sync(); }
        @Override public void applyTo(NavigableMap<byte[], byte[]> model) { }
        @Override public boolean isDurablePoint(boolean durableOnEveryWrite) { return true; }
        @Override public String toString() { return "sync"; }
    }

    /** Closes the store and opens it again; the runner does the reopening. */
    record Reopen() implements Op {
        @Override public void applyTo(KeyValueStore store) { store.close(); }
        @Override public void applyTo(NavigableMap<byte[], byte[]> model) { }
        @Override public boolean isDurablePoint(boolean durableOnEveryWrite) { return true; }
        @Override public String toString() { return "close and reopen"; }
    }

    /**
     * A store-specific operation: {@code compact}, {@code merge}, {@code checkpoint}, a batch.
     * {@code modelEffect} says what it does to the data ({@code null}: nothing, as for maintenance).
     */
    record Custom(String name, Consumer<KeyValueStore> action,
                  Consumer<NavigableMap<byte[], byte[]>> modelEffect) implements Op {
        @Override public void applyTo(KeyValueStore store) { action.accept(store); }
        @Override public void applyTo(NavigableMap<byte[], byte[]> model) {
            if (modelEffect != null) {
                modelEffect.accept(model);
            }
        }
        @Override public boolean isDurablePoint(boolean durableOnEveryWrite) { return durableOnEveryWrite && modelEffect != null; }
        @Override public String toString() { return name; }
    }

    /** A maintenance operation that must leave the data as it is (compaction, merge, checkpoint). */
    static Op maintenance(String name, Consumer<KeyValueStore> action) {
        return new Custom(name, action, null);
    }

    static Op put(String key, String value) {
        return new Put(Keys.utf8(key), Keys.utf8(value));
    }

    static Op delete(String key) {
        return new Delete(Keys.utf8(key));
    }

    static Op sync() {
        return new Sync();
    }

    static Op reopen() {
        return new Reopen();
    }
}
