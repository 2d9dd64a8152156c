package dev.kvbook.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process as a whole has done: bytes passed to write system calls (Linux
 * {@code /proc/self/io}, field {@code wchar}) and heap in use after a full collection. The bench
 * uses the first for the peers, whose I/O it cannot count call by call as it does the steps'.
 */
final class ProcessIo {

    private ProcessIo() {
    }

    /** Bytes this process has passed to write(2) and friends so far, or -1 off Linux. */
    static long bytesWritten() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring("wchar:".length()).trim());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux, or /proc not mounted: the figure is simply unknown
        }
    }

    /** The heap in use after two full collections: what live objects hold. Approximate. */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
