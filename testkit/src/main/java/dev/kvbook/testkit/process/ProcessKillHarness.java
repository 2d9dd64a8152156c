package dev.kvbook.testkit.process;

import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.PersistentMap;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.Stores;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Kills a real JVM that is writing to a store, and checks that every write it acknowledged
 * survived: the crash test that needs no simulator, because the operating system does the
 * crashing.
 *
 * <p>Each round starts a child JVM ({@link KillTarget}) on the same class path, lets it
 * acknowledge a random number of durable writes, kills it with {@code destroyForcibly} (SIGKILL
 * on Unix: no shutdown hooks, no finally blocks), collects every acknowledgement it printed,
 * then opens the store here and checks: every acknowledged key holds its value, and no key
 * beyond the one that was in flight exists. The store is found through {@link Stores}, so the
 * step under test must be on the class path.
 *
 * <p>What a process kill tests, and what it does not: the data the child wrote reached the
 * operating system, so it survives a process death even without fsync. It checks the store's
 * recovery logic and its acknowledgements, not fsync (the crash simulator does that).
 */
public final class ProcessKillHarness {

    private final String store;
    private final Path path;
    private Path checkPath;
    private int kills = 5;
    private int maxAcksBeforeKill = 200;
    private long seed = 42;

    /** A harness for the store called {@code store} at {@code path}. */
    public ProcessKillHarness(String store, Path path) {
        this.store = store;
        this.path = path;
        this.checkPath = path;
    }

    /**
     * Makes the parent reopen the store through {@code other} to check it, while the children keep
     * writing through the harness's path: another spelling of the same store (a symbolic link, the
     * real path), which must hold exactly the same data.
     */
    public ProcessKillHarness reopenThrough(Path other) {
        this.checkPath = other;
        return this;
    }

    /** How many times to kill a child. */
    public ProcessKillHarness kills(int kills) {
        this.kills = kills;
        return this;
    }

    /** The most writes a child acknowledges before being killed (the actual number is random). */
    public ProcessKillHarness maxAcksBeforeKill(int max) {
        this.maxAcksBeforeKill = max;
        return this;
    }

    /** The seed for the random kill moments. */
    public ProcessKillHarness seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * What the kills showed.
     *
     * @param rounds       children killed
     * @param acknowledged writes acknowledged by all children together
     * @param problems     every acknowledged write found missing or wrong, and any other problem
     */
    public record Report(int rounds, long acknowledged, List<String> problems) {
        public Report assertNothingLost() {
            if (!problems.isEmpty()) {
                throw new AssertionError(dev.kvbook.api.Plural.of(problems.size(), "problem") + " after " + rounds + " kills: "
                        + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
            }
            return this;
        }
    }

    /** Runs every round and returns the report. */
    public Report run() {
        Random random = new Random(seed);
        List<String> problems = new ArrayList<>();
        long next = 0;
        long acknowledged = 0;
        List<long[]> ackedRanges = new ArrayList<>(); // [first, last] per round, inclusive
        for (int round = 0; round < kills; round++) {
            long last = killOneChild(next, random.nextInt(maxAcksBeforeKill + 1), random.nextInt(3));
            if (last >= next) {
                ackedRanges.add(new long[] {next, last});
                acknowledged += last - next + 1;
            }
            long inFlight = Math.max(last + 1, next);
            problems.addAll(check(ackedRanges, inFlight, round));
            next = inFlight + 1; // the in-flight key may or may not exist; never reuse it
        }
        return new Report(kills, acknowledged, problems);
    }

