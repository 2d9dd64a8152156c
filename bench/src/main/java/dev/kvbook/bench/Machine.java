package dev.kvbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What machine the run was on, as far as Linux tells: CPU model and memory. */
public final class Machine {

    private Machine() {
    }

    /** The {@code model name} line of {@code /proc/cpuinfo}, or {@code os.arch} elsewhere. */
    public static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    /** {@code MemTotal} from {@code /proc/meminfo}, in GiB, or "memory unknown". */
    public static String memory() {
        return field(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format(java.util.Locale.ROOT, "%.1f GiB RAM",
                        Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .orElse("memory unknown");
    }

    /** One line for a result file: CPU model, cores, memory and the JVM, e.g. for a CSV's machine column. */
    public static String describe() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + ", Java "
                + System.getProperty("java.runtime.version");
    }

    private static java.util.Optional<String> field(Path file, String name) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(name)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // not Linux: the page says what the JVM knows instead
        }
    }
}
