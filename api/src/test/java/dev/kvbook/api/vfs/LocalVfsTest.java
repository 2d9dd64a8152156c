package dev.kvbook.api.vfs;

import dev.kvbook.api.StoreLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalVfsTest {

    @TempDir
    Path dir;

    private final Vfs vfs = Vfs.local();

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void positionalWritesAndReadsRoundTrip() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("hello world"));
            f.write(6, text("WORLD"));
            ByteBuffer back = ByteBuffer.allocate(11);
            f.readFully(0, back);
            assertThat(new String(back.array(), StandardCharsets.UTF_8)).isEqualTo("hello WORLD");
            assertThat(f.size()).isEqualTo(11);
            f.truncate(5);
            f.sync();
            assertThat(f.size()).isEqualTo(5);
        }
    }

    @Test
    void readingPastTheEndThrowsAnEofError() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("abc"));
            assertThatThrownBy(() -> f.readFully(2, ByteBuffer.allocate(5)))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(EOFException.class);
        }
    }

    @Test
    void openingAMissingFileWithoutCreateFails() {
        assertThatThrownBy(() -> vfs.open(dir.resolve("missing"), false))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renameReplacesTheTargetAndListingIsSorted() {
        try (VfsFile f = vfs.open(dir.resolve("b.tmp"), true)) {
            f.write(0, text("new"));
        }
        try (VfsFile f = vfs.open(dir.resolve("a"), true)) {
            f.write(0, text("old"));
        }
        vfs.rename(dir.resolve("b.tmp"), dir.resolve("a"));
        vfs.syncDirectory(dir);
        assertThat(vfs.list(dir)).containsExactly(dir.resolve("a"));
        try (VfsFile f = vfs.open(dir.resolve("a"), false)) {
            ByteBuffer back = ByteBuffer.allocate(3);
            f.readFully(0, back);
            assertThat(back.array()).isEqualTo("new".getBytes(StandardCharsets.UTF_8));
        }
        vfs.delete(dir.resolve("a"));
        vfs.delete(dir.resolve("a")); // deleting twice is not an error
        assertThat(vfs.exists(dir.resolve("a"))).isFalse();
        assertThat(vfs.list(dir.resolve("no-such-dir"))).isEmpty();
    }

    @Test
    void aSecondLockInTheSameJvmFailsFast() throws Exception {
        Path lockFile = dir.resolve("LOCK");
        Closeable first = vfs.lock(lockFile);
        assertThatThrownBy(() -> vfs.lock(lockFile))
                .isInstanceOf(StoreLockedException.class).hasMessageContaining("LOCK");
        first.close();
        vfs.lock(lockFile).close();
    }

    @Test
    void countingVfsCountsBytesCallsAndSyncs() {
        CountingVfs counting = new CountingVfs(vfs);
        Path f = dir.resolve("f");
        try (VfsFile file = counting.open(f, true)) {
            file.write(0, text("12345"));
            file.write(5, text("678"));
            file.readFully(0, ByteBuffer.allocate(4));
            file.sync();
        }
        counting.syncDirectory(dir);
        CountingVfs.IoCounts total = counting.total();
        assertThat(total.bytesWritten()).isEqualTo(8);
        assertThat(total.writes()).isEqualTo(2);
        assertThat(total.bytesRead()).isEqualTo(4);
        assertThat(total.syncs()).isEqualTo(2);
        assertThat(total.metadataOps()).isEqualTo(1); // the create
        assertThat(counting.perFile().get(f).syncs()).isEqualTo(1);
        counting.reset();
        assertThat(counting.total()).isEqualTo(CountingVfs.IoCounts.ZERO);
        try (VfsFile file = counting.open(f, false)) {
            file.write(0, text("x"));
        }
        assertThat(counting.total().bytesWritten()).isEqualTo(1);
    }

    @Test
    void readHeadReturnsTheFirstBytesOrNothingForWhatCannotBeRead() {
        try (VfsFile f = vfs.open(dir.resolve("f"), true)) {
            f.write(0, text("KVP1 and more"));
        }
        assertThat(vfs.readHead(dir.resolve("f"), 4)).isEqualTo("KVP1".getBytes(StandardCharsets.UTF_8));
        assertThat(vfs.readHead(dir.resolve("f"), 100)).hasSize(13);
        assertThat(vfs.readHead(dir.resolve("missing"), 4)).isEmpty();
        assertThat(vfs.readHead(dir, 4)).isEmpty(); // a directory is not a readable file
    }

    @Test
    void withLockHoldsTheLockWhileWorkRunsAndReleasesItAfterAFailure() {
        Path lockFile = dir.resolve("LOCK");
        assertThatThrownBy(() -> vfs.withLock(lockFile, () -> {
            assertThatThrownBy(() -> vfs.lock(lockFile)).isInstanceOf(StoreLockedException.class);
            throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        assertThat(vfs.withLock(lockFile, () -> "released and taken again")).isEqualTo("released and taken again");
    }
}
