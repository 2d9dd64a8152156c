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
 * The keydir's contract, one suite for both implementations: {@link PlainKeydirTest} runs it on
 * the plain hash map, {@link PackedKeydirTest} on the packed arrays (and adds what only packing
 * can get wrong). How much memory each takes per key is a benchmark figure, measured in bench/,
 * not asserted here.
 */
abstract class KeydirTest {

    /** A new, empty keydir of the implementation under test. */
    protected abstract Keydir newKeydir();


    @Test
    void keysCompareByContentNotByArrayIdentity() {
        Keydir keydir = newKeydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        assertThat(keydir.get(utf8("k"))).isEqualTo(new Keydir.Location(1, 8, 20));
    }

    @Test
    void theKeydirKeepsItsOwnCopyOfTheKey() {
        Keydir keydir = newKeydir();
        byte[] key = utf8("abc");
        keydir.put(key, new Keydir.Location(1, 8, 20));
        key[0] = 'x';
        assertThat(keydir.get(utf8("abc"))).isNotNull();
        assertThat(keydir.get(key)).isNull();
    }

    @Test
    void aPutReturnsWhereTheKeyPointedBefore() {
        Keydir keydir = newKeydir();
        assertThat(keydir.put(utf8("k"), new Keydir.Location(1, 8, 20))).isNull();
        assertThat(keydir.put(utf8("k"), new Keydir.Location(2, 8, 21))).isEqualTo(new Keydir.Location(1, 8, 20));
        assertThat(keydir.size()).isEqualTo(1);
    }

    @Test
    void replaceSucceedsOnlyWhenTheKeyStillPointsWhereExpected() {
        Keydir keydir = newKeydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        keydir.put(utf8("k"), new Keydir.Location(3, 8, 20)); // a write during the merge
        assertThat(keydir.replace(utf8("k"), new Keydir.Location(1, 8, 20), new Keydir.Location(2, 8, 20))).isFalse();
        assertThat(keydir.get(utf8("k"))).isEqualTo(new Keydir.Location(3, 8, 20));
        assertThat(keydir.replace(utf8("k"), new Keydir.Location(3, 8, 20), new Keydir.Location(2, 8, 20))).isTrue();
        assertThat(keydir.get(utf8("k"))).isEqualTo(new Keydir.Location(2, 8, 20));
    }

    @Test
    void removeForgetsTheKey() {
        Keydir keydir = newKeydir();
        keydir.put(utf8("k"), new Keydir.Location(1, 8, 20));
        assertThat(keydir.remove(utf8("k"))).isNotNull();
        assertThat(keydir.get(utf8("k"))).isNull();
        assertThat(keydir.remove(utf8("k"))).isNull();
    }

    @Test
    void theEmptyKeyIsAKeyLikeAnyOther() {
        Keydir keydir = newKeydir();
        keydir.put(new byte[0], new Keydir.Location(1, 8, 20));
        assertThat(keydir.get(new byte[0])).isEqualTo(new Keydir.Location(1, 8, 20));
        assertThat(keydir.get(new byte[1])).isNull();
    }

    /** The keydir against a HashMap: many random operations on few keys, so keys come and go. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void behavesLikeAMapThroughGrowthAndRebuilds(long seed) {
        Random random = new Random(seed);
        List<byte[]> universe = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            universe.add(key);
        }
        Keydir keydir = newKeydir();
        Map<ByteBuffer, Keydir.Location> model = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            byte[] key = universe.get(random.nextInt(universe.size()));
            ByteBuffer k = ByteBuffer.wrap(key);
            Keydir.Location at = new Keydir.Location(random.nextInt(5), random.nextInt(1000), 1 + random.nextInt(100));
            boolean deleting = (op / 20_000) % 2 == 1; // phases: mostly puts (growth), mostly removes (rebuilds)
            int dice = random.nextInt(10);
            if (dice < (deleting ? 2 : 6)) {
                assertThat(keydir.put(key, at)).isEqualTo(model.put(k, at));
            } else if (dice < 9) {
                assertThat(keydir.remove(key)).isEqualTo(model.remove(k));
            } else {
                Keydir.Location expected = random.nextBoolean() ? model.get(k) : at;
                boolean swaps = expected != null && expected.equals(model.get(k));
                assertThat(keydir.replace(key, expected == null ? at : expected, at)).isEqualTo(swaps);
                if (swaps) {
                    model.put(k, at);
                }
            }
            if (op % 5_000 == 0) {
                assertSameContents(keydir, model, universe);
            }
        }
        assertSameContents(keydir, model, universe);
    }

    /** Readers must never see a wrong location for keys that stay put, while a writer churns others. */
    @Test
    void concurrentReadersAlwaysFindStableKeys() throws Exception {
        Keydir keydir = newKeydir();
        int stable = 2_000;
        for (int i = 0; i < stable; i++) {
            keydir.put(key16(i), new Keydir.Location(7, i, 33));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int seed = r;
            readers.add(new Thread(() -> read(keydir, stable, seed, done, failure)));
        }
        readers.forEach(Thread::start);
        try {
            for (int round = 0; round < 6; round++) { // grow, then shrink by rebuilds, over and over
                for (int i = stable; i < stable + 60_000; i++) {
                    keydir.put(key16(i), new Keydir.Location(round, i, 1));
                }
                for (int i = stable; i < stable + 60_000; i++) {
                    keydir.remove(key16(i));
                }
                keydir.put(key16(round), new Keydir.Location(7, round, 33)); // a put that changes nothing
            }
        } finally {
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertThat(failure.get()).isNull();
        assertThat(keydir.size()).isEqualTo(stable);
    }

    private static void read(Keydir keydir, int stable, int seed, AtomicBoolean done, AtomicReference<String> failure) {
        Random random = new Random(seed);
        int lookups = 0;
        while (!done.get() || lookups < 10_000) {
            int i = random.nextInt(stable);
            Keydir.Location at = keydir.get(key16(i));
            if (!new Keydir.Location(7, i, 33).equals(at)) {
                failure.compareAndSet(null, "key " + i + " read as " + at);
                return;
            }
            if (++lookups % 20_000 == 0) {
                int[] seen = {0};
                keydir.forEach((key, location) -> seen[0] += location.segment() == 7 ? 1 : 0);
                if (seen[0] != stable) {
                    failure.compareAndSet(null, "forEach saw " + seen[0] + " stable keys");
                    return;
                }
            }
        }
    }

    private static void assertSameContents(Keydir keydir, Map<ByteBuffer, Keydir.Location> model, List<byte[]> universe) {
        assertThat(keydir.size()).isEqualTo(model.size());
        Map<ByteBuffer, Keydir.Location> seen = new HashMap<>();
        keydir.forEach((key, at) -> assertThat(seen.put(ByteBuffer.wrap(key), at)).isNull());
        assertThat(seen).isEqualTo(model);
        for (byte[] key : universe) {
            assertThat(keydir.get(key)).isEqualTo(model.get(ByteBuffer.wrap(key)));
        }
    }

    static byte[] key16(int i) {
        return ByteBuffer.allocate(16).putLong(0x6b65792d6b65792dL).putLong(i * 0x9E3779B97F4A7C15L).array();
    }
}
