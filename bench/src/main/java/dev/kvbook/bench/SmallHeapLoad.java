package dev.kvbook.bench;

import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.btree.BTreeStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Step 4's promise that its memory is bounded by its buffer pool, not by its data: load N keys
 * (16-byte keys, 100-byte values, {@code syncEveryWrite} off, one sync at the end) into step 4 in
 * a child JVM started with {@code -Xmx64m}, then read a sample back.
 *
 * <p>The child is this class's {@link #main}: it prints one {@code RESULT} line and exits 0, or
 * prints {@code FAILED} and what was thrown (an {@link OutOfMemoryError} included) and exits 1.
 * The parent ({@link #run}) starts it, waits at most a deadline, and parses the line. A separate
 * JVM, because a heap limit is a property of a whole process.
 */
final class SmallHeapLoad {

    /** The child's heap limit. */
    static final String HEAP = "-Xmx64m";

    /**
     * What the child reported.
     *
     * @param keysAsked   N
     * @param succeeded   whether the child loaded all N keys and read the sample back
     * @param keysLoaded  keys the child put before it finished or failed (as far as it could say)
     * @param loadNanos   the load, including the final sync (-1 when it failed)
     * @param height      the tree's height after the load
     * @param pages       pages in the file after the load
     * @param peakHeap    the most heap the child's pools held at once, in bytes
     * @param wallNanos   the child's whole life, JVM start included
     * @param failure     what went wrong, or the empty string
     */
    record Row(long keysAsked, boolean succeeded, long keysLoaded, long loadNanos, int height, long pages,
               long peakHeap, long wallNanos, String failure) {
    }

    private SmallHeapLoad() {
    }

    /**
     * Starts {@code java -Xmx64m -cp classPath SmallHeapLoad keys dir}, waits up to {@code deadline},
     * and returns what it reported. The store lives in {@code dir}, deleted afterwards.
     */
    static Row run(long keys, Path dir, String classPath, Duration deadline) {
        Path store = Dirs.fresh(dir, "step4-small-heap-" + keys);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-XX:+IgnoreUnrecognizedVMOptions",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, SmallHeapLoad.class.getName(),
                Long.toString(keys), store.toString()));
        System.out.println("# step4 in " + HEAP + ": " + keys + " keys (child JVM)");
        long start = System.nanoTime();
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            child.getOutputStream().close();
            byte[] output = readAll(child, deadline);
            long wall = System.nanoTime() - start;
            String text = new String(output, StandardCharsets.UTF_8);
            return parse(keys, text, child.exitValue(), wall);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + HEAP + " child JVM: " + command, e);
        } finally {
            Dirs.deleteRecursively(store);
        }
    }

    /** Reads the child's output until it exits; kills it at the deadline. */
    private static byte[] readAll(Process child, Duration deadline) throws IOException {
        Thread killer = new Thread(() -> {
            try {
                if (!child.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.setDaemon(true);
        killer.start();
        byte[] output = child.getInputStream().readAllBytes();
        try {
            child.waitFor();
            killer.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
        return output;
    }

    private static Row parse(long keys, String output, int exit, long wall) {
        for (String line : output.split("\n")) {
            if (exit == 0 && line.startsWith("RESULT ")) {
                String[] f = line.substring("RESULT ".length()).trim().split(" ");
                return new Row(keys, Long.parseLong(f[0]) == keys && Long.parseLong(f[5]) == 0, Long.parseLong(f[0]),
                        Long.parseLong(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        wall, Long.parseLong(f[5]) == 0 ? "" : f[5] + " sampled keys read back wrong");
            }
            if (line.startsWith("FAILED ")) {
                String[] f = line.substring("FAILED ".length()).split(" ", 2);
                return new Row(keys, false, Long.parseLong(f[0]), -1, 0, 0, -1, wall, f[1]);
            }
        }
        String last = output.isBlank() ? "no output" : output.strip().lines().reduce((a, b) -> b).orElse("");
        return new Row(keys, false, 0, -1, 0, 0, -1, wall, "child exited " + exit + " (killed at the deadline?): "
                + last);
    }

    /**
     * The child: {@code SmallHeapLoad KEYS DIR}. Prints
     * {@code RESULT loaded loadNanos height pages peakHeapBytes wrongAnswers} and exits 0, or
     * {@code FAILED loaded what} and exits 1.
     */
    public static void main(String[] args) {
        long keys = Long.parseLong(args[0]);
        Path file = Path.of(args[1]).resolve("step4.db");
        long loaded = 0;
        try {
            BTreeStore.Options options = BTreeStore.Options.defaults().withVfs(Vfs.local()).withSyncEveryWrite(false);
            long start = System.nanoTime();
            try (BTreeStore store = BTreeStore.open(file, options)) {
                for (long i = 0; i < keys; i++) {
                    store.put(BenchKeys.key(i), BenchKeys.value(i, 0));
                    loaded++;
                }
                store.sync();
                long nanos = System.nanoTime() - start;
                long wrong = 0;
                long checks = Math.min(keys, ScalingRun.CHECKS);
                for (long j = 0; j < checks; j++) {
                    long i = j * keys / checks;
                    wrong += Arrays.equals(store.get(BenchKeys.key(i)), BenchKeys.value(i, 0)) ? 0 : 1;
                }
                Object height = store.stats().detail("height");
                Object pages = store.stats().detail("pages");
                System.out.println(String.format(Locale.ROOT, "RESULT %d %d %s %s %d %d", loaded, nanos, height, pages,
                        peakHeap(), wrong));
            }
        } catch (Throwable e) { // OutOfMemoryError too: report it, then exit non-zero
            System.out.println("FAILED " + loaded + " " + e.toString().replace('\n', ' '));
            System.exit(1);
        }
    }

    /** The sum of the heap pools' peak usage: an upper bound on the heap the load needed at once. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
