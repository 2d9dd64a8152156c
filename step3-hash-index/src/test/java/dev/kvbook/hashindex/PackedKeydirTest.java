package dev.kvbook.hashindex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keydir's contract on {@link PackedKeydir}, and what only the packing can get wrong: two keys
 * whose 32-bit hashes collide in the slot table, and garbage left by removes, which a rebuild
 * must give back.
 */
class PackedKeydirTest extends KeydirTest {

    @Override
    protected Keydir newKeydir() {
        return new PackedKeydir();
    }

    @Test
    void keysWithTheSameHashAreTellApartByTheirBytes() {
        Map<Integer, byte[]> byHash = new HashMap<>();
        List<byte[]> colliding = new ArrayList<>();
        for (int i = 0; colliding.size() < 8; i++) { // a full 32-bit collision every ~80,000 keys
            byte[] key = ByteBuffer.allocate(8).putLong(i).array();
            byte[] other = byHash.putIfAbsent(SlotTable.hash(key, 0, key.length), key);
            if (other != null) {
                colliding.add(other);
                colliding.add(key);
            }
        }
        Keydir keydir = newKeydir();
        for (int i = 0; i < colliding.size(); i++) {
            keydir.put(colliding.get(i), new Keydir.Location(1, i, 10));
        }
        for (int i = 0; i < colliding.size(); i += 2) {
            keydir.remove(colliding.get(i));
        }
        for (int i = 0; i < colliding.size(); i++) {
            assertThat(keydir.get(colliding.get(i))).isEqualTo(i % 2 == 0 ? null : new Keydir.Location(1, i, 10));
        }
    }

    @Test
    void removingMostKeysGivesTheMemoryBack() {
        Keydir keydir = newKeydir();
        for (int i = 0; i < 100_000; i++) {
            keydir.put(key16(i), new Keydir.Location(1, i, 100));
        }
        for (int i = 0; i < 99_000; i++) {
            keydir.remove(key16(i));
        }
        // Rebuilds keep garbage below the live data: at most twice the entry and arena parts.
        assertThat(keydir.estimatedBytesPerKey() - 16).isLessThanOrEqualTo(2 * 48);
        for (int i = 99_000; i < 100_000; i++) {
            assertThat(keydir.get(key16(i))).isEqualTo(new Keydir.Location(1, i, 100));
        }
    }
}
