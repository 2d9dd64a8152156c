package dev.kvbook.cli;

import dev.kvbook.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code kv envelope}: the three figures a back-of-the-envelope estimate of a storage system needs,
 * measured on this machine, in a temporary directory that is deleted afterwards.
 *
 * <ol>
 *   <li><b>fsync latency</b>: append a small record to a file and {@code force(true)} it, as every
 *       store's {@code VfsFile.sync} does; the median and the 99th percentile of N such appends.
 *       One writer that makes each write durable on its own commits at most one write per fsync.</li>
 *   <li><b>sequential write throughput</b>: write a file of M MiB in 1 MiB chunks and fsync it once;
 *       bytes over the time including that fsync. What a flush, a compaction or a log can stream.</li>
 *   <li><b>random 4 KiB read latency</b>: read 4 KiB at random aligned offsets of that file; the
 *       median and the 99th percentile. It asks for direct I/O (bypassing the page cache) and says
 *       whether it got it: a file just written is otherwise read from memory, not from the device.</li>
 * </ol>
 *
 * <p>This command measures the machine, not a store, so it uses {@link FileChannel} directly rather
 * than the stores' {@code Vfs}. Nothing here is a benchmark of kvbook; the figures are what the
 * book's system-design walkthrough asks the reader to plug into its formulas.
 */
@Command(name = "envelope", mixinStandardHelpOptions = true,
        description = {"Measure this machine's fsync latency, sequential write throughput and random 4 KiB read "
                + "latency, for back-of-the-envelope estimates.", "",
                "Works in a temporary directory (under --dir, or the system's) and deletes it afterwards. "
                        + "The figures are this disk's, on this day: run it again before you rely on them."})
final class EnvelopeCommand implements Callable<Integer> {

    /** The size of one appended record: a small key-value record, as the tour writes. */
    static final int APPEND_BYTES = 128;

    /** The size of one random read: a common page and block size. */
    static final int READ_BYTES = 4096;

    /** The size of one sequential write call. */
    static final int CHUNK_BYTES = 1 << 20;

    @Option(names = "--fsyncs", paramLabel = "N", defaultValue = "200",
            description = "Appends, each followed by an fsync, to time (default ${DEFAULT-VALUE}).")
    private int fsyncs;

    @Option(names = "--write-mib", paramLabel = "M", defaultValue = "64",
            description = "MiB to write sequentially; the random reads read this file (default ${DEFAULT-VALUE}).")
    private int writeMib;

