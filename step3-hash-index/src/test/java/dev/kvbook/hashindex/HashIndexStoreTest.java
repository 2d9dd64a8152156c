package dev.kvbook.hashindex;

import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.testkit.History;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Step 3's own claims: rollover, hint files and their fallback, merge and its tombstone rule. The
 * claims that hold only for the reference's merge plan (every sealed segment, output numbers between
 * the inputs and the new active segment) are in {@link ReferenceMergePlanTest}.
 */
@Tag("lab:step3.build-hints-merge")
class HashIndexStoreTest {

    static final Path DIR = Path.of("/t/db");

    final CrashSimVfs vfs = new CrashSimVfs();

    {
        vfs.createDirectories(DIR.getParent()); // a store creates no parent directories
    }

    HashIndexStore open() {
        return HashIndexStore.open(DIR, HashIndexStore.Options.defaults().withVfs(vfs).withSegmentSize(256));
    }

    static byte[] value(int i) {
        return utf8("value-" + i + "-" + "x".repeat(60));
    }

    void fill(HashIndexStore store, int keys) {
        for (int i = 0; i < keys; i++) {
            store.put(utf8("key" + i), value(i));
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        vfs.list(DIR).forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }

    void flipByte(Path file, long at) {
        VfsFile f = vfs.open(file, false);
        ByteBuffer b = ByteBuffer.allocate(1);
        f.readFully(at, b);
        f.write(at, ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x80)}));
        f.sync();
        f.close();
    }

    @Test
    void aFullActiveSegmentIsSealedWithAHintFileAndANewSegmentStarts() {
        try (HashIndexStore store = open()) {
            fill(store, 10);
            assertThat((int) store.stats().detail("segments")).isGreaterThan(2);
            assertThat((long) store.stats().detail("rollovers")).isGreaterThan(1);
        }
        assertThat(names()).contains("000001.data", "000001.hint", "000002.data");
        assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void reopeningUsesTheHintFilesAndFindsEveryKey() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
        }
        try (HashIndexStore store = open()) {
            assertThat(store.stats().detail("segmentsScannedWithoutHint")).isEqualTo(0);
            assertThat((int) store.stats().detail("hintFilesUsed")).isGreaterThan(0);
            for (int i = 0; i < 20; i++) {
                assertThat(store.get(utf8("key" + i))).isEqualTo(value(i));
            }
        }
    }

    @Test
    void aDamagedHintFileFallsBackToTheScanWithTheRightData() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
            store.delete(utf8("key3"));
        }
        Path hint = SegmentFormat.hintPath(DIR, 1);
        flipByte(hint, vfs.files().get(hint).length / 2); // the middle: an entry in any hint format
        try (HashIndexStore store = open()) {
            assertThat(store.stats().detail("segmentsScannedWithoutHint")).isEqualTo(1);
            assertThat(store.get(utf8("key3"))).isNull();
            for (int i = 0; i < 20; i++) {
                assertThat(store.get(utf8("key" + i))).isEqualTo(i == 3 ? null : value(i));
            }
        }
        assertThat(new HashIndexStoreProvider().verify(DIR, vfs).problems()).singleElement().asString().contains("000001.hint");
    }

    @Test
    void aMissingHintFileFallsBackToTheScanWithTheRightData() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
        }
        vfs.delete(SegmentFormat.hintPath(DIR, 2));
        try (HashIndexStore store = open()) {
            assertThat(store.stats().detail("segmentsScannedWithoutHint")).isEqualTo(1);
            assertThat(store.size()).isEqualTo(20);
            assertThat(store.get(utf8("key5"))).isEqualTo(value(5));
        }
    }

    @Test
    void withHintFilesOffOpenScansEverySealedSegment() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
        }
        try (HashIndexStore store = HashIndexStore.open(DIR, HashIndexStore.Options.defaults().withVfs(vfs)
                .withSegmentSize(256).withHintFiles(false))) {
            assertThat(store.stats().detail("segmentsScannedWithoutHint")).isEqualTo((int) store.stats().detail("segments") - 1);
            assertThat(store.size()).isEqualTo(20);
        }
    }

    @Test
    void aSealedSegmentCutAtARecordBoundaryIsCorruptionNotSilentLoss() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
        }
        VfsFile f = vfs.open(SegmentFormat.dataPath(DIR, 1), false);
        f.truncate(8);
        f.close();
        assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class).hasMessageContaining("sealed at");
    }

    @Test
    void aBadRecordInASealedSegmentIsFoundByGetNamingFileAndOffset() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
        }
        flipByte(SegmentFormat.dataPath(DIR, 1), 8 + 20);
        try (HashIndexStore store = open()) {
            assertThatThrownBy(() -> store.get(utf8("key0"))).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("000001.data at offset 8");
        }
    }

    @Test
    void mergeNeverResurrectsDeletedKeys() {
        try (HashIndexStore store = open()) {
            fill(store, 20);
            for (int i = 0; i < 20; i += 2) {
                store.delete(utf8("key" + i));
            }
            store.merge();
            store.merge();
        }
        try (HashIndexStore store = open()) {
            for (int i = 0; i < 20; i++) {
                assertThat(store.get(utf8("key" + i))).as("key%d", i).isEqualTo(i % 2 == 0 ? null : value(i));
            }
            assertThat(store.size()).isEqualTo(10);
        }
    }

    @Test
    void aTombstoneWrittenDuringOrAfterAMergeIsKeptBecauseAnOlderSegmentHoldsTheKey() {
        try (HashIndexStore store = open()) {
            fill(store, 5);
            store.merge();
            store.delete(utf8("key1")); // the value lives in the merge output, older than the active segment
        }
        try (HashIndexStore store = open()) {
            assertThat(store.get(utf8("key1"))).isNull();
            assertThat(store.size()).isEqualTo(4);
        }
    }

    @Test
    void leftoverTemporaryFilesAndOrphanHintsAreDeletedOnOpen() {
        try (HashIndexStore store = open()) {
            fill(store, 10);
        }
        vfs.open(DIR.resolve("000099.data.tmp"), true).close();
        vfs.open(DIR.resolve("000050.hint"), true).close();
        try (HashIndexStore store = open()) {
            assertThat(store.size()).isEqualTo(10);
        }
        assertThat(names()).doesNotContain("000099.data.tmp", "000050.hint");
    }

    @Test
    void aTornTailOfTheActiveSegmentIsTruncatedOnOpen() {
        int activeId;
        try (HashIndexStore store = open()) {
            fill(store, 5);
            activeId = (int) store.stats().detail("activeSegment");
        }
        Path active = SegmentFormat.dataPath(DIR, activeId);
        VfsFile f = vfs.open(active, false);
        long size = f.size();
        f.write(size, ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 0, 3}));
        f.sync();
        f.close();
        try (HashIndexStore store = open()) {
            assertThat(store.stats().detail("tornTailBytesTruncated")).isEqualTo(7L);
            assertThat(store.size()).isEqualTo(5);
        }
    }

    @Test
    void readersRunWhileMergesAndWritesRun() throws Exception {
        try (HashIndexStore store = open()) {
            fill(store, 50);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        for (int i = 0; i < 50; i++) {
                            assertThat(store.get(utf8("key" + i))).isEqualTo(value(i));
                        }
                    }
                }));
            }
            Future<?> merger = pool.submit(() -> {
                for (int m = 0; m < 20; m++) {
                    store.merge();
                }
            });
            for (int i = 50; i < 300; i++) {
                store.put(utf8("key" + i), value(i));
            }
            merger.get();
            stop.set(true);
            for (Future<?> reader : readers) {
                reader.get();
            }
            pool.shutdown();
            assertThat(store.size()).isEqualTo(300);
            assertThat(History.readAll(store)).hasSize(300);
        }
        assertThat(new HashIndexStoreProvider().verify(DIR, vfs).problems()).isEmpty();
    }

    @Test
    void statsReportTheKeydirAndTheFiles() {
        try (HashIndexStore store = open()) {
            fill(store, 10);
            var stats = store.stats();
            assertThat(stats.liveKeys()).isEqualTo(10);
            assertThat(stats.files()).isEqualTo((int) stats.detail("segments") * 2 - 1);
            assertThat((long) stats.detail("keydirBytesPerKey")).isGreaterThan(PackedKeydir.BYTES_PER_ENTRY);
            assertThat(Keys.toDisplay(utf8("x"))).isNotEmpty();
        }
    }
}
