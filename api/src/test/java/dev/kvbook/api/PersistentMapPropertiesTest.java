package dev.kvbook.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PersistentMap} against a model, one property per feature and one with every feature on:
 * random calls (put, set, get, containsKey, remove, merge, putIfAbsent, metadata, size, clear,
 * sweep, sync), the clock moved by hand, the map closed and reopened, and the map abandoned
 * without a close (a crash of its process), each answer and then the whole map compared with the
 * model after every step. jqwik shrinks a failure to the shortest sequence that shows it.
 *
 * <p>The model is a {@link HashMap} of entries with their times, and the rules the
 * {@link PersistentMap} Javadoc states: an entry is visible while younger than the expiry span,
 * counted from its put or from its last read by key; a read's time is noted, and written when
 * {@link MapOptions#accessBatch} times are waiting, on sync and on close; an abandoned map loses the
 * times not yet written.
 */
class PersistentMapPropertiesTest {

    /** The expiry span, and the largest clock step: a few steps expire an entry. */
    private static final Duration TTL = Duration.ofMillis(10);
    private static final int BATCH = 2;

    /** Three long keys sharing a 1-byte digest, and one that does not: a bucket, and a key beside it. */
    private static final MapOptions TINY_DIGESTS = MapOptions.defaults().withLongKeys(true).withDigestLength(1);
    private static final List<String> LONG_KEYS = longKeys();

    /** One step of a run. */
    record Step(String kind, String key, long value, int millis) {
        @Override
        public String toString() {
            return switch (kind) {
                case "advance" -> "advance " + millis + " ms";
                case "put", "set", "merge", "putIfAbsent" -> kind + "(" + shortName(key) + ", " + value + ")";
                case "get", "containsKey", "remove", "metadata" -> kind + "(" + shortName(key) + ")";
                default -> kind;
            };
        }

        private static String shortName(String key) {
            return key.length() > 20 ? key.substring(0, 12) + "...(" + key.length() + " chars)" : key;
        }
    }

    /** An entry of the model: its value, when it was put, its last access written and noted. */
    record ModelEntry(long value, long created, long accessedWritten, long accessedNoted) {
    }

    @Provide
    Arbitrary<Step> shortKeySteps() {
        return steps(Arbitraries.of("a", "b", "c", "d"));
    }

    @Provide
    Arbitrary<Step> longKeySteps() {
        return steps(Arbitraries.of("a", "b", LONG_KEYS.get(0), LONG_KEYS.get(1), LONG_KEYS.get(2), LONG_KEYS.get(3)));
    }

    private static Arbitrary<Step> steps(Arbitrary<String> keys) {
        Arbitrary<String> kinds = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("put", "set", "get", "remove", "advance")),
                Tuple.of(2, Arbitraries.of("containsKey", "merge", "putIfAbsent", "metadata", "size")),
                Tuple.of(1, Arbitraries.of("clear", "sweep", "sync", "reopen", "abandon")));
        return Combinators.combine(kinds, keys, Arbitraries.longs().between(0, 9), Arbitraries.integers().between(0, 7))
                .as(Step::new);
    }

    @Property(tries = 200)
    void withEveryFeatureOffItIsAHashMap(@ForAll @Size(max = 40) List<@From("shortKeySteps") Step> steps) {
        run(MapOptions.defaults(), steps);
    }

    @Property(tries = 200)
    void aTinyReadCacheIsNeverStale(@ForAll @Size(max = 40) List<@From("shortKeySteps") Step> steps) {
        run(MapOptions.defaults().withReadCache(2, 10_000), steps);
    }

    @Property(tries = 200)
    void expiryAfterCreationHidesAndSweepsOldEntries(@ForAll @Size(max = 40) List<@From("shortKeySteps") Step> steps) {
        run(MapOptions.defaults().withExpireAfterCreation(TTL), steps);
    }

    @Property(tries = 200)
    void expiryAfterAccessCountsFromTheLastRecordedRead(@ForAll @Size(max = 40) List<@From("shortKeySteps") Step> steps) {
        run(MapOptions.defaults().withExpireAfterAccess(TTL).withAccessBatch(BATCH), steps);
    }

    @Property(tries = 200)
    void metadataTracksCreationAndAccess(@ForAll @Size(max = 40) List<@From("shortKeySteps") Step> steps) {
        run(MapOptions.defaults().withMetadata(true).withAccessBatch(BATCH), steps);
    }

    @Property(tries = 200)
    void longKeysSharingADigestStayDistinct(@ForAll @Size(max = 40) List<@From("longKeySteps") Step> steps) {
        run(TINY_DIGESTS, steps);
    }

    @Property(tries = 300)
    void everyFeatureTogether(@ForAll @Size(max = 50) List<@From("longKeySteps") Step> steps) {
        run(TINY_DIGESTS.withExpireAfterAccess(TTL).withMetadata(true).withAccessBatch(BATCH)
                .withReadCache(2, 10_000), steps);
    }

    /** Runs {@code steps} on a map with {@code options} and on the model, comparing after each. */
    private static void run(MapOptions given, List<Step> steps) {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        MapOptions options = given.withClock(clock);
        Model model = new Model(options, clock);
        MemoryStore store = new MemoryStore();
        PersistentMap<String, Long> map = PersistentMap.over(store, Codecs.STRING, Codecs.LONG, options);
        try {
            for (Step step : steps) {
                switch (step.kind()) {
                    case "reopen" -> {
                        map.close();
                        model.flushAll();
                        model.sweep();
                        map = PersistentMap.over(store, Codecs.STRING, Codecs.LONG, options);
                    }
                    case "abandon" -> {
                        store = store.reopen(); // the old map and store object are dropped, never closed
                        model.loseNotedTimes();
                        model.sweep();
                        map = PersistentMap.over(store, Codecs.STRING, Codecs.LONG, options);
                    }
                    case "advance" -> clock.advance(Duration.ofMillis(step.millis()));
                    default -> assertThat(apply(map, step)).as("%s", step).isEqualTo(model.apply(step));
                }
                assertThat(map).as("after %s", step).isEqualTo(model.visible());
                assertThat(map.size()).as("size after %s", step).isEqualTo(model.visible().size());
            }
        } finally {
            map.close();
        }
    }

    /** Makes {@code step} on {@code map}; returns its answer (null for calls that answer nothing). */
    private static Object apply(PersistentMap<String, Long> map, Step step) {
        String key = step.key();
        return switch (step.kind()) {
            case "put" -> map.put(key, step.value());
            case "set" -> {
                map.set(key, step.value());
                yield null;
            }
            case "get" -> map.get(key);
            case "containsKey" -> map.containsKey(key);
            case "remove" -> map.remove(key);
            case "merge" -> map.merge(key, step.value(), Long::sum);
            case "putIfAbsent" -> map.putIfAbsent(key, step.value());
            case "metadata" -> map.options().metadata() ? map.metadata(key) : null;
            case "size" -> map.size();
            case "clear" -> {
                map.clear();
                yield null;
            }
            case "sweep" -> {
                map.sweep();
                yield null;
            }
            case "sync" -> {
                map.sync();
                yield null;
            }
            default -> throw new IllegalArgumentException(step.kind());
        };
    }

    /** What the map should hold and answer, by the rules in its Javadoc. */
    private static final class Model {
        private final MapOptions options;
        private final ManualClock clock;
        private final Map<String, ModelEntry> entries = new HashMap<>();
        /** Keys with a read time noted and not yet written, in the map's words. */
        private final List<String> noted = new ArrayList<>();

        Model(MapOptions options, ManualClock clock) {
            this.options = options;
            this.clock = clock;
        }

        Object apply(Step step) {
            String key = step.key();
            long now = clock.millis();
            return switch (step.kind()) {
                case "put" -> put(key, step.value());
                case "set" -> {
                    put(key, step.value());
                    yield null;
                }
                case "get" -> get(key);
                case "containsKey" -> live(key) != null;
                case "remove" -> {
                    ModelEntry gone = entries.remove(key);
                    noted.remove(key);
                    yield gone != null && isLive(gone, now) ? gone.value() : null;
                }
                case "merge" -> {
                    Long old = get(key);
                    long merged = old == null ? step.value() : old + step.value();
                    put(key, merged);
                    yield merged;
                }
                case "putIfAbsent" -> {
                    Long old = get(key);
                    if (old == null) {
                        put(key, step.value());
                    }
                    yield old;
                }
                case "metadata" -> {
                    ModelEntry e = live(key);
                    yield !options.metadata() || e == null ? null : new EntryMetadata(Instant.ofEpochMilli(e.created()),
                            Instant.ofEpochMilli(Math.max(e.accessedWritten(), e.accessedNoted())));
                }
                case "size" -> visible().size();
                case "clear" -> {
                    entries.clear();
                    noted.clear();
                    yield null;
                }
                case "sweep" -> {
                    sweep();
                    yield null;
                }
                case "sync" -> {
                    flushAll();
                    yield null;
                }
                default -> throw new IllegalArgumentException(step.kind());
            };
        }

        private Long put(String key, long value) {
            ModelEntry old = live(key);
            long now = clock.millis();
            entries.put(key, new ModelEntry(value, now, now, Long.MIN_VALUE));
            noted.remove(key);
            return old == null ? null : old.value();
        }

        /** A read by key: answers, and notes the time; a full batch is then written. */
        private Long get(String key) {
            ModelEntry e = live(key);
            if (e == null) {
                return null;
            }
            if (options.tracksAccess()) {
                entries.put(key, new ModelEntry(e.value(), e.created(), e.accessedWritten(), clock.millis()));
                if (!noted.contains(key)) {
                    noted.add(key);
                }
                if (noted.size() >= options.accessBatch()) {
                    flushAll(); // the map writes one batch of 256: here, all of them
                }
            }
            return e.value();
        }

        void flushAll() {
            for (String key : noted) {
                ModelEntry e = entries.get(key);
                if (e != null) {
                    entries.put(key, new ModelEntry(e.value(), e.created(),
                            Math.max(e.accessedWritten(), e.accessedNoted()), Long.MIN_VALUE));
                }
            }
            noted.clear();
        }

        void loseNotedTimes() {
            for (String key : noted) {
                ModelEntry e = entries.get(key);
                if (e != null) {
                    entries.put(key, new ModelEntry(e.value(), e.created(), e.accessedWritten(), Long.MIN_VALUE));
                }
            }
            noted.clear();
        }

        void sweep() {
            long now = clock.millis();
            entries.values().removeIf(e -> !isLive(e, now));
            noted.removeIf(k -> !entries.containsKey(k));
        }

        ModelEntry live(String key) {
            ModelEntry e = entries.get(key);
            return e != null && isLive(e, clock.millis()) ? e : null;
        }

        boolean isLive(ModelEntry e, long now) {
            MapOptions.Expiry expiry = options.expiry();
            if (expiry == null) {
                return true;
            }
            long since = expiry.basis() == MapOptions.Basis.CREATION ? e.created()
                    : Math.max(e.accessedWritten(), e.accessedNoted());
            return now - since < expiry.after().toMillis();
        }

        Map<String, Long> visible() {
            Map<String, Long> shown = new HashMap<>();
            entries.forEach((k, e) -> {
                if (isLive(e, clock.millis())) {
                    shown.put(k, e.value());
                }
            });
            return shown;
        }
    }

    private static List<String> longKeys() {
        byte[][] bucket = MapEnvelopeFormatTest.collidingLongKeys(new MapKeyFormat(TINY_DIGESTS), 3);
        byte[] beside = MapEnvelopeFormatTest.notColliding(new MapKeyFormat(TINY_DIGESTS), bucket[0]);
        List<String> keys = new ArrayList<>();
        for (byte[] key : List.of(bucket[0], bucket[1], bucket[2], beside)) {
            keys.add(new String(key, java.nio.charset.StandardCharsets.UTF_8));
        }
        assert keys.stream().map(Objects::requireNonNull).distinct().count() == 4;
        assert Arrays.equals(Keys.utf8(keys.get(0)), bucket[0]);
        return keys;
    }
}
