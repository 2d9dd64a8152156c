package dev.kvbook.testkit.vfs;

import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrashSimVfsTest {

    private final Path dir = Path.of("/d");
    private final Path a = dir.resolve("a");
    private final Path b = dir.resolve("b");
    private final CrashSimVfs vfs = new CrashSimVfs();

    CrashSimVfsTest() {
        vfs.createDirectories(dir);
    }

    private void write(Path path, long at, String text) {
        try (VfsFile f = vfs.open(path, true)) {
            f.write(at, ByteBuffer.wrap(text.getBytes()));
        }
    }

    private void writeAndSync(Path path, String text) {
        try (VfsFile f = vfs.open(path, true)) {
            f.write(0, ByteBuffer.wrap(text.getBytes()));
            f.sync();
        }
    }

    private String content(Path path) {
        return new String(vfs.files().get(path));
    }

    @Test
    void unsyncedWritesAreLostInACrash() {
        writeAndSync(a, "durable");
        vfs.syncDirectory(dir);
        write(a, 0, "CHANGED");
        assertThat(content(a)).isEqualTo("CHANGED");
        vfs.crash();
        assertThat(content(a)).isEqualTo("durable");
    }

    @Test
    void aSyncedFileWhoseDirectoryWasNeverSyncedVanishes() {
        writeAndSync(a, "synced data, unsynced name");
        vfs.crash();
        assertThat(vfs.exists(a)).isFalse();
    }

    @Test
    void aDataSyncKeepsTheBytesAndTheSizeButNotAName() {
        try (VfsFile f = vfs.open(a, true)) {
            f.write(0, ByteBuffer.wrap("grown".getBytes()));
            f.syncData();
        }
        vfs.crash();
        assertThat(vfs.exists(a)).as("a data sync does not make the new name durable").isFalse();

        try (VfsFile f = vfs.open(a, true)) {
            f.write(0, ByteBuffer.wrap("first".getBytes()));
            f.sync();
        }
        vfs.syncDirectory(dir);
        try (VfsFile f = vfs.open(a, false)) {
            f.write(5, ByteBuffer.wrap(", then more".getBytes()));
            f.syncData();
            f.write(0, ByteBuffer.wrap("FIRST".getBytes()));
        }
        vfs.crash();
        assertThat(content(a)).as("bytes and size up to the data sync, nothing after").isEqualTo("first, then more");
        assertThat(vfs.mutationLog()).contains("syncData a");
    }

    @Test
    void aRenameIsDurableOnlyAfterTheDirectorySync() {
        writeAndSync(a, "old");
        vfs.syncDirectory(dir);
        writeAndSync(b, "new");
        vfs.rename(b, a);
        vfs.crash();
        assertThat(content(a)).isEqualTo("old");
        assertThat(vfs.exists(b)).isFalse();

        writeAndSync(b, "new");
        vfs.rename(b, a);
        vfs.syncDirectory(dir);
        vfs.crash();
        assertThat(content(a)).isEqualTo("new");
    }

    @Test
    void deletesAreUndoneByACrashUntilTheDirectoryIsSynced() {
        writeAndSync(a, "x");
        vfs.syncDirectory(dir);
        vfs.delete(a);
        vfs.crash();
        assertThat(vfs.exists(a)).isTrue();
        vfs.delete(a);
        vfs.syncDirectory(dir);
        vfs.crash();
        assertThat(vfs.exists(a)).isFalse();
    }

    @Test
    void anArmedCrashPointStopsEveryLaterCall() {
        writeAndSync(a, "durable");
        vfs.syncDirectory(dir);
        vfs.crashAtOperation(2);
        VfsFile f = vfs.open(a, false);
        f.write(0, ByteBuffer.wrap("1".getBytes()));                     // mutating call 1
        assertThatThrownBy(f::sync).isInstanceOf(SimulatedCrash.class);  // mutating call 2
        assertThatThrownBy(() -> f.size()).isInstanceOf(SimulatedCrash.class);
        assertThatThrownBy(() -> vfs.exists(a)).isInstanceOf(SimulatedCrash.class);
        assertThat(vfs.isPoweredOff()).isTrue();
        vfs.crash();
        assertThat(content(a)).isEqualTo("durable");
        assertThatThrownBy(() -> f.size()).isInstanceOf(IllegalStateException.class).hasMessageContaining("before a crash");
    }

    @Test
    void readsAreNotCrashPointsButAreLogged() {
        writeAndSync(a, "abc");
        vfs.resetCounters();
        try (VfsFile f = vfs.open(a, false)) {
            f.readFully(0, ByteBuffer.allocate(3));
            f.write(3, ByteBuffer.wrap("d".getBytes()));
        }
        assertThat(vfs.mutations()).isEqualTo(1);
        assertThat(vfs.mutationLog()).containsExactly("write a @3 +1 bytes");
    }

    @Test
    void readingPastTheEndIsAnEofError() {
        writeAndSync(a, "abc");
        try (VfsFile f = vfs.open(a, false)) {
            assertThatThrownBy(() -> f.readFully(1, ByteBuffer.allocate(3)))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        }
    }

    @Test
    void harshCrashesKeepDropOrGarbleEachUnsyncedSector() {
        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            CrashSimVfs harsh = new CrashSimVfs().harsh(seed);
            harsh.createDirectories(dir);
            harsh.putDurableFile(a, new byte[0]);
            try (VfsFile f = harsh.open(a, false)) {
                byte[] twoSectors = new byte[2 * CrashSimVfs.SECTOR_SIZE];
                Arrays.fill(twoSectors, (byte) 'x');
                f.write(0, ByteBuffer.wrap(twoSectors));
            }
            harsh.crash();
            byte[] after = harsh.files().get(a);
            outcomes.add(describe(after, 0) + "," + describe(after, 1));
        }
        // Over 40 seeds each sector has been kept, dropped (read as zeros or missing) and garbled.
        assertThat(String.join(" ", outcomes)).contains("kept", "missing", "garbled");
        assertThat(outcomes.size()).isGreaterThan(3);
    }

    private static String describe(byte[] file, int sector) {
        int from = sector * CrashSimVfs.SECTOR_SIZE;
        if (file.length <= from) {
            return "missing";
        }
        byte[] s = Arrays.copyOfRange(file, from, from + CrashSimVfs.SECTOR_SIZE);
        byte[] xs = new byte[s.length];
        Arrays.fill(xs, (byte) 'x');
        return Arrays.equals(s, xs) ? "kept" : Arrays.equals(s, new byte[s.length]) ? "zeros" : "garbled";
    }

    @Test
    void harshCrashesAreReproducibleFromTheSeed() {
        byte[][] results = new byte[2][];
        for (int run = 0; run < 2; run++) {
            CrashSimVfs harsh = new CrashSimVfs().harsh(7);
            harsh.createDirectories(dir);
            harsh.putDurableFile(a, new byte[0]);
            try (VfsFile f = harsh.open(a, false)) {
                f.write(0, ByteBuffer.wrap(new byte[5000]));
                f.write(100, ByteBuffer.wrap("hello".repeat(300).getBytes()));
            }
            harsh.crash();
            results[run] = harsh.files().get(a);
        }
        assertThat(results[0]).isEqualTo(results[1]);
    }

    @Test
    void aLockIsExclusiveAndACrashReleasesIt() throws Exception {
        Closeable lock = vfs.lock(dir.resolve("LOCK"));
        assertThatThrownBy(() -> vfs.lock(dir.resolve("LOCK"))).isInstanceOf(StoreLockedException.class);
        lock.close();
        vfs.lock(dir.resolve("LOCK"));
        vfs.crash();
        vfs.lock(dir.resolve("LOCK")).close();
    }

    @Test
    void readersShareALockThatKeepsAWriterOutAndAWriterKeepsReadersOut() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        Closeable first = vfs.lockShared(lockFile);
        Closeable second = vfs.lockShared(lockFile);
        assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
        first.close();
        first.close(); // releases once: the second reader still holds it
        assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
        second.close();
        Closeable writer = vfs.lock(lockFile);
        assertThatThrownBy(() -> vfs.lockShared(lockFile)).isInstanceOf(StoreLockedException.class);
        writer.close();
        vfs.lockShared(lockFile);
        vfs.crash(); // releases the readers' lock too
        vfs.lock(lockFile).close();
        assertThat(vfs.files()).as("lock files are not created").doesNotContainKey(lockFile);
    }

    @Test
    void aFileOpenedReadOnlyReadsButRefusesChangesAndIsNoCrashPoint() {
        writeAndSync(a, "abc");
        long before = vfs.mutations();
        try (VfsFile f = vfs.openReadOnly(a)) {
            ByteBuffer back = ByteBuffer.allocate(3);
            f.readFully(0, back);
            assertThat(new String(back.array())).isEqualTo("abc");
            assertThatThrownBy(() -> f.write(0, ByteBuffer.wrap("x".getBytes()))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> f.truncate(0)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(f::sync).isInstanceOf(IllegalStateException.class);
        }
        assertThat(vfs.mutations()).isEqualTo(before);
        assertThat(vfs.files().get(a)).isEqualTo("abc".getBytes());
        assertThatThrownBy(() -> vfs.openReadOnly(b)).isInstanceOf(UncheckedIOException.class);
        assertThat(vfs.files()).doesNotContainKey(b);
    }

    @Test
    void creatingAFileInAMissingDirectoryFails() {
        assertThatThrownBy(() -> vfs.open(Path.of("/nowhere/x"), true)).isInstanceOf(UncheckedIOException.class);
    }
}
