package dev.kvbook.whiteboard;

import dev.kvbook.api.Keys;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The B+tree's own invariants, checked after every insert and delete of a random workload that grows the
 * tree several levels tall and shrinks it back to a leaf: keys sorted in every node, at most m - 1 keys in
 * a node and at least (m - 1) / 2 in all but the root, a branch one child more than keys, every key inside
 * the range its separators give it, every leaf at one depth. The tree is private to its one file, so the
 * test looks at it through reflection.
 */
class WhiteboardBTreeTest {

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {3, 4, 5, 8})
    void splitsAndMergesKeepEveryInvariantWhileTheTreeGrowsAndShrinks(int order) throws Exception {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(Path.of("/t"));
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        Random random = new Random(order);
        int tallest = 0;
        try (WhiteboardBTree tree = new WhiteboardBTree(vfs, Path.of("/t/btree.db"), order)) {
            for (int step = 0; step < 3000; step++) {
                byte[] key = Keys.utf8("k" + random.nextInt(step < 2000 ? 400 : 40));
                if (step < 1200 || (step < 2000 && random.nextBoolean())) {
                    tree.put(key, key);
                    model.put(key, key);
                } else {
                    assertThat(tree.delete(key)).isEqualTo(model.remove(key) != null);
                }
                tallest = Math.max(tallest, check(tree, order));
                assertThat(tree.size()).isEqualTo(model.size());
            }
            for (byte[] key : new ArrayList<>(model.keySet())) {
                tree.delete(key);
                check(tree, order);
            }
            assertThat(tree.size()).isZero();
            assertThat(check(tree, order)).as("height once empty").isEqualTo(1);
        }
        assertThat(tallest).as("the tallest the tree grew").isGreaterThanOrEqualTo(4);
    }

    /** Checks the whole tree and returns its height (1: the root is a leaf). */
    private static int check(WhiteboardBTree tree, int order) throws Exception {
        Object root = field(tree, "root");
        List<Integer> leafDepths = new ArrayList<>();
        check(root, null, null, order, true, 1, leafDepths);
        assertThat(leafDepths).as("depth of every leaf").containsOnly(leafDepths.get(0));
        return leafDepths.get(0);
    }

    @SuppressWarnings("unchecked")
    private static void check(Object node, byte[] low, byte[] high, int order, boolean isRoot, int depth, List<Integer> leafDepths)
            throws Exception {
        List<byte[]> keys = (List<byte[]>) field(node, "keys");
        List<byte[]> values = (List<byte[]>) field(node, "values");
        List<Object> children = (List<Object>) field(node, "children");
        assertThat(keys.size()).as("keys in a node").isLessThanOrEqualTo(order - 1);
        if (!isRoot) {
            assertThat(keys.size()).as("keys in a node other than the root").isGreaterThanOrEqualTo((order - 1) / 2);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(low == null || Keys.COMPARATOR.compare(keys.get(i), low) >= 0).as("key above its low bound").isTrue();
            assertThat(high == null || Keys.COMPARATOR.compare(keys.get(i), high) < 0).as("key below its high bound").isTrue();
            if (i > 0) {
                assertThat(Keys.COMPARATOR.compare(keys.get(i - 1), keys.get(i))).as("keys sorted").isNegative();
            }
        }
        if (children.isEmpty()) {
            assertThat(values).as("a leaf's values").hasSameSizeAs(keys);
            leafDepths.add(depth);
            return;
        }
        assertThat(values).as("a branch's values").isEmpty();
        assertThat(children).as("a branch's children").hasSize(keys.size() + 1);
        for (int c = 0; c < children.size(); c++) {
            check(children.get(c), c == 0 ? low : keys.get(c - 1), c == keys.size() ? high : keys.get(c), order, false,
                    depth + 1, leafDepths);
        }
    }

    private static Object field(Object owner, String name) throws Exception {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }
}
