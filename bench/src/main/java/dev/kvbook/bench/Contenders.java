package dev.kvbook.bench;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything the bench compares: every kvbook step on the class path (through
 * {@link Stores#providers()}), then the peers, then the machine's limits; and, when asked for, the
 * steps through {@code PersistentMap} ({@link #maps()}).
 */
public final class Contenders {

    private Contenders() {
    }

    /** Every contender, steps first (in step order), then peers, then limits. */
    public static List<Contender> all() {
        List<Contender> all = new ArrayList<>();
        for (StoreProvider provider : Stores.providers()) {
            all.add(new StepContender(provider));
        }
        all.add(new RocksDbContender());
        all.add(new LmdbContender());
        all.add(new H2MvStoreContender());
        all.add(new SqliteContender());
        all.add(new MapDbContender());
        all.add(new BerkeleyJeContender());
        all.add(new MemoryContender(false));
        all.add(new MemoryContender(true));
        all.add(new RawAppendContender());            // raw-append: growing file, fdatasync
        all.add(new RawAppendContender(false, true)); // raw-append-fsync: growing file, fsync
        all.add(new RawAppendContender(true, false)); // raw-prealloc: preallocated file, fdatasync
        all.add(new RawAppendContender(true, true));  // raw-prealloc-fsync: preallocated file, fsync
        all.add(new RawReplaceContender());
        return all;
    }

    /**
     * The {@code PersistentMap} variants ({@link MapContender}): every step through the map with every
     * feature off, then step 3 with each feature on alone and all together. They measure kvbook's own
     * layer rather than an engine, so a run includes them only when {@code --only} names them
     * ({@code --only 'map-'}, {@code --only 'map-step3'}); else a {@code --quick} run would take half as
     * long again.
     */
    public static List<Contender> maps() {
        List<Contender> maps = new ArrayList<>();
        for (StoreProvider provider : Stores.providers()) {
            maps.add(new MapContender(provider, MapContender.Feature.NONE));
        }
        StoreProvider step3 = Stores.providers().stream().filter(p -> p.name().equals("step3")).findFirst().orElse(null);
        if (step3 != null) {
            for (MapContender.Feature feature : MapContender.Feature.values()) {
                if (feature != MapContender.Feature.NONE) {
                    maps.add(new MapContender(step3, feature));
                }
            }
        }
        return maps;
    }

    /** {@link #all()} and {@link #maps()}: what {@code --only} picks from. */
    public static List<Contender> everything() {
        List<Contender> everything = new ArrayList<>(all());
        everything.addAll(maps());
        return everything;
    }

    /**
     * The contenders whose name matches {@code pattern}, a regular expression found anywhere in the
     * name. The map variants are candidates only when the pattern says "map", so that
     * {@code --only step3} still means the step alone.
     */
    public static List<Contender> matching(String pattern) {
        Pattern regex = Pattern.compile(pattern);
        List<Contender> candidates = pattern.contains("map") ? everything() : all();
        return candidates.stream().filter(c -> regex.matcher(c.name()).find()).toList();
    }

    /** The contender called {@code name}. */
    public static Contender named(String name) {
        List<Contender> all = everything();
        return all.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contender called '" + name + "'; there are: "
                        + all.stream().map(Contender::name).collect(Collectors.joining(", "))));
    }
}
