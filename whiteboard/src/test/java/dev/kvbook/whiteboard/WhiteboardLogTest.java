package dev.kvbook.whiteboard;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.vfs.Vfs;
import dev.kvbook.api.vfs.VfsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log's recovery rule, which the Bitcask, redo log and LSM share: the first bad record ends the log;
 * it is a torn tail (cut off) when no valid record follows it, and damage (refused) when one does. Also:
 * a sealed Bitcask segment or an LSM run has no torn tail, so a bad record there is damage too.
 */
class WhiteboardLogTest {

    @TempDir
    Path home;

    private Path log() {
        return home.resolve("log.db");
    }

    private long writeThree() {
        try (KeyValueStore store = new WhiteboardLog(Vfs.local(), log())) {
            store.put(utf8("a"), utf8("first"));
            store.put(utf8("b"), utf8("second"));
            store.put(utf8("c"), utf8("third"));
        }
        return size(log());
    }

    @Test
    void aTornTailIsCutOffAtOpenAndTheRecordsBeforeItSurvive() {
        long whole = writeThree();
        byte[] torn = new byte[WhiteboardLog.HEADER + 5];
        ByteBuffer.wrap(torn).putInt(12345).putInt(1).putInt(40); // a header whose record never got written out
        append(log(), whole, torn);
        try (KeyValueStore store = new WhiteboardLog(Vfs.local(), log())) {
            assertThat(store.get(utf8("c"))).isEqualTo(utf8("third"));
            assertThat(store.size()).isEqualTo(3);
            store.put(utf8("d"), utf8("after the cut"));
        }
        try (KeyValueStore store = new WhiteboardLog(Vfs.local(), log())) {
            assertThat(store.get(utf8("d"))).isEqualTo(utf8("after the cut"));
            assertThat(store.size()).isEqualTo(4);
        }
    }

    @Test
    void aDamagedRecordFollowedByAValidOneIsCorruptionNotATornTail() {
        long whole = writeThree();
        flipByte(log(), WhiteboardLog.MAGIC.length + WhiteboardLog.HEADER + 1); // inside the first record's value
        assertThatThrownBy(() -> new WhiteboardLog(Vfs.local(), log())).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("damage, not a torn tail");
        assertThat(size(log())).as("the damaged log, left as it was").isEqualTo(whole);
    }

    @Test
    void aFileThatIsNoLogIsRefusedAndLeftAsItWas() throws IOException {
        Files.writeString(log(), "a user's notes, not a log\n".repeat(10));
        assertThatThrownBy(() -> new WhiteboardLog(Vfs.local(), log())).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("magic");
        assertThat(Files.readString(log())).isEqualTo("a user's notes, not a log\n".repeat(10));
    }

    @Test
    void theLastRecordOfASealedBitcaskSegmentCutShortIsCorruption() {
        Path dir = home.resolve("bitcask");
        try (KeyValueStore store = new WhiteboardBitcask(Vfs.local(), dir, 40)) {
            for (int i = 0; i < 6; i++) {
                store.put(utf8("key" + i), utf8("value number " + i));
            }
        }
        Path sealed = dir.resolve("000001.seg");
        truncate(sealed, size(sealed) - 3);
        assertThatThrownBy(() -> new WhiteboardBitcask(Vfs.local(), dir, 40)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("sealed segment");
    }

    @Test
    void aRunCutShortIsCorruption() {
        Path dir = home.resolve("lsm");
        try (WhiteboardLsm store = new WhiteboardLsm(Vfs.local(), dir, 1 << 20)) {
            store.put(utf8("a"), utf8("1"));
            store.put(utf8("b"), utf8("2"));
            store.flush();
        }
        Path run = dir.resolve("000001.run");
        truncate(run, size(run) - 1);
        assertThatThrownBy(() -> new WhiteboardLsm(Vfs.local(), dir, 1 << 20)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("record in a run");
    }

    private static long size(Path file) {
        try (VfsFile f = Vfs.local().open(file, false)) {
            return f.size();
        }
    }

    private static void append(Path file, long at, byte[] bytes) {
        try (VfsFile f = Vfs.local().open(file, false)) {
            f.write(at, ByteBuffer.wrap(bytes));
        }
    }

    private static void truncate(Path file, long size) {
        try (VfsFile f = Vfs.local().open(file, false)) {
            f.truncate(size);
        }
    }

    private static void flipByte(Path file, long at) {
        try (VfsFile f = Vfs.local().open(file, false)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            f.readFully(at, one);
            one.put(0, (byte) (one.get(0) ^ 0x20));
            f.write(at, one.rewind());
        }
    }
}
