package dev.kvbook.btree;

import dev.kvbook.api.Entry;
import dev.kvbook.api.Keys;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random inserts, overwrites and deletes, with keys from 1 byte to the 1 KiB limit
 * and values from empty to overflow chains, checked against a {@code TreeMap} and by the tree
 * checker after every phase. Long keys make branches narrow, so the tree grows to four or five
 * levels and every kind of split, merge and redistribution happens at every level.
 */
@Tag("lab:step4.build-node")
class BTreeRandomTest {

    private static final Path HOME = Path.of("/random");
    private static final Path FILE = HOME.resolve(Trees.FILE);

    @Test
    void thousandsOfRandomWritesGrowAndShrinkTheTreeAndAgreeWithATreeMap() {
        run(new Random(42), 6000, 3);
    }

    @Test
    void aTinyCacheGivesTheSameAnswers() {
        run(new Random(7), 3000, 2);
    }

    @Tag("slow")
    @Test
    void manySeedsAgreeWithATreeMap() {
        for (int seed = 100; seed < 110; seed++) {
            run(new Random(seed), 20000, 16);
        }
    }

    private void run(Random random, int writes, int cachePages) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(HOME);
        BTreeStore.Options options = BTreeStore.Options.defaults().withVfs(vfs).withSyncEveryWrite(false).withCachePages(cachePages);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        List<byte[]> keys = new ArrayList<>();
        int tallest = 0;
        BTreeStore store = BTreeStore.open(FILE, options);
        try {
            for (int phase = 0; phase < 4; phase++) {
                boolean growing = phase % 2 == 0;
                for (int i = 0; i < writes; i++) {
                    if (growing ? random.nextInt(5) > 0 : random.nextInt(5) == 0) {
                        byte[] key = randomKey(random);
                        byte[] value = randomValue(random);
                        store.put(key, value);
                        if (model.put(key, value) == null) {
                            keys.add(key);
                        }
                    } else if (!keys.isEmpty()) {
                        byte[] key = keys.remove(random.nextInt(keys.size()));
                        assertThat(store.delete(key)).isTrue();
                        model.remove(key);
                    }
                }
                tallest = Math.max(tallest, (int) store.stats().detail("height"));
                store.close();
                Trees.assertHealthy(vfs, FILE);
                store = BTreeStore.open(FILE, options);
                assertAgrees(store, model, random);
            }
            Collections.shuffle(keys, random);
            for (byte[] key : keys) {
                assertThat(store.delete(key)).isTrue();
            }
            assertThat(store.size()).isZero();
            assertThat(store.stats().detail("height")).isEqualTo(1);
        } finally {
            store.close();
        }
        Trees.assertHealthy(vfs, FILE);
        assertThat(tallest).as("the tree grew several levels").isGreaterThanOrEqualTo(4);
    }

    private static void assertAgrees(BTreeStore store, NavigableMap<byte[], byte[]> model, Random random) {
        assertThat(History.same(History.readAll(store), model)).isTrue();
        assertThat(store.size()).isEqualTo(model.size());
        for (byte[] key : model.keySet()) {
            assertThat(store.get(key)).isEqualTo(model.get(key));
        }
        if (model.size() > 2) {
            List<byte[]> all = new ArrayList<>(model.keySet());
            byte[] from = all.get(random.nextInt(all.size()));
            byte[] to = all.get(random.nextInt(all.size()));
            List<Entry> expected = Keys.COMPARATOR.compare(from, to) < 0
                    ? model.subMap(from, true, to, false).entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList()
                    : List.of();
            assertThat(store.scan(from, to).toList()).containsExactlyElementsOf(expected);
        }
    }

    /**
     * Mostly short keys over a small alphabet; a third are up to the 1 KiB limit and share long
     * prefixes, so separators between them stay long and branches narrow (a tall tree).
     */
    static byte[] randomKey(Random random) {
        boolean longKey = random.nextInt(3) == 0;
        int prefix = longKey ? 500 + random.nextInt(4) * 150 : 0;
        int length = prefix + 1 + random.nextInt(longKey ? 8 : 24);
        byte[] key = new byte[length];
        java.util.Arrays.fill(key, 0, prefix, (byte) 'p');
        for (int i = prefix; i < length; i++) {
            key[i] = (byte) "abcpz\u0000\u00ff".charAt(random.nextInt(7));
        }
        return key;
    }

    /** Mostly small values, some empty, some a few pages long (overflow chains). */
    static byte[] randomValue(Random random) {
        int kind = random.nextInt(20);
        byte[] value = new byte[kind == 0 ? 0 : kind < 3 ? 1000 + random.nextInt(15000) : random.nextInt(300)];
        random.nextBytes(value);
        return value;
    }
}
