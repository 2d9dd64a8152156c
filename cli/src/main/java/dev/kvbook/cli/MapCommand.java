package dev.kvbook.cli;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.EntryMetadata;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kv map put|get|del|list|meta|sweep}: a store opened as a {@link PersistentMap} of text
 * to text, with the map's features as flags. The flags that change what is stored
 * ({@code --expire-after}, {@code --expire-from}, {@code --metadata}, {@code --long-keys}) are
 * recorded in the store by the first {@code put}, and every later command must give the same ones:
 * the map refuses others and says which it was created with.
 *
 * <pre>
 * kv map put --store step3 --path sessions --expire-after 30d alice token-1
 * kv map get --path sessions --expire-after 30d alice
 * </pre>
 */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"A store as a map of text to text, with expiry, metadata and long keys.", "",
                "Flags that change what is stored are recorded by the first put; give the same ones every time."},
        subcommands = {MapCommand.Put.class, MapCommand.Get.class, MapCommand.Del.class, MapCommand.ListEntries.class,
                MapCommand.Meta.class, MapCommand.Sweep.class})
final class MapCommand implements Runnable {

    @ParentCommand
    KvCommand kv;

    @Spec
    CommandSpec spec;

    /** With no verb: the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The map's features as flags (a picocli mixin). */
    static final class Features {

        @Option(names = "--expire-after", paramLabel = "SPAN", converter = SpanConverter.class,
                description = "Entries expire this long after creation or last access: 500ms, 45s, 90m, 12h, 30d.")
        Duration expireAfter;

        @Option(names = "--expire-from", paramLabel = "BASIS", defaultValue = "creation",
                description = "What expiry counts from: creation (the last put) or access (the last get or put).")
        String expireFrom;

        @Option(names = "--metadata", description = "Keep each entry's creation and last-access time (kv map meta).")
        boolean metadata;

        @Option(names = "--long-keys", description = "Store keys over 1023 bytes under a SHA-256 digest.")
        boolean longKeys;

        /** The map options these flags ask for, with times from {@code clock}. */
        MapOptions options(java.time.Clock clock) {
            MapOptions options = MapOptions.defaults().withMetadata(metadata).withLongKeys(longKeys).withClock(clock);
            if (expireAfter == null) {
                return options;
            }
            return switch (expireFrom.toLowerCase(Locale.ROOT)) {
                case "creation" -> options.withExpireAfterCreation(expireAfter);
                case "access" -> options.withExpireAfterAccess(expireAfter);
                default -> throw new UsageException("--expire-from is 'creation' or 'access', not '" + expireFrom + "'");
            };
        }
    }

    /** Reads {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 500ms}, or ISO-8601 ({@code PT12H}). */
    static final class SpanConverter implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern SPAN = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String text) {
            Matcher m = SPAN.matcher(text.trim().toLowerCase(Locale.ROOT));
            Duration span;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                span = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                try {
                    span = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("'" + text + "' is not a span such as 30d, 12h, 90m,"
                            + " 45s or 500ms");
                }
            }
            if (span.toMillis() <= 0) {
                throw new CommandLine.TypeConversionException("an expiry span is at least 1ms, not '" + text + "'");
            }
            return span;
        }
    }

    /** What every verb shares: where the store is, the features, opening the map and closing it. */
    abstract static class Verb implements Callable<Integer> {

        @Mixin
        StoreOptions where;

        @Mixin
        Features features;

        @ParentCommand
        MapCommand map;

        @Spec
        CommandSpec spec;

        /** Whether the path must already hold a store (only {@code put} creates one). */
        boolean mustExist() {
            return true;
        }

        abstract int run(PersistentMap<String, String> entries, PrintWriter out);

        @Override
        public Integer call() {
            StoreProvider provider = where.provider(map.kv.vfs(), mustExist());
            MapOptions options = features.options(map.kv.clock());
            PrintWriter out = spec.commandLine().getOut();
            try (PersistentMap<String, String> entries = PersistentMap.open(provider.name(), where.path, map.kv.vfs(),
                    Codecs.STRING, Codecs.STRING, options)) {
                return run(entries, out);
            } finally {
                out.flush();
            }
        }

        /** Says on stderr that {@code key} has no live entry; returns the "found nothing" exit code. */
        int notFound(String key) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": no live entry under " + key);
            spec.commandLine().getErr().flush();
            return Errors.FINDINGS;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store VALUE under KEY. Creates the store (give --store) when the path does not exist.")
    static final class Put extends Verb {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        boolean mustExist() {
            return false;
        }

        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            entries.set(key, value);
            out.println("ok");
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the value under KEY. Exit code 1 when it is absent or expired.")
    static final class Get extends Verb {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            String value = entries.get(key);
            if (value == null) {
                return notFound(key);
            }
            out.println(value);
            return 0;
        }
    }

    @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true,
            description = "Delete KEY. Prints 'deleted', or '(not found)' when there was no live entry.")
    static final class Del extends Verb {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            out.println(entries.remove(key) != null ? "deleted" : "(not found)");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print every live entry, one 'key = value' a line, in key order, then their count.")
    static final class ListEntries extends Verb {
        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            Map<String, String> sorted = new TreeMap<>();
            entries.forEach(sorted::put);
            sorted.forEach((k, v) -> out.println(k + " = " + v));
            out.println("(" + Units.count(sorted.size(), "live entry", "live entries") + ")");
            return 0;
        }
    }

    @Command(name = "meta", mixinStandardHelpOptions = true,
            description = "Print when KEY's entry was created and last read (needs --metadata). Exit code 1 when absent.")
    static final class Meta extends Verb {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            if (!entries.options().metadata()) {
                throw new UsageException("kv map meta needs --metadata: only a map made with it keeps the times");
            }
            EntryMetadata metadata = entries.metadata(key);
            if (metadata == null) {
                return notFound(key);
            }
            out.println("created      " + metadata.created());
            out.println("last access  " + metadata.lastAccess());
            return 0;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Remove the expired entries from the store now (opening the map sweeps too) and count them.")
    static final class Sweep extends Verb {
        @Override
        int run(PersistentMap<String, String> entries, PrintWriter out) {
            entries.sweep();
            long removed = entries.stats().sweptEntries(); // this sweep's and the one opening the map made
            out.println("removed " + Units.count(removed, "expired entry", "expired entries"));
            return 0;
        }
    }
}