    /** Starts a child writing from {@code first}, kills it, returns the last acknowledged number. */
    private long killOneChild(long first, int acksBeforeKill, int extraMillis) {
        Process child = start(KillTarget.class.getName(), store, path.toString(), Long.toString(first));
        long last = first - 1;
        try (BufferedReader out = reader(child)) {
            String line = out.readLine();
            if (!"ready".equals(line)) {
                throw new IllegalStateException("the child did not start: " + line + "\n" + errorsOf(child));
            }
            for (int acks = 0; acks < acksBeforeKill && (line = out.readLine()) != null; acks++) {
                last = parseAck(line, last);
            }
            Thread.sleep(extraMillis);
            // Kill through the ProcessHandle: Process.destroyForcibly() would also close our end
            // of the pipe, losing acknowledgements the child printed just before it died. This
            // only sends SIGKILL; the JDK drains what is left in the pipe when the child exits.
            child.toHandle().destroyForcibly();
            child.waitFor(1, TimeUnit.MINUTES);
            while ((line = out.readLine()) != null) { // acknowledgements already in the pipe count too
                last = parseAck(line, last);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            child.destroyForcibly();
        }
        return last;
    }

    private List<String> check(List<long[]> ackedRanges, long inFlight, int round) {
        List<String> problems = new ArrayList<>();
        try (KeyValueStore kv = Stores.open(store, checkPath)) {
            for (long[] range : ackedRanges) {
                for (long i = range[0]; i <= range[1]; i++) {
                    if (!Arrays.equals(kv.get(KillTarget.key(i)), KillTarget.value(i))) {
                        problems.add("after kill " + (round + 1) + ": acknowledged key " + i + " is "
                                + Keys.toDisplay(kv.get(KillTarget.key(i))));
                    }
                }
            }
            byte[] beyond = kv.get(KillTarget.key(inFlight + 1));
            if (beyond != null) {
                problems.add("after kill " + (round + 1) + ": key " + (inFlight + 1) + " exists but was never written");
            }
        } catch (RuntimeException e) {
            problems.add("after kill " + (round + 1) + ": reopening threw " + e);
        }
        return problems;
    }

    /**
     * Opens the store in a child process that holds it open, then tries to open it here: returns
     * the {@link StoreLockedException} that must result. After the child is killed, the store
     * must open here again (the operating system released the lock), which this also checks.
     */
    public StoreLockedException secondProcessOpenFailsFast() {
        Process holder = start(KillTarget.class.getName(), "--hold", store, path.toString());
        try (BufferedReader out = reader(holder)) {
            String line = out.readLine();
            if (!"open".equals(line)) {
                throw new IllegalStateException("the holder did not open the store: " + line + "\n" + errorsOf(holder));
            }
            StoreLockedException refused = null;
            try (KeyValueStore second = Stores.open(store, path)) {
                throw new AssertionError("a second process opened a store that another process holds ("
                        + second.size() + " keys)");
            } catch (StoreLockedException expected) {
                refused = expected;
            }
            holder.toHandle().destroyForcibly();
            holder.waitFor(1, TimeUnit.MINUTES);
            try (KeyValueStore afterDeath = Stores.open(store, path)) {
                afterDeath.size();
            }
            return refused;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            holder.destroyForcibly();
        }
    }

    /**
     * Tries, in a child JVM, to open the store {@code store} at each of {@code paths} in turn (each
     * closed again at once), and returns one outcome per path: {@code "opened"}, {@code "locked"}
     * (it threw {@link StoreLockedException}) or {@code "refused <exception>"}. This is how a test
     * asks whether another process would be kept out of a store this process has open.
     */
    public static List<String> openAttemptsInAnotherProcess(String store, Path... paths) {
        return attemptsInAnotherProcess("--try", store, paths);
    }

    /**
     * Runs, in a child JVM, the checker of the store {@code store} on each of {@code paths} in
     * turn ({@code StoreProvider.verify} on the real disk, as {@code kv verify} runs it), and
     * returns one outcome per path: {@code "verified"}, {@code "problems [...]"}, {@code "locked"}
     * (it threw {@link StoreLockedException}) or {@code "refused <exception>"}. This is how a test
     * asks whether a reader in another process is let in, or kept out, by what this process holds.
     */
    public static List<String> verifyAttemptsInAnotherProcess(String store, Path... paths) {
        return attemptsInAnotherProcess("--verify", store, paths);
    }

    /**
     * Tries, in a child JVM, to open the map at each of {@code paths} in turn as an application
     * would, with {@link PersistentMap#open} (store {@code store}, string codecs, every feature off;
     * each closed again at once), and returns one outcome per path: {@code "opened"},
     * {@code "locked <message>"} (it threw {@link StoreLockedException}; the message names the lock
     * file) or {@code "refused <exception>"}.
     */
    public static List<String> mapOpenAttemptsInAnotherProcess(String store, Path... paths) {
        return attemptsInAnotherProcess("--try-map", store, paths);
    }

    /**
     * Opens the map at {@code path} in a child JVM with {@link PersistentMap#open} (store
     * {@code store}, string codecs, every feature off), which puts {@link KillTarget#HOLDER_KEY}
     * &rarr; its process id and holds the map open until the returned holder is closed. Returns
     * once the map is open there.
     */
    public static MapHolder holdMapInAnotherProcess(String store, Path path) {
        Process child = start(KillTarget.class.getName(), "--hold-map", store, path.toString());
        BufferedReader out = reader(child);
        String line;
        try {
            line = out.readLine();
        } catch (IOException e) {
            child.destroyForcibly();
            throw new UncheckedIOException(e);
        }
        if (!"open".equals(line)) {
            String errors = errorsOf(child);
            child.destroyForcibly();
            throw new IllegalStateException("the holder did not open the map: " + line + "\n" + errors);
        }
        return new MapHolder(child, out);
    }

    /**
     * A child JVM holding a {@link PersistentMap} open ({@link #holdMapInAnotherProcess}). Closing
     * the holder closes the child's standard input: the child then closes its map as a program
     * does, and exits; {@link #close} waits for that, and throws if the child failed.
     */
    public static final class MapHolder implements AutoCloseable {

        private final Process child;
        private final BufferedReader out;

        private MapHolder(Process child, BufferedReader out) {
            this.child = child;
            this.out = out;
        }

        /** The child's process id: the value it put under {@link KillTarget#HOLDER_KEY}. */
        public long pid() {
            return child.pid();
        }

        /** Asks the child to close its map and exit, and waits until it has. */
        @Override
        public void close() {
            try (out) {
                child.getOutputStream().close();
                if (!child.waitFor(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the holder did not exit a minute after its input closed");
                }
                if (child.exitValue() != 0) {
                    throw new IllegalStateException("the holder failed (exit " + child.exitValue() + "):\n"
                            + errorsOf(child));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static List<String> attemptsInAnotherProcess(String mode, String store, Path... paths) {
        List<String> args = new ArrayList<>(List.of(mode, store));
        for (Path p : paths) {
            args.add(p.toString());
        }
        Process child = start(KillTarget.class.getName(), args.toArray(String[]::new));
        try (BufferedReader out = reader(child)) {
            List<String> outcomes = new ArrayList<>();
            for (String line; outcomes.size() < paths.length && (line = out.readLine()) != null; ) {
                outcomes.add(line);
            }
            if (outcomes.size() < paths.length) {
                throw new IllegalStateException("the child stopped after " + outcomes + "\n" + errorsOf(child));
            }
            child.waitFor(1, TimeUnit.MINUTES);
            return outcomes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            child.destroyForcibly();
        }
    }

    private static long parseAck(String line, long last) {
        if (!line.startsWith("ack ")) {
            throw new IllegalStateException("unexpected output from the child: " + line);
        }
        long n = Long.parseLong(line.substring(4));
        if (n != last + 1) {
            throw new IllegalStateException("the child acknowledged " + n + " after " + last);
        }
        return n;
    }

    /** Starts a JVM with this JVM's class path running {@code mainClass}. */
    private static Process start(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    private static BufferedReader reader(Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String errorsOf(Process child) {
        try {
            child.waitFor(10, TimeUnit.SECONDS);
            return new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no error output: " + e + ")";
        }
    }
}
