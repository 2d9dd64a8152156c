package dev.kvbook.cli.web;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Limits;
import dev.kvbook.api.OrderedKeyValueStore;
import dev.kvbook.api.StoreProvider;
import dev.kvbook.api.Transaction;
import dev.kvbook.api.TransactionalStore;
import dev.kvbook.api.inspect.Highlight;
import dev.kvbook.api.inspect.StoreModel;
import dev.kvbook.api.inspect.Window;
import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.CountingVfs.IoCounts;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.cli.ByteArgs;
import dev.kvbook.cli.ShellWords;
import dev.kvbook.cli.UsageException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one store {@code kv web} serves, and the commands the page sends it: {@code put}, {@code get},
 * {@code del}, {@code scan}, {@code begin}/{@code commit}/{@code rollback}, the store's maintenance
 * operations, {@code load N}, {@code sync}, {@code stats}, {@code inspect} and {@code page}.
 *
 * <p>Each command is checked whole before it runs ({@link #parse}): a known verb, the right number
 * of words, keys and values within {@link Limits}, numbers in range, allowed in this mode. A
 * command refused there has changed nothing. Then it runs, and the answer carries what the page
 * draws: the result, the store's model after the command with what the command added, moved and
 * freed marked against the model before it, the cost of the command (the I/O it made, counted by a
 * {@link CountingVfs} around the store's file system, as the difference of the totals before and
 * after) and the store's figures.
 *
 * <p>Thread safety: every public method is {@code synchronized}, so commands run one at a time
 * against the store, in the order the server's threads reach this lock. The store is thread-safe
 * itself; the lock is for the answer: the cost, the before-and-after pictures and the open
 * transaction belong to one command. (Step 6's background flushes and compactions still run
 * beside a command; their I/O is counted with it.)
 */
final class WebStore implements AutoCloseable {

    /** The most keys one {@code load} puts: enough for a three-level tree, small enough to answer at once. */
    static final int MAX_LOAD = 10_000;

    /** The most entries a {@code scan} prints; it counts the rest. */
    static final int SCAN_SHOWN = 100;

    /** The verbs a read-only page offers: those that read. */
    static final List<String> READ_VERBS = List.of("get", "scan", "stats", "inspect", "page");

    private final StoreProvider provider;
    private final Path path;
    private final boolean readOnly;
    private final CountingVfs counting;
    private final Vfs inspecting;
    private final KeyValueStore store;
    private Transaction transaction;
    private Window window = Window.defaults();
    private StoreModel last;

    /**
     * Opens the store at {@code path} with {@code provider} on {@code vfs}, counting its I/O, and
     * inspects it through {@code inspectVfs} (un-counted, locks made no-ops: {@link Views#withoutLocks}).
     * With {@code readOnly}, {@code vfs} must refuse writes and only {@link #READ_VERBS} are offered.
     */
    WebStore(StoreProvider provider, Path path, Vfs vfs, Vfs inspectVfs, boolean readOnly) {
        this.provider = provider;
        this.path = path;
        this.readOnly = readOnly;
        this.counting = new CountingVfs(vfs);
        this.inspecting = Views.withoutLocks(inspectVfs);
        this.store = provider.open(path, counting);
    }

    /** The verbs this store understands, in the order the page shows them. */
    synchronized List<String> verbs() {
        if (readOnly) {
            return READ_VERBS;
        }
        List<String> verbs = new ArrayList<>(List.of("put", "get", "del", "scan", "load", "sync"));
        if (store instanceof TransactionalStore) {
            verbs.addAll(List.of("begin", "commit", "rollback"));
        }
        verbs.addAll(provider.maintenanceOperations());
        verbs.addAll(List.of("stats", "inspect", "page"));
        return verbs;
    }

    /** What the page needs to set itself up: the store, its verbs, the mode, the window. */
    synchronized Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("store", provider.name());
        info.put("description", provider.description());
        info.put("path", path.toString());
        info.put("readOnly", readOnly);
        info.put("ordered", store instanceof OrderedKeyValueStore);
        info.put("transactional", store instanceof TransactionalStore);
        info.put("maintenance", readOnly ? List.of() : provider.maintenanceOperations());
        info.put("verbs", verbs());
        info.put("maxLoad", MAX_LOAD);
        info.put("maxLimit", Window.MAX_LIMIT);
        return info;
    }

    /** A command checked and ready to run: its verb and its arguments as bytes or numbers. */
    record Command(String verb, byte[] key, byte[] value, byte[] to, long number, int limit) {
    }

    /**
     * Checks {@code line} and returns it as a {@link Command}, or throws {@link UsageException}
     * saying what is wrong. Changes nothing.
     */
    synchronized Command parse(String line) {
        List<String> words = ShellWords.split(line);
        if (words.isEmpty()) {
            throw new UsageException("empty command; try 'put KEY VALUE', 'get KEY' or 'inspect'");
        }
        String verb = words.get(0);
        List<String> args = words.subList(1, words.size());
        if (!verbs().contains(verb)) {
            if (readOnly && (verb.equals("put") || verb.equals("del") || verb.equals("load")
                    || provider.maintenanceOperations().contains(verb) || verb.equals("begin"))) {
                throw new UsageException("'" + verb + "' writes, and this page is read-only (kv web --read-only): "
                        + "it offers " + String.join(", ", READ_VERBS));
            }
            throw new UsageException("unknown command '" + verb + "'; this store offers " + String.join(", ", verbs()));
        }
        return switch (verb) {
            case "put" -> {
                expect(args, 2, 2, "put KEY VALUE");
                yield new Command(verb, key(args.get(0)), Limits.checkValue(ByteArgs.parse(args.get(1))), null, 0, 0);
            }
            case "get", "del" -> {
                expect(args, 1, 1, verb + " KEY");
                yield new Command(verb, key(args.get(0)), null, null, 0, 0);
            }
            case "scan" -> {
                expect(args, 0, 2, "scan [FROM [TO]]");
                if (!args.isEmpty() && !(store instanceof OrderedKeyValueStore)) {
                    throw new UsageException(provider.name() + " keeps its keys in no order, so it cannot scan a range; "
                            + "'scan' with no bounds lists every key");
                }
                yield new Command(verb, args.isEmpty() ? null : key(args.get(0)), null,
                        args.size() < 2 ? null : key(args.get(1)), 0, 0);
            }
            case "load" -> {
                expect(args, 1, 1, "load N");
                yield new Command(verb, null, null, null, number(args.get(0), 1, MAX_LOAD, "load N"), 0);
            }
            case "page" -> {
                expect(args, 1, 2, "page FIRST [LIMIT]");
                long first = number(args.get(0), 0, Long.MAX_VALUE, "page FIRST");
                long limit = args.size() < 2 ? window.limit() : number(args.get(1), 1, Window.MAX_LIMIT, "page LIMIT");
                yield new Command(verb, null, null, null, first, (int) limit);
            }
            case "begin" -> {
                expect(args, 0, 0, verb);
                if (transaction != null) {
                    throw new UsageException("a transaction is already open: commit or rollback first");
                }
                yield new Command(verb, null, null, null, 0, 0);
            }
            case "commit", "rollback" -> {
                expect(args, 0, 0, verb);
                if (transaction == null) {
                    throw new UsageException("no transaction is open to " + verb + ": 'begin' starts one");
                }
                yield new Command(verb, null, null, null, 0, 0);
            }
            default -> {
                expect(args, 0, 0, verb);
                if (transaction != null && (verb.equals("sync") || provider.maintenanceOperations().contains(verb))) {
                    throw new UsageException("'" + verb + "' waits for the open transaction: commit or rollback first");
                }
                yield new Command(verb, null, null, null, 0, 0);
            }
        };
    }

    /**
     * Checks and runs {@code line}; returns the answer the page draws (see the class comment).
     *
     * @throws UsageException when the command is refused before it ran (nothing changed)
     */
    synchronized Map<String, Object> run(String line) {
        Command command = parse(line);
        StoreModel before = last;
        Map<Path, IoCounts> start = counting.perFile();
        String output = execute(command);
        Map<Path, IoCounts> end = counting.perFile();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("command", line.strip());
        answer.put("output", output);
        answer.put("cost", cost(start, end));
        answer.put("stats", Views.stats(store.stats()));
        answer.put("inTransaction", transaction != null);
        drawInto(answer, before);
        return answer;
    }

    /** The I/O between two per-file snapshots: the totals, and each file (or directory) the command touched. */
    private Map<String, Object> cost(Map<Path, IoCounts> start, Map<Path, IoCounts> end) {
        IoCounts total = IoCounts.ZERO;
        List<Object> files = new ArrayList<>();
        for (Map.Entry<Path, IoCounts> file : end.entrySet()) {
            IoCounts delta = file.getValue().minus(start.getOrDefault(file.getKey(), IoCounts.ZERO));
            if (delta.equals(IoCounts.ZERO)) {
                continue;
            }
            total = total.plus(delta);
            Map<String, Object> row = Views.cost(delta);
            row.put("file", file.getKey().getFileName() == null ? file.getKey().toString() : file.getKey().getFileName().toString());
            files.add(row);
        }
        Map<String, Object> cost = Views.cost(total);
        cost.put("files", files);
        return cost;
    }

    /** The store as it is now, with nothing marked as changed: what the page shows first. */
    synchronized Map<String, Object> current() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("command", "");
        answer.put("output", "");
        Map<String, Object> noCost = Views.cost(IoCounts.ZERO);
        noCost.put("files", List.of());
        answer.put("cost", noCost);
        answer.put("stats", Views.stats(store.stats()));
        answer.put("inTransaction", transaction != null);
        drawInto(answer, null);
        return answer;
    }

    /** Inspects the store in the current window and puts the model, picture, highlight and window into {@code answer}. */
    private void drawInto(Map<String, Object> answer, StoreModel before) {
        StoreModel after;
        String problem = null;
        try {
            after = Views.inspect(provider, path, inspecting, window);
        } catch (RuntimeException e) {
            after = null;
            problem = "could not inspect the store: " + dev.kvbook.cli.Errors.describe(e).message();
        }
        last = after;
        Highlight highlight = Highlight.between(before, after);
        answer.put("model", Views.model(after));
        answer.put("svg", Views.svg(after, highlight));
        answer.put("highlight", Views.highlight(highlight));
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("first", window.first());
        shown.put("limit", window.limit());
        byte[] lookup = window.lookupKey();
        shown.put("lookup", lookup == null ? null : ByteArgs.format(lookup));
        answer.put("window", shown);
        answer.put("inspectProblem", problem);
    }

    private String execute(Command command) {
        return switch (command.verb()) {
            case "put" -> {
                if (transaction != null) {
                    transaction.put(command.key(), command.value());
                } else {
                    store.put(command.key(), command.value());
                }
                yield "ok";
            }
            case "get" -> {
                byte[] value = transaction != null ? transaction.get(command.key()) : store.get(command.key());
                window = window.withLookup(command.key());
                yield value == null ? "(not found)" : ByteArgs.format(value);
            }
            case "del" -> {
                boolean was = transaction != null ? transaction.delete(command.key()) : store.delete(command.key());
                yield was ? "deleted" : "(not found)";
            }
            case "scan" -> scan(command.key(), command.to());
            case "load" -> load(command.number());
            case "sync" -> {
                store.sync();
                yield "synced: every write so far is durable";
            }
            case "begin" -> {
                transaction = ((TransactionalStore) store).begin();
                yield "transaction started: put, get, del and scan now go through it; the picture shows its "
                        + "frames as uncommitted until commit";
            }
            case "commit" -> {
                Transaction open = transaction;
                transaction = null;
                open.commit();
                yield "committed: its writes are durable and visible";
            }
            case "rollback" -> {
                Transaction open = transaction;
                transaction = null;
                open.rollback();
                yield "rolled back: its writes are forgotten";
            }
            case "stats" -> "the store's figures are in the side panel";
            case "inspect" -> "redrawn";
            case "page" -> {
                window = new Window(command.number(), command.limit(), window.lookupKey());
                yield "showing " + command.limit() + " items of each long region from item " + command.number();
            }
            default -> provider.runMaintenance(store, command.verb());
        };
    }

    private String scan(byte[] from, byte[] to) {
        StringBuilder out = new StringBuilder();
        long count = 0;
        try (CloseableIterator<Entry> entries = transaction != null ? transaction.scan(from, to)
                : store instanceof OrderedKeyValueStore ordered ? ordered.scan(from, to) : store.iterator()) {
            while (entries.hasNext()) {
                Entry entry = entries.next();
                if (count < SCAN_SHOWN) {
                    out.append(ByteArgs.format(entry.key())).append(" = ").append(ByteArgs.format(entry.value())).append('\n');
                }
                count++;
            }
        }
        if (count > SCAN_SHOWN) {
            out.append("... and ").append(count - SCAN_SHOWN).append(" more\n");
        }
        out.append('(').append(count).append(count == 1 ? " entry" : " entries")
                .append(store instanceof OrderedKeyValueStore ? ", in key order)" : ", in the store's own order)");
        return out.toString();
    }

    /** Puts {@code n} keys {@code key00000}, {@code key00001}, ... with short values; loading again overwrites them. */
    private String load(long n) {
        for (int i = 0; i < n; i++) {
            byte[] key = loadKey(i);
            byte[] value = ("value" + i).getBytes(StandardCharsets.UTF_8);
            if (transaction != null) {
                transaction.put(key, value);
            } else {
                store.put(key, value);
            }
        }
        return "loaded " + n + (n == 1 ? " key" : " keys") + " (key00000 ... " + ByteArgs.format(loadKey(n - 1)) + ")";
    }

    /** The {@code i}th key {@code load} puts: {@code key} and five digits, so they sort as they count. */
    static byte[] loadKey(long i) {
        return String.format("key%05d", i).getBytes(StandardCharsets.UTF_8);
    }

    /** Rolls back an open transaction (never commits what nobody asked to) and closes the store. */
    @Override
    public synchronized void close() {
        try {
            if (transaction != null) {
                transaction.rollback();
                transaction = null;
            }
        } finally {
            store.close();
        }
    }

    private static byte[] key(String word) {
        return Limits.checkKey(ByteArgs.parse(word));
    }

    private static long number(String word, long min, long max, String usage) {
        long n;
        try {
            n = Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new UsageException("usage: " + usage + ": '" + word + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException("usage: " + usage + ": " + n + " is out of range (" + min + " to " + max + ")");
        }
        return n;
    }

    private static void expect(List<String> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new UsageException("usage: " + usage + (max >= 2 ? " (quote words with spaces: \"like this\")" : ""));
        }
    }
}
