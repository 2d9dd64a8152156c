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
        readUnderTheReadersLock();
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
    void aDataSyncIsACallOfItsOwnAndCanFail() {
        try (VfsFile file = faulty.open(dir.resolve("a"), false)) {
            faulty.failAt(1, FaultyVfs.Mode.FAIL_ONCE); // the next call
            assertThatThrownBy(file::syncData).isInstanceOf(UncheckedIOException.class);
            assertThat(faulty.failedCall()).isEqualTo("syncData a");
            file.syncData(); // a transient fault: the next call works
        }
    }

    @Test
    void aFullDiskDoesNotStopAReader() throws Exception {
        faulty.failAt(1, FaultyVfs.Mode.DISK_FULL);
        readUnderTheReadersLock();
        assertThat(faulty.failedCall()).isNull();
    }

    /** What a checker does: takes the readers' lock, opens a file read-only, reads it, lets go. */
    private void readUnderTheReadersLock() throws Exception {
        Closeable lock = faulty.lockShared(dir.resolve("LOCK"));
        try (VfsFile file = faulty.openReadOnly(dir.resolve("a"))) {
            file.readFully(0, ByteBuffer.allocate(3));
        } finally {
            lock.close();
        }
    }
}
