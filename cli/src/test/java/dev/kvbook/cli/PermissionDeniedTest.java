package dev.kvbook.cli;

import dev.kvbook.api.vfs.ForwardingVfs;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store kv may not read is "permission denied", never "holds no store kvbook knows" (issue #18,
 * item 2): detection must tell "cannot read" from "not ours". Tests run as root, who may read
 * anything, so the unreadable file is played by a {@link Vfs} that refuses to open or list it as
 * the kernel would ({@link AccessDeniedException}).
 */
class PermissionDeniedTest {

    @TempDir
    Path dir;

    /** The real disk, except that opening or listing any of {@code denied} fails with "permission denied". */
    private static Vfs denying(Path... denied) {
        Set<Path> refused = Set.of(denied);
        return new ForwardingVfs(Vfs.local()) {
            private void check(Path path) {
                if (refused.contains(path)) {
                    throw new UncheckedIOException("cannot open " + path, new AccessDeniedException(path.toString()));
                }
            }

            @Override
            public VfsFile open(Path path, boolean create) {
                check(path);
                return super.open(path, create);
            }

            @Override
            public VfsFile openReadOnly(Path path) {
                check(path);
                return super.openReadOnly(path);
            }

            @Override
            public List<Path> list(Path path) {
                check(path);
                return super.list(path);
            }
        };
    }

    private Path store(String kind, String name) {
        Path path = dir.resolve(name);
        Kv.Result made = Kv.run("put", "--store", kind, "--path", path.toString(), "k", "v");
        assertThat(made.exitCode()).as(made.toString()).isZero();
        return path;
    }

    /** Every command that works out which store a path holds: get, put, scan, inspect, verify. */
    private static List<String[]> detectingCommands(Path path) {
        String p = path.toString();
        return List.of(new String[] {"get", "--path", p, "k"}, new String[] {"put", "--path", p, "k", "w"},
                new String[] {"scan", "--path", p}, new String[] {"inspect", p}, new String[] {"verify", p});
    }

    private static void assertPermissionDenied(Kv.Result result, Path unreadable) {
        BadInputTest.assertOneLine(result, "permission denied: " + unreadable);
        assertThat(result.err()).doesNotContain("holds no store");
    }

    @Test
    void aStoreFileKvMayNotReadIsPermissionDeniedForEveryCommandThatDetectsIt() {
        Path path = store("step1", "s1.db");
        Vfs vfs = denying(path);
        for (String[] command : detectingCommands(path)) {
            assertPermissionDenied(Kv.runOn(vfs, command), path);
        }
    }

    @Test
    void aSegmentKvMayNotReadInAStep3DirectoryIsPermissionDeniedNamingTheSegment() {
        Path path = store("step3", "s3");
        Path segment = Vfs.local().list(path).stream()
                .filter(f -> f.getFileName().toString().endsWith(".data")).findFirst().orElseThrow();
        Vfs vfs = denying(segment);
        for (String[] command : detectingCommands(path)) {
            assertPermissionDenied(Kv.runOn(vfs, command), segment);
        }
    }

    @Test
    void aStoreDirectoryKvMayNotListIsPermissionDenied() {
        Path path = store("step3", "s3");
        Vfs vfs = denying(path);
        for (String[] command : detectingCommands(path)) {
            assertPermissionDenied(Kv.runOn(vfs, command), path);
        }
    }

    @Test
    void aNamedStoreKvMayNotReadIsPermissionDeniedToo() {
        Path path = store("step4", "s4.db");
        assertPermissionDenied(Kv.runOn(denying(path), "get", "--store", "step4", "--path", path.toString(), "k"), path);
    }

    @Test
    void aReadableFileThatHoldsNoStoreIsStillNoStore() {
        Path path = store("step1", "s1.db");
        Path lockFile = dir.resolve("s1.db.lock"); // empty, and readable
        BadInputTest.assertOneLine(Kv.runOn(denying(path), "inspect", lockFile.toString()), "holds no store kvbook knows");
    }
}
