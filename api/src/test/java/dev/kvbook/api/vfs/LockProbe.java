package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;

import java.io.Closeable;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link LocalVfsTest}: tries each lock named on the command line on one
 * lock file, through {@link Vfs#local()}, releases it at once, and prints one line per try:
 * {@code got it} or {@code locked}. Arguments: {@code <lock file> (shared|exclusive)...}. This is
 * how a test asks what another process would get, which only the operating system decides.
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path lockFile = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            boolean shared = args[i].equals("shared");
            try (Closeable lock = shared ? Vfs.local().lockShared(lockFile) : Vfs.local().lock(lockFile)) {
                System.out.println(lock != null ? "got it" : "no lock"); // a lock is never null
            } catch (StoreLockedException e) {
                System.out.println("locked");
            }
        }
        System.out.flush();
    }
}
