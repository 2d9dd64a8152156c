package dev.kvbook.api.vfs;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a store lives: the rule every store's {@code open} follows, in one place. It is called
 * once, first thing, and the store names every file it ever makes (lock, log, temp file,
 * {@code -wal}) from the path it returns.
 *
 * <h2>The rule (DESIGN, "The Vfs seam")</h2>
 * <ol>
 *   <li><b>One real path.</b> The path is resolved once, at open, to its {@linkplain Vfs#realPath
 *       real path} (symbolic links followed, {@code .} and {@code ..} gone), as SQLite does.
 *       Otherwise a store opened through {@code link/store} would put {@code store.lock} beside
 *       the link (a second lock on one file: two writers), or rename a new file over the link
 *       (step 1 at every write, step 2 at compaction), or put its {@code -wal} beside the link
 *       (step 5: after a crash, the log is where nobody looks).</li>
 *   <li><b>The parent directory must exist.</b> A store creates no parent directories: a typo in
 *       a path should be an error, not a new empty store somewhere, and a directory a store does
 *       not create is one whose durability it need not answer for.</li>
 *   <li><b>One name per store file.</b> A store kept in one file refuses a file that has other
 *       names (hard links): its lock sits beside one name, so each name would have its own lock.</li>
 * </ol>
 * What a store creates itself (a file, step 3's directory) it makes durable in its parent
 * directory before the first write is acknowledged; that part is each store's own, since only the
 * store knows when it creates what.
 *
 * <p>Contract addition (issue #16), with {@link Vfs#realPath} and {@link Vfs#linkCount}.
 */
public final class StorePaths {

    private StorePaths() {
    }

    /**
     * Resolves the path of a store kept in one file (steps 1, 2, 4, 5), which need not exist yet.
     * A few metadata reads.
     *
     * @return the real path, from which the store names every sibling file
     * @throws UncheckedIOException     (a {@link NoSuchFileException}) when its directory does not exist
     * @throws IllegalArgumentException when the file has more than one name (hard links)
     */
    public static Path storeFile(Vfs vfs, Path file) {
        Path real = resolve(vfs, file);
        int names = vfs.linkCount(real);
        if (names > 1) {
            throw new IllegalArgumentException("cannot open a store in " + file + ": that file has " + names
                    + " names (hard links), and a store file must have one, because its lock file sits beside a"
                    + " name and each name would have its own lock; remove the other names (find -samefile "
                    + real + ") or copy the file");
        }
        return real;
    }

    /**
     * Resolves the path of a store kept in a directory (step 3), which need not exist yet; the
     * store checks what is inside. A few metadata reads.
     *
     * @return the real path of the directory
     * @throws UncheckedIOException (a {@link NoSuchFileException}) when its parent does not exist
     */
    public static Path storeDirectory(Vfs vfs, Path dir) {
        return resolve(vfs, dir);
    }

    /** The file named {@code <file><suffix>} beside {@code file}: {@code store.lock}, {@code store-wal}. */
    public static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static Path resolve(Vfs vfs, Path path) {
        Objects.requireNonNull(path, "path");
        Path real = vfs.realPath(path);
        Path parent = real.getParent();
        if (parent != null && !vfs.exists(parent)) {
            throw new UncheckedIOException("cannot open a store at " + path + ": the directory " + parent
                    + " does not exist; create it first (a store creates no parent directories)",
                    new NoSuchFileException(parent.toString()));
        }
        return real;
    }
}
