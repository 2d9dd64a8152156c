package dev.kvbook.testkit;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.StoreClosedException;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every behaviour the {@link KeyValueStore} contract promises, as tests every store inherits:
 * a store's test class extends this (or {@link OrderedKeyValueStoreContract}, or
 * {@link TransactionalStoreContract}) and says how to open the store.
 *
 * <p>These run on the real file system, in a fresh temporary directory per test. The
 * model-based property ({@link ModelBasedProperty}) runs the same store in memory.
 */
public abstract class KeyValueStoreContract extends ModelBasedProperty {

    @TempDir
    protected Path home;

    protected KeyValueStore store;

    /**
     * Opens the store under test on {@code vfs}, keeping its files inside {@code home}, with the
     * options the test class wants checked. Called again to reopen.
     */
    protected abstract KeyValueStore open(Vfs vfs, Path home);

    /** Opens the store on the real disk in this test's directory. */
    protected KeyValueStore reopen() {
        if (store != null) {
            store.close();
        }
        store = open(Vfs.local(), home);
        return store;
    }

    @BeforeEach
    void openStore() {
        store = open(Vfs.local(), home);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void getOfAMissingKeyIsNull() {
        assertThat(store.get(utf8("nothing"))).isNull();
        assertThat(store.containsKey(utf8("nothing"))).isFalse();
    }

    @Test
    void putThenGetReturnsTheValue() {
        store.put(utf8("k"), utf8("v"));
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
        assertThat(store.containsKey(utf8("k"))).isTrue();
    }

    @Test
    void putReplacesThePreviousValue() {
        store.put(utf8("k"), utf8("first"));
        store.put(utf8("k"), utf8("second"));
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("second"));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void deleteRemovesTheKeyAndSaysItWasThere() {
        store.put(utf8("k"), utf8("v"));
        assertThat(store.delete(utf8("k"))).isTrue();
        assertThat(store.get(utf8("k"))).isNull();
        assertThat(store.delete(utf8("k"))).isFalse();
        assertThat(store.size()).isZero();
    }

    @Test
    void deleteOfAKeyNeverWrittenReturnsFalse() {
        assertThat(store.delete(utf8("never"))).isFalse();
    }

    @Test
    void sizeCountsLiveKeys() {
        for (int i = 0; i < 10; i++) {
            store.put(utf8("k" + i), utf8("v" + i));
        }
        store.delete(utf8("k3"));
        store.put(utf8("k4"), utf8("again"));
        assertThat(store.size()).isEqualTo(9);
    }

    @Test
    void emptyKeyAndEmptyValueAreLegal() {
        store.put(new byte[0], new byte[0]);
        assertThat(store.get(new byte[0])).isEqualTo(new byte[0]);
        assertThat(store.size()).isEqualTo(1);
        reopen();
        assertThat(store.get(new byte[0])).isEqualTo(new byte[0]);
    }

    @Test
    void keysMayHoldEveryByteValue() {
        byte[] key = new byte[256];
        for (int i = 0; i < 256; i++) {
            key[i] = (byte) i;
        }
        store.put(key, key);
        store.put(new byte[] {0}, new byte[] {(byte) 0xff});
        reopen();
        assertThat(store.get(key)).isEqualTo(key);
        assertThat(store.get(new byte[] {0})).isEqualTo(new byte[] {(byte) 0xff});
        assertThat(store.get(new byte[] {0, 0})).isNull();
    }

    @Test
    void aKeyOfExactlyTheLimitIsAccepted() {
        byte[] key = filled(Limits.MAX_KEY_SIZE, 'k');
        store.put(key, utf8("v"));
        reopen();
        assertThat(store.get(key)).isEqualTo(utf8("v"));
    }

    @Test
    void aKeyOverTheLimitIsRejectedSayingTheLimit() {
        byte[] key = filled(Limits.MAX_KEY_SIZE + 1, 'k');
        assertThatThrownBy(() -> store.put(key, utf8("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.size()).isZero();
    }

    @Test
    void aSixteenMebibyteValueIsAccepted() {
        byte[] value = filled(Limits.MAX_VALUE_SIZE, 'v');
        value[value.length - 1] = 'z';
        store.put(utf8("big"), value);
        reopen();
        assertThat(store.get(utf8("big"))).isEqualTo(value);
    }

    @Test
    void aValueOverTheLimitIsRejectedSayingTheLimit() {
        byte[] value = new byte[Limits.MAX_VALUE_SIZE + 1];
        assertThatThrownBy(() -> store.put(utf8("k"), value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(Limits.MAX_VALUE_SIZE));
        assertThat(store.get(utf8("k"))).isNull();
    }

    @Test
    void nullArgumentsThrowNullPointerExceptionNamingTheArgument() {
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.put(null, utf8("v"))).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.put(utf8("k"), null)).isInstanceOf(NullPointerException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.containsKey(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    }

    @Test
    void returnedArraysAreCopiesTheCallerMayKeep() {
        store.put(utf8("k"), utf8("value"));
        byte[] first = store.get(utf8("k"));
        first[0] = 'X';
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("value"));
        try (CloseableIterator<Entry> it = store.iterator()) {
            it.next().value()[0] = 'Y';
        }
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("value"));
    }

    @Test
    void theCallerMayReuseArraysAfterPut() {
        byte[] key = utf8("k");
        byte[] value = utf8("value");
        store.put(key, value);
        key[0] = 'j';
        value[0] = 'X';
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("value"));
        assertThat(store.get(utf8("j"))).isNull();
    }

    @Test
    void theIteratorReturnsEveryLiveEntryOnce() {
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        for (int i = 0; i < 50; i++) {
            store.put(utf8("key" + i), utf8("value" + i));
            model.put(utf8("key" + i), utf8("value" + i));
        }
        for (int i = 0; i < 50; i += 7) {
            store.delete(utf8("key" + i));
            model.remove(utf8("key" + i));
        }
        assertSameState(History.readAll(store), model);
    }

    @Test
    void writesAndDeletesSurviveCloseAndReopen() {
        store.put(utf8("kept"), utf8("1"));
        store.put(utf8("changed"), utf8("old"));
        store.put(utf8("changed"), utf8("new"));
        store.put(utf8("gone"), utf8("x"));
        store.delete(utf8("gone"));
        reopen();
        assertThat(store.get(utf8("kept"))).isEqualTo(utf8("1"));
        assertThat(store.get(utf8("changed"))).isEqualTo(utf8("new"));
        assertThat(store.get(utf8("gone"))).isNull();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void manyKeysRoundTripThroughReopen() {
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        for (int i = 0; i < 400; i++) {
            byte[] key = utf8(String.format("key-%05d", i * 7919 % 400));
            byte[] value = utf8("v".repeat(i % 50) + i);
            store.put(key, value);
            model.put(key, value);
        }
        store.sync();
        reopen();
        assertSameState(History.readAll(store), model);
        assertThat(store.size()).isEqualTo(model.size());
    }

    @Test
    void closeIsIdempotent() {
        store.put(utf8("k"), utf8("v"));
        store.close();
        store.close();
        store = null;
    }

    @Test
    void everyCallAfterCloseThrowsStoreClosed() {
        store.close();
        KeyValueStore closed = store;
        store = null;
        assertThatThrownBy(() -> closed.get(utf8("k"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> closed.put(utf8("k"), utf8("v"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> closed.delete(utf8("k"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(closed::size).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(closed::sync).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(closed::iterator).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(closed::stats).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void aSecondOpenFailsFastWithStoreLocked() {
        assertThatThrownBy(() -> open(Vfs.local(), home)).isInstanceOf(StoreLockedException.class);
        store.put(utf8("still"), utf8("works"));
        assertThat(store.get(utf8("still"))).isEqualTo(utf8("works"));
    }

    @Test
    void closingReleasesTheLock() {
        store.close();
        store = open(Vfs.local(), home);
        store.put(utf8("k"), utf8("v"));
    }

    @Test
    void statsCountLiveKeysAndFiles() {
        store.put(utf8("a"), utf8("1"));
        store.put(utf8("b"), utf8("2"));
        store.delete(utf8("a"));
        store.sync();
        StoreStats stats = store.stats();
        assertThat(stats.liveKeys()).isEqualTo(1);
        assertThat(stats.files()).isPositive();
        assertThat(stats.bytesOnDisk()).isPositive();
        assertThat(stats.garbageBytes()).isNotNegative();
    }

    @Test
    void syncedWritesArePresentAfterReopen() {
        store.put(utf8("k"), utf8("v"));
        store.sync();
        reopen();
        assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
    }

    @Test
    void concurrentWritersAndReadersAgreeWithAModel() throws Exception {
        int threads = 4;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> hammer(id, perThread)));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                if (i % 5 != 0) {
                    model.put(utf8("t" + t + "-" + i), utf8("v" + i));
                }
            }
        }
        assertSameState(History.readAll(store), model);
        reopen();
        assertSameState(History.readAll(store), model);
    }

    /** One thread's share: write its own keys, read each back at once, delete every fifth. */
    private void hammer(int thread, int count) {
        for (int i = 0; i < count; i++) {
            byte[] key = utf8("t" + thread + "-" + i);
            store.put(key, utf8("v" + i));
            if (!Arrays.equals(store.get(key), utf8("v" + i))) {
                throw new AssertionError("thread " + thread + " could not read back its own write " + i);
            }
            if (i % 5 == 0) {
                store.delete(key);
            }
            store.containsKey(utf8("t" + ((thread + 1) % 4) + "-" + i)); // read others' keys meanwhile
        }
    }

    protected static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    protected static void assertSameState(Map<byte[], byte[]> actual, Map<byte[], byte[]> expected) {
        assertThat(History.same(actual, expected))
                .as(() -> "store differs from the model: " + History.describeDifference(expected, actual))
                .isTrue();
    }
}