    @Option(names = "--reads", paramLabel = "N", defaultValue = "2000",
            description = "Random 4 KiB reads to time (default ${DEFAULT-VALUE}).")
    private int reads;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "Measure the disk that holds DIR (a temporary directory is made inside it and deleted); "
                    + "by default the system's temporary directory.")
    private Path dir;

    @Option(names = "--json", description = "Print the figures as JSON instead of text.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (fsyncs < 1 || writeMib < 1 || reads < 1) {
            throw new UsageException("--fsyncs, --write-mib and --reads must each be at least 1");
        }
        Path parent = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        if (!Files.isDirectory(parent)) {
            throw new UsageException("--dir " + parent + " is not a directory");
        }
        Path work = Files.createTempDirectory(parent, "kv-envelope-");
        Thread cleanUp = new Thread(() -> deleteQuietly(work), "kv-envelope-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        Map<String, Object> figures = new LinkedHashMap<>();
        try {
            figures.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            figures.put("machine", machine(parent));
            figures.put("fsync", fsyncLatency(work.resolve("fsync.log")));
            Path data = work.resolve("sequential.dat");
            figures.put("sequentialWrite", sequentialWrite(data));
            figures.put("randomRead", randomReads(data));
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanUp);
            deleteRecursively(work);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(figures));
        } else {
            report(out, figures);
        }
        out.flush();
        return 0;
    }

    /** N appends of {@link #APPEND_BYTES} to a growing file, each followed by {@code force(true)}. */
    private Map<String, Object> fsyncLatency(Path file) throws IOException {
        long[] nanos = new long[fsyncs];
        ByteBuffer record = ByteBuffer.allocate(APPEND_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < fsyncs; i++) {
                record.clear();
                record.putInt(0, i);
                long start = System.nanoTime();
                channel.write(record, (long) i * APPEND_BYTES);
                channel.force(true);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", fsyncs);
        result.put("appendBytes", APPEND_BYTES);
        result.put("call", "FileChannel.force(true) after each append to a growing file");
        putPercentiles(result, nanos);
        return result;
    }

    /** M MiB in 1 MiB writes, then one {@code force(true)}; the time includes it. */
    private Map<String, Object> sequentialWrite(Path file) throws IOException {
        long bytes = (long) writeMib * CHUNK_BYTES;
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
        SplittableRandom random = new SplittableRandom(1);
        while (chunk.hasRemaining()) {
            chunk.put((byte) random.nextInt()); // not zeros: some file systems and devices compress or skip them
        }
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < bytes; at += CHUNK_BYTES) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk, at + chunk.position());
                }
            }
            channel.force(true);
        }
        long nanos = System.nanoTime() - start;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bytes", bytes);
        result.put("chunkBytes", CHUNK_BYTES);
        result.put("nanos", nanos);
        result.put("mibPerSecond", round(bytes / (double) CHUNK_BYTES / (nanos / 1e9)));
        return result;
    }

    /** N reads of 4 KiB at random 4 KiB-aligned offsets of {@code file}, direct I/O if the file system allows it. */
    private Map<String, Object> randomReads(Path file) throws IOException {
        long blocks = Files.size(file) / READ_BYTES;
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * READ_BYTES).alignedSlice(READ_BYTES).limit(READ_BYTES);
        SplittableRandom random = new SplittableRandom(2);
        long[] nanos = new long[reads];
        boolean direct = true;
        FileChannel channel = openDirect(file, buffer);
        if (channel == null) {
            direct = false;
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        try (FileChannel reader = channel) {
            for (int i = 0; i < reads; i++) {
                long at = random.nextLong(blocks) * READ_BYTES;
                buffer.clear();
                long start = System.nanoTime();
                while (buffer.hasRemaining()) {
                    if (reader.read(buffer, at + buffer.position()) < 0) {
                        throw new IOException(file + " ended before offset " + (at + buffer.position()));
                    }
                }
                nanos[i] = System.nanoTime() - start;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", reads);
        result.put("readBytes", READ_BYTES);
        result.put("fileBytes", blocks * READ_BYTES);
        result.put("direct", direct);
        result.put("from", direct ? "the device (direct I/O, page cache bypassed)"
                : "the page cache, most likely: this file system refused direct I/O and the file was just written");
        putPercentiles(result, nanos);
        return result;
    }

    /**
     * The file opened for direct reads, after one aligned read succeeded; or null where the JDK or the
     * file system does not offer them (tmpfs, for one).
     */
    private static FileChannel openDirect(Path file, ByteBuffer aligned) {
        FileChannel channel = null;
        try {
            Class<?> options = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            OpenOption directOption = (OpenOption) options.getField("DIRECT").get(null);
            channel = FileChannel.open(file, StandardOpenOption.READ, directOption);
            aligned.clear();
            channel.read(aligned, 0);
            return channel;
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            closeQuietly(channel);
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it; the read-only channel's close cannot lose data
        }
    }

    private static void putPercentiles(Map<String, Object> result, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        result.put("medianNanos", sorted[(sorted.length - 1) / 2]);
        result.put("p99Nanos", sorted[(int) Math.ceil(0.99 * sorted.length) - 1]);
        result.put("maxNanos", sorted[sorted.length - 1]);
    }

    /** What machine and disk the figures are from, as far as the JVM and Linux tell. */
    private static Map<String, Object> machine(Path dir) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory", procField("/proc/meminfo", "MemTotal")
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .orElse("unknown"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.runtime.version"));
        // Other work on the machine moves every figure, the tail most: say how busy it was.
        machine.put("load", procLine("/proc/loadavg").map(l -> String.join(" ", Arrays.asList(l.split(" ")).subList(0, 3)))
                .orElse("unknown"));
        machine.put("directory", dir.toAbsolutePath().toString());
        String fileSystem;
        try {
            fileSystem = Files.getFileStore(dir).type();
        } catch (IOException e) {
            fileSystem = "unknown";
        }
        machine.put("fileSystem", fileSystem);
        return machine;
    }

    private static java.util.Optional<String> procLine(String file) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.findFirst();
        } catch (IOException | UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> procField(String file, String name) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(name)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return java.util.Optional.empty(); // not Linux: the JVM's own description stands in
        }
    }

    private static void report(PrintWriter out, Map<String, Object> figures) {
        Map<?, ?> machine = (Map<?, ?>) figures.get("machine");
        Map<?, ?> fsync = (Map<?, ?>) figures.get("fsync");
        Map<?, ?> write = (Map<?, ?>) figures.get("sequentialWrite");
        Map<?, ?> read = (Map<?, ?>) figures.get("randomRead");
        Text.print(out, "", "kv envelope: " + machine.get("cpu") + ", " + machine.get("cores") + " cores, "
                + machine.get("memory") + " RAM, " + machine.get("os") + ", Java " + machine.get("java") + ", load "
                + machine.get("load") + "; "
                + machine.get("directory") + " on " + machine.get("fileSystem") + ", " + figures.get("date") + ".");
        out.println();
        long fsyncMedian = (Long) fsync.get("medianNanos");
        out.printf(Locale.ROOT, "  fsync after a %d-byte append   median %s, p99 %s (%d samples)%n", APPEND_BYTES,
                micros(fsyncMedian), micros((Long) fsync.get("p99Nanos")), (Integer) fsync.get("samples"));
        out.printf(Locale.ROOT, "  sequential write               %.1f MiB/s (%s, one fsync at the end)%n",
                (Double) write.get("mibPerSecond"), Units.bytes((Long) write.get("bytes")));
        out.printf(Locale.ROOT, "  random 4 KiB read              median %s, p99 %s (%d samples, %s)%n",
                micros((Long) read.get("medianNanos")), micros((Long) read.get("p99Nanos")), (Integer) read.get("samples"),
                Boolean.TRUE.equals(read.get("direct")) ? "direct I/O" : "page cache, probably");
        out.println();
        Text.print(out, "  ", "So: one writer that fsyncs every write commits at most about "
                + Units.count(Math.round(1e9 / fsyncMedian)) + " writes/s here (1 s / the median fsync); group commit "
                + "shares one fsync among the writers waiting for it. Plug these into the formulas of "
                + "book/design-a-key-value-store.md.");
    }

    /** {@code 2.4 µs} below a tenth of a millisecond, {@code 850 µs} below a millisecond, then {@code 3.9 ms}, {@code 15 ms}. */
    private static String micros(long nanos) {
        if (nanos < 100_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.0f µs", nanos / 1e3) : Units.duration(nanos);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (UncheckedIOException e) {
            // the JVM is going down; what could not be deleted stays in the temporary directory
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
