package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.Stores;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PersistentMap} against a {@link HashMap}, over every step: random sequences of the
 * {@code Map} calls people make (put, get, remove, putIfAbsent, merge, compute, the views and
 * their iterators' {@code remove}, clear) with reopens in between, each answer compared with
 * the model's, and the whole map compared after every call. Runs on {@link CrashSimVfs} (in
 * memory), since durability is each store's own tests' business; this checks the Map. It lives in
 * the CLI module because that is where every store is on the class path without a reactor cycle.
 */
class PersistentMapModelTest {

    private static final Path FILE = Path.of("/pm/store");

    /** One call on the map; {@code key} from a handful so that keys meet again, {@code value} small. */
    record Call(String kind, String key, long value) {
        @Override
        public String toString() {
            return kind + "(" + key + (kind.startsWith("put") || kind.equals("merge") || kind.equals("set") ? ", " + value : "")
                    + ")";
        }
    }

    @Provide
    Arbitrary<String> stores() {
        return Arbitraries.of("step1", "step2", "step3", "step4", "step5");
    }

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<String> kinds = Arbitraries.of("put", "set", "get", "remove", "containsKey", "putIfAbsent", "merge",
                "computeIfPresent", "keySetRemove", "valuesRemove", "iteratorRemoveEven", "size", "clear", "reopen");
        return Combinators.combine(kinds, Arbitraries.of("a", "b", "c", "d", "e"), Arbitraries.longs().between(0, 9))
                .as(Call::new);
    }

    @Property(tries = 100)
    void behavesLikeAHashMap(@ForAll("stores") String name, @ForAll @Size(max = 40) List<@net.jqwik.api.From("calls") Call> calls) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(FILE.getParent());
        Map<String, Long> model = new HashMap<>();
        KeyValueStore store = Stores.provider(name).open(FILE, vfs);
        try {
            PersistentMap<String, Long> map = new PersistentMap<>(store, Codecs.STRING, Codecs.LONG);
            for (Call call : calls) {
                if (call.kind().equals("reopen")) {
                    store.close();
                    store = Stores.provider(name).open(FILE, vfs);
                    map = new PersistentMap<>(store, Codecs.STRING, Codecs.LONG);
                } else {
                    Object expected = apply(model, call);
                    Object actual = apply(map, call);
                    assertThat(actual).as(name + ": " + call).isEqualTo(expected);
                }
                assertThat(map).as(name + " after " + call).isEqualTo(model);
                assertThat(map.size()).as(name + " size after " + call).isEqualTo(model.size());
            }
        } finally {
            store.close();
        }
    }

    /** Makes {@code call} on {@code map} and returns its answer (null for calls that answer nothing). */
    private static Object apply(Map<String, Long> map, Call call) {
        String key = call.key();
        long value = call.value();
        return switch (call.kind()) {
            case "put" -> map.put(key, value);
            case "set" -> {
                if (map instanceof PersistentMap<String, Long> persistent) {
                    persistent.set(key, value);
                } else {
                    map.put(key, value);
                }
                yield null;
            }
            case "get" -> map.get(key);
            case "remove" -> map.remove(key);
            case "containsKey" -> map.containsKey(key);
            case "putIfAbsent" -> map.putIfAbsent(key, value);
            case "merge" -> map.merge(key, value, Long::sum);
            case "computeIfPresent" -> map.computeIfPresent(key, (k, v) -> v % 2 == 0 ? null : v + 1);
            case "keySetRemove" -> map.keySet().remove(key);
            case "valuesRemove" -> {
                // values().remove takes the first match in iteration order, which is the store's
                // own; with two keys holding the value the two maps may rightly pick different ones.
                if (java.util.Collections.frequency(map.values(), value) > 1) {
                    yield "two keys hold " + value + ": skipped";
                }
                yield map.values().remove(value);
            }
            case "iteratorRemoveEven" -> {
                int removed = 0;
                for (Iterator<Map.Entry<String, Long>> it = map.entrySet().iterator(); it.hasNext(); ) {
                    if (it.next().getValue() % 2 == 0) {
                        it.remove();
                        removed++;
                    }
                }
                yield removed;
            }
            case "size" -> map.size();
            case "clear" -> {
                map.clear();
                yield null;
            }
            default -> throw new IllegalArgumentException(call.kind());
        };
    }
}
