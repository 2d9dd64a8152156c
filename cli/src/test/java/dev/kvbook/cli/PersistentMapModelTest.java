package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.Stores;
import dev.kvbook.testkit.ManualClock;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PersistentMap} against a {@link HashMap}, over every step: random sequences of the
 * {@code Map} calls people make (put, get, remove, putIfAbsent, merge, compute, the views and
 * their iterators' {@code remove}, clear) with reopens in between, each answer compared with
 * the model's, and the whole map compared after every call. This is the map's {@code java.util.Map}
 * contract, run twice:
 * <ul>
 *   <li>the bare map ({@code new PersistentMap<>(store, ...)}), as it has always been;</li>
 *   <li>every feature on ({@link #everyFeature}): expiry (long enough that nothing expires, so a
 *       plain {@code HashMap} stays the model; expiry itself is modelled in the api module's
 *       {@code PersistentMapPropertiesTest}), metadata with small access batches, a two-entry cache,
 *       long keys under 1-byte digests (three of the keys share one), sweeps and syncs among the
 *       calls, and the calls alternating between two handles opened with {@link PersistentMap#open}.</li>
 * </ul>
 * Runs on {@link CrashSimVfs} (in memory), since durability is each store's own tests' business;
 * this checks the Map. It lives in the CLI module because that is where every store is on the
 * class path without a reactor cycle.
 */
class PersistentMapModelTest {

    private static final Path FILE = Path.of("/pm/store");

    /** Three keys of 1100 bytes whose SHA-256 starts with the same byte: one bucket under a 1-byte digest. */
    private static final List<String> COLLIDING_LONG_KEYS = LongKeys.colliding(3);

    /** One call on the map; {@code key} from a handful so that keys meet again, {@code value} small. */
    record Call(String kind, String key, long value) {
        @Override
        public String toString() {
            return kind + "(" + LongKeys.shown(key) + (kind.startsWith("put") || kind.equals("merge") || kind.equals("set")
                    ? ", " + value : "") + ")";
        }
    }

    @Provide
    Arbitrary<String> stores() {
        return Arbitraries.of("step1", "step2", "step3", "step4", "step5");
    }

    @Provide
    Arbitrary<Call> calls() {
        return calls(List.of(), Arbitraries.of("a", "b", "c", "d", "e"));
    }

    @Provide
    Arbitrary<Call> callsWithLongKeys() {
        List<String> keys = new ArrayList<>(List.of("a", "b", "c"));
        keys.addAll(COLLIDING_LONG_KEYS);
        return calls(List.of("sweep", "sync", "metadata"), Arbitraries.of(keys));
    }

    private static Arbitrary<Call> calls(List<String> extraKinds, Arbitrary<String> keys) {
        List<String> kinds = new ArrayList<>(List.of("put", "set", "get", "remove", "containsKey", "putIfAbsent",
                "merge", "computeIfPresent", "keySetRemove", "valuesRemove", "iteratorRemoveEven", "size", "clear",
                "reopen"));
        kinds.addAll(extraKinds);
        return Combinators.combine(Arbitraries.of(kinds), keys, Arbitraries.longs().between(0, 9)).as(Call::new);
    }

    @Property(tries = 100)
    void behavesLikeAHashMap(@ForAll("stores") String name, @ForAll @Size(max = 40) List<@From("calls") Call> calls) {
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

    /** Every feature on, expiry long enough that the HashMap stays the model; the clock moves a second a call. */
    private static MapOptions everyFeature(ManualClock clock) {
        return MapOptions.defaults().withExpireAfterAccess(Duration.ofDays(1)).withMetadata(true).withAccessBatch(2)
                .withReadCache(2, 100_000).withLongKeys(true).withDigestLength(1).withClock(clock);
    }

    @Property(tries = 100)
    void behavesLikeAHashMapWithEveryFeatureOnThroughTwoHandles(
            @ForAll("stores") String name, @ForAll @Size(max = 40) List<@From("callsWithLongKeys") Call> calls) {
        CrashSimVfs vfs = new CrashSimVfs();
        vfs.createDirectories(FILE.getParent());
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Map<String, Long> model = new HashMap<>();
        List<PersistentMap<String, Long>> handles = openTwo(name, vfs, clock);
        try {
            int n = 0;
            for (Call call : calls) {
                PersistentMap<String, Long> map = handles.get(n++ % 2);
                clock.advance(Duration.ofSeconds(1));
                if (call.kind().equals("reopen")) {
                    handles.forEach(PersistentMap::close);
                    handles = openTwo(name, vfs, clock);
                    map = handles.get(0);
                } else {
                    Object expected = apply(model, call);
                    Object actual = apply(map, call);
                    assertThat(actual).as(name + ": " + call).isEqualTo(expected);
                }
                for (PersistentMap<String, Long> handle : handles) {
                    assertThat(handle).as(name + " after " + call).isEqualTo(model);
                    assertThat(handle.size()).as(name + " size after " + call).isEqualTo(model.size());
                }
            }
        } finally {
            handles.forEach(PersistentMap::close);
        }
    }

    private static List<PersistentMap<String, Long>> openTwo(String name, CrashSimVfs vfs, ManualClock clock) {
        List<PersistentMap<String, Long>> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(PersistentMap.open(name, FILE, vfs, Codecs.STRING, Codecs.LONG, everyFeature(clock)));
        }
        return two;
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
                if (Collections.frequency(map.values(), value) > 1) {
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
            // The map's own calls: answered by the model as "present or not", which is what they must agree on.
            case "sweep" -> map instanceof PersistentMap<String, Long> persistent ? persistent.sweep() : 0L;
            case "sync" -> {
                if (map instanceof PersistentMap<String, Long> persistent) {
                    persistent.sync();
                }
                yield null;
            }
            case "metadata" -> map instanceof PersistentMap<String, Long> persistent
                    ? persistent.metadata(key) != null : map.containsKey(key);
            default -> throw new IllegalArgumentException(call.kind());
        };
    }
}
