package dev.kvbook.testkit;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based testing: random sequences of operations, run against the store and against a
 * {@code TreeMap}, which must agree after every step. When they disagree, jqwik shrinks the
 * sequence to a shortest one that still fails, which usually reads like a bug report
 * ("put a, reopen, delete a, get a").
 *
 * <p>This is the root of the contract suites, so every store's test class runs it. Keys come
 * from a small alphabet so that operations collide on the same keys often; values range from
 * empty to a few hundred bytes. The store runs on an in-memory {@link CrashSimVfs} (no crash
 * here), which makes hundreds of sequences cheap.
 */
public abstract class ModelBasedProperty {

    private static final Path MODEL_HOME = Path.of("/model/store");

    /** Opens the store under test on {@code vfs}, inside the directory {@code home}. */
    protected abstract KeyValueStore open(Vfs vfs, Path home);

    /**
     * Store-specific operations to mix into the random sequences, such as compaction or merge.
     * None by default.
     */
    protected List<Op> storeSpecificOps() {
        return List.of();
    }

    @Property(tries = 200)
    void randomOperationsAgreeWithATreeMapModel(@ForAll("operationSequences") List<Op> ops) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(MODEL_HOME);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.COMPARATOR);
        KeyValueStore store = open(vfs, MODEL_HOME);
        try {
            for (Op op : ops) {
                if (op instanceof Op.Reopen) {
                    store.close();
                    store = open(vfs, MODEL_HOME);
                    assertAgrees(store, model, op);
                    continue;
                }
                if (op instanceof Op.Delete delete) {
                    boolean present = model.containsKey(delete.key());
                    assertThat(store.delete(delete.key())).as("delete's answer after %s", op).isEqualTo(present);
                } else {
                    op.applyTo(store);
                }
                op.applyTo(model);
                checkTouchedKey(store, model, op);
            }
            assertAgrees(store, model, null);
        } finally {
            store.close();
        }
    }

    @Provide
    Arbitrary<List<Op>> operationSequences() {
        Arbitrary<byte[]> keys = Arbitraries.strings().withChars("abcd").ofMinLength(0).ofMaxLength(3).map(Keys::utf8);
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(16)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(600)));
        Arbitrary<Op> put = keys.flatMap(k -> values.map(v -> (Op) new Op.Put(k, v)));
        Arbitrary<Op> delete = keys.map(k -> (Op) new Op.Delete(k));
        List<Tuple.Tuple2<Integer, Arbitrary<? extends Op>>> choices = new ArrayList<>(List.of(
                Tuple.of(10, put), Tuple.of(4, delete),
                Tuple.of(1, Arbitraries.just(Op.sync())), Tuple.of(1, Arbitraries.just(Op.reopen()))));
        if (!storeSpecificOps().isEmpty()) {
            choices.add(Tuple.of(2, Arbitraries.of(storeSpecificOps())));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Arbitrary<Op> op = Arbitraries.frequencyOf(choices.toArray(new Tuple.Tuple2[0]));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    private static void checkTouchedKey(KeyValueStore store, NavigableMap<byte[], byte[]> model, Op op) {
        byte[] key = op instanceof Op.Put put ? put.key() : op instanceof Op.Delete delete ? delete.key() : null;
        if (key != null) {
            assertThat(store.get(key)).as("get after %s", op).isEqualTo(model.get(key));
        }
    }

    private static void assertAgrees(KeyValueStore store, NavigableMap<byte[], byte[]> model, Op after) {
        NavigableMap<byte[], byte[]> seen = History.readAll(store);
        assertThat(History.same(seen, model))
                .as(() -> "after " + (after == null ? "the last operation" : after) + ": "
                        + History.describeDifference(model, seen))
                .isTrue();
        assertThat(store.size()).as("size()").isEqualTo(model.size());
        for (byte[] key : model.keySet()) {
            assertThat(Arrays.equals(store.get(key), model.get(key))).as("get(%s)", Keys.toDisplay(key)).isTrue();
        }
    }
}
