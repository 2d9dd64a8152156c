package dev.kvbook.testkit.vfs;

import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault injector counts the readers' calls (issue #18) like every other, and fails them the same way. */
class FaultyVfsTest {

    private final Path dir = Path.of("/d");
    private final CrashSimVfs disk = new CrashSimVfs();
    private final FaultyVfs faulty = new FaultyVfs(disk);

    FaultyVfsTest() {
        disk.createDirectories(dir);
        disk.putDurableFile(dir.resolve("a"), "abc".getBytes());
    }

    @Test
    void aReadOnlyOpenAndAReadersLockAreCountedCalls() throws Exception {
        try (Closeable lock = faulty.lockShared(dir.resolve("LOCK"));
             VfsFile file = faulty.openReadOnly(dir.resolve("a"))) {
            file.readFully(0, ByteBuffer.allocate(3));
        }
        assertThat(faulty.callLog()).containsExactly("lock shared LOCK", "open a (read-only)", "read a @0 +3");
    }

    @Test
    void eachCanBeMadeToFail() {
        faulty.failAt(1, FaultyVfs.Mode.FAIL_ONCE);
        assertThatThrownBy(() -> faulty.lockShared(dir.resolve("LOCK"))).isInstanceOf(UncheckedIOException.class);
        faulty.failAt(1, FaultyVfs.Mode.FAIL_ONCE);
        assertThatThrownBy(() -> faulty.openReadOnly(dir.resolve("a"))).isInstanceOf(UncheckedIOException.class);
        assertThat(faulty.failedCall()).isEqualTo("lock shared LOCK");
    }

    @Test
    void aFullDiskDoesNotStopAReader() throws Exception {
        faulty.failAt(1, FaultyVfs.Mode.DISK_FULL);
        try (Closeable lock = faulty.lockShared(dir.resolve("LOCK"));
             VfsFile file = faulty.openReadOnly(dir.resolve("a"))) {
            file.readFully(0, ByteBuffer.allocate(3));
        }
        assertThat(faulty.failedCall()).isNull();
    }
}
