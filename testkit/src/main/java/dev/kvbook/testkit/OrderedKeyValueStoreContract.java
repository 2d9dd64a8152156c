package dev.kvbook.testkit;

import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.api.Limits;
import dev.kvbook.api.OrderedKeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of an {@link OrderedKeyValueStore}, on top of {@link KeyValueStoreContract}:
 * iteration in unsigned key order, and half-open range scans.
 */
public abstract class OrderedKeyValueStoreContract extends KeyValueStoreContract {

    private OrderedKeyValueStore ordered() {
        return (OrderedKeyValueStore) store;
    }

    private NavigableMap<byte[], byte[]> loadMixedKeys() {
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        byte[][] keys = {utf8("b"), utf8("a"), utf8("ab"), utf8("abc"), new byte[0], new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xff, 0}, new byte[] {0x7f}, utf8("c"), new byte[] {0}};
        for (byte[] key : keys) {
            store.put(key, key);
            model.put(key, key);
        }
        return model;
    }

    @Test
    void theIteratorReturnsKeysInUnsignedOrder() {
        NavigableMap<byte[], byte[]> model = loadMixedKeys();
        List<byte[]> seen = store.iterator().toList().stream().map(Entry::key).toList();
        assertThat(seen).containsExactlyElementsOf(model.keySet());
    }

    @Test
    void aPrefixSortsBeforeItsExtensionsAndHighBytesSortLast() {
        loadMixedKeys();
        List<byte[]> seen = ordered().scan(utf8("a"), null).toList().stream().map(Entry::key).toList();
        assertThat(seen).containsExactly(utf8("a"), utf8("ab"), utf8("abc"), utf8("b"), utf8("c"),
                new byte[] {0x7f}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xff, 0});
    }

    @Test
    void scanIsHalfOpen() {
        NavigableMap<byte[], byte[]> model = loadMixedKeys();
        List<Entry> seen = ordered().scan(utf8("ab"), utf8("c")).toList();
        assertThat(seen).containsExactlyElementsOf(entries(model.subMap(utf8("ab"), true, utf8("c"), false)));
    }

    @Test
    void nullBoundsAreUnbounded() {
        NavigableMap<byte[], byte[]> model = loadMixedKeys();
        assertThat(ordered().scan(null, null).toList()).containsExactlyElementsOf(entries(model));
        assertThat(ordered().scan(null, utf8("b")).toList()).containsExactlyElementsOf(entries(model.headMap(utf8("b"))));
        assertThat(ordered().scan(utf8("b"), null).toList()).containsExactlyElementsOf(entries(model.tailMap(utf8("b"))));
    }

    @Test
    void aRangeWhoseStartIsNotBeforeItsEndIsEmpty() {
        loadMixedKeys();
        assertThat(ordered().scan(utf8("c"), utf8("a")).toList()).isEmpty();
        assertThat(ordered().scan(utf8("b"), utf8("b")).toList()).isEmpty();
    }

    @Test
    void scanSkipsDeletedKeysAndSeesOverwrites() {
        NavigableMap<byte[], byte[]> model = loadMixedKeys();
        store.delete(utf8("ab"));
        model.remove(utf8("ab"));
        store.put(utf8("abc"), utf8("new"));
        model.put(utf8("abc"), utf8("new"));
        assertThat(ordered().scan(utf8("a"), utf8("b")).toList()).containsExactlyElementsOf(entries(model.subMap(utf8("a"), utf8("b"))));
    }

    @Test
    void scanOrderSurvivesReopen() {
        NavigableMap<byte[], byte[]> model = loadMixedKeys();
        reopen();
        assertThat(ordered().scan(null, null).toList()).containsExactlyElementsOf(entries(model));
    }

    @Test
    void scanChecksItsBounds() {
        byte[] tooLong = new byte[Limits.MAX_KEY_SIZE + 1];
        assertThatThrownBy(() -> ordered().scan(tooLong, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ordered().scan(null, tooLong)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyKeysScanInOrder() {
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        for (int i = 0; i < 500; i++) {
            byte[] key = utf8(Integer.toString(i * 7919 % 1000));
            store.put(key, key);
            model.put(key, key);
        }
        assertThat(ordered().scan(utf8("2"), utf8("6")).toList())
                .containsExactlyElementsOf(entries(model.subMap(utf8("2"), utf8("6"))));
    }

    private static List<Entry> entries(java.util.SortedMap<byte[], byte[]> map) {
        return map.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
    }
}
