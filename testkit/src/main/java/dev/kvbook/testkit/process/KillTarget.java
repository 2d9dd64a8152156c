package dev.kvbook.testkit.process;

import dev.kvbook.api.Codecs;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.MapOptions;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.Stores;
import dev.kvbook.api.VerifyReport;
import dev.kvbook.api.vfs.Vfs;

import java.nio.file.Path;

/**
 * The child side of the process-kill harness: opens a store with its default (durable) options
 * and writes keys from a starting number upward, printing {@code ack N} after each {@code put}
 * returns, until it is killed. It also serves as the lock holder: with {@code --hold} it opens
 * the store, prints {@code open} and waits for its standard input to close. With {@code --try} it
 * tries to open the store at each path in turn, closing each at once, and prints one line per
 * path: {@code opened}, {@code locked} ({@link StoreLockedException}) or {@code refused <exception>}.
 * With {@code --verify} it runs the store's checker on each path instead, as {@code kv verify}
 * does, and prints {@code verified}, {@code problems <them>}, {@code locked} or {@code refused <exception>}.
 *
 * <p>{@code --hold-map} and {@code --try-map} do the same through {@link PersistentMap#open}, the way
 * an application opens a map ({@link Codecs#STRING} keys and values, every feature off): the holder
 * puts {@value #HOLDER_KEY} &rarr; its process id, prints {@code open}, and closes the map when its
 * standard input closes; the trier prints {@code opened}, {@code locked <the exception's message>}
 * or {@code refused <exception>} per path.
 *
 * <p>Arguments: {@code <store name> <path> <first key number>}, {@code --hold <store name> <path>},
 * {@code --try <store name> <path>...}, {@code --verify <store name> <path>...},
 * {@code --hold-map <store name> <path>} or {@code --try-map <store name> <path>...}.
 */
public final class KillTarget {

    /** The key a {@code --hold-map} child puts, with its process id as the value. */
    public static final String HOLDER_KEY = "holder";

    private KillTarget() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--try")) {
            for (int i = 2; i < args.length; i++) {
                System.out.println(tryOpen(args[1], Path.of(args[i])));
            }
            System.out.flush();
            return;
        }
        if (args[0].equals("--verify")) {
            for (int i = 2; i < args.length; i++) {
                System.out.println(tryVerify(args[1], Path.of(args[i])));
            }
            System.out.flush();
            return;
        }
        if (args[0].equals("--try-map")) {
            for (int i = 2; i < args.length; i++) {
                System.out.println(tryOpenMap(args[1], Path.of(args[i])));
            }
            System.out.flush();
            return;
        }
        if (args[0].equals("--hold-map")) {
            try (PersistentMap<String, String> map = openMap(args[1], Path.of(args[2]))) {
                map.put(HOLDER_KEY, Long.toString(ProcessHandle.current().pid()));
                System.out.println("open");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the map open until the parent closes our stdin (then close it) or kills us
                }
            }
            return;
        }
        if (args[0].equals("--hold")) {
            try (KeyValueStore store = Stores.open(args[1], Path.of(args[2]))) {
                System.err.println("holding " + args[1] + " at " + args[2] + " with " + store.size() + " keys");
                System.out.println("open");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the store open until the parent closes our stdin or kills us
                }
            }
            return;
        }
        try (KeyValueStore store = Stores.open(args[0], Path.of(args[1]))) {
            System.out.println("ready");
            System.out.flush();
            for (long i = Long.parseLong(args[2]); ; i++) {
                store.put(key(i), value(i));
                System.out.println("ack " + i);
                System.out.flush();
            }
        }
    }

    /** Opens and closes the store at {@code path}; says how that went, in one line. */
    private static String tryOpen(String name, Path path) {
        try (KeyValueStore store = Stores.open(name, path)) {
            store.size();
            return "opened";
        } catch (StoreLockedException e) {
            return "locked";
        } catch (RuntimeException e) {
            return ("refused " + e).replace('\n', ' ');
        }
    }

    /** Opens and closes the map at {@code path} as an application would; says how that went, in one line. */
    private static String tryOpenMap(String name, Path path) {
        try (PersistentMap<String, String> map = openMap(name, path)) {
            map.size();
            return "opened";
        } catch (StoreLockedException e) {
            return ("locked " + e.getMessage()).replace('\n', ' ');
        } catch (RuntimeException e) {
            return ("refused " + e).replace('\n', ' ');
        }
    }

    private static PersistentMap<String, String> openMap(String name, Path path) {
        return PersistentMap.open(name, path, Codecs.STRING, Codecs.STRING, MapOptions.defaults());
    }

    /** Runs the store's checker on {@code path}; says how that went, in one line. */
    private static String tryVerify(String name, Path path) {
        try {
            VerifyReport report = Stores.provider(name).verify(path, Vfs.local());
            return report.isClean() ? "verified" : ("problems " + report.problems()).replace('\n', ' ');
        } catch (StoreLockedException e) {
            return "locked";
        } catch (RuntimeException e) {
            return ("refused " + e).replace('\n', ' ');
        }
    }

    /** The key written as number {@code i}. */
    static byte[] key(long i) {
        return Keys.utf8(String.format("kill-%09d", i));
    }

    /** The value written under key number {@code i}: 100 bytes that encode {@code i}. */
    static byte[] value(long i) {
        String head = String.format("value-%09d-", i);
        return Keys.utf8(head + "x".repeat(100 - head.length()));
    }
}
