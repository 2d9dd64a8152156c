package dev.kvbook.bench;

import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything the bench compares: every kvbook step on the class path (through
 * {@link Stores#providers()}), then the peers, then the machine's limits.
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
        all.add(new RawAppendContender());
        all.add(new RawReplaceContender());
        return all;
    }

    /** The contenders whose name matches {@code pattern} (a regular expression, found anywhere in the name). */
    public static List<Contender> matching(String pattern) {
        Pattern regex = Pattern.compile(pattern);
        return all().stream().filter(c -> regex.matcher(c.name()).find()).toList();
    }

    /** The contender called {@code name}. */
    public static Contender named(String name) {
        List<Contender> all = all();
        return all.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no contender called '" + name + "'; there are: "
                        + all.stream().map(Contender::name).collect(Collectors.joining(", "))));
    }
}
