package dev.kvbook.btree;

import dev.kvbook.testkit.GoldenFiles;

import dev.kvbook.api.CloseableIterator;
import dev.kvbook.api.CorruptionException;
import dev.kvbook.api.Entry;
import dev.kvbook.api.KeyValueStore;
import dev.kvbook.api.Keys;
import dev.kvbook.api.StoreLockedException;
import dev.kvbook.api.UncleanShutdownException;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Step 4's own behaviour beyond the contract: the clean flag, read-only inspection, space reuse,
 * cursors, the empty store's golden file. The golden file of a small store, which pins the
 * reference's page layout and splits, is in {@link ReferencePageLayoutTest}.
 */
class BTreeStoreTest {

    private static final Path HOME = Path.of("/store");
    private static final Path FILE = HOME.resolve(Trees.FILE);
    private CrashSimVfs vfs;

    @BeforeEach
    void freshDisk() {
        vfs = new CrashSimVfs();
        vfs.createDirectories(HOME);
    }

    private BTreeStore open(BTreeStore.Options options) {
        return BTreeStore.open(FILE, options.withVfs(vfs));
    }

    private BTreeStore open() {
        return open(BTreeStore.Options.defaults());
    }

    @Test
    void aNewStoreIsOneHeaderPageMatchingTheGoldenFile() {
        open().close();
        GoldenFiles.assertMatches("empty-store.db", vfs.files().get(FILE));
    }

    @Test
    void theDirtyMarkIsDurableBeforeAnyPageIsWrittenAndCleanComesLast() {
        open().close();
        vfs.resetCounters();
        try (BTreeStore store = open()) {
            store.put(utf8("k"), utf8("v"));
        }
        assertThat(vfs.mutationLog()).containsExactly(
                "write tree.db @0 +64 bytes", "sync tree.db",          // sequence 2, DIRTY, in slot 0
                "write tree.db @4096 +4096 bytes", "sync tree.db",     // the root leaf
                "write tree.db @512 +64 bytes", "sync tree.db");       // sequence 3, CLEAN, in slot 1
    }

    @Test
    void aStoreLeftDirtyRefusesToOpenAndSaysWhy() {
        leaveDirty();
        assertThatThrownBy(this::open).isInstanceOf(UncleanShutdownException.class)
                .hasMessageContaining("not closed cleanly").hasMessageContaining("step 5")
                .hasMessageContaining("withOpenUncleanReadOnly");
        assertThat(new BTreeStoreProvider().verify(FILE, vfs).problems()).anyMatch(p -> p.contains("not closed cleanly"));
    }

    @Test
    void theRefusalKeepsTheLibrarysRemedyApartSoAToolCanGiveItsOwn() {
        leaveDirty();
        assertThatThrownBy(this::open).isInstanceOfSatisfying(UncleanShutdownException.class, refused -> {
            assertThat(refused.explanation()).contains("not closed cleanly", "step 5").doesNotContain("Options");
            assertThat(refused.remedy()).contains("withOpenUncleanReadOnly(true)");
        });
    }

    @Test
    void theProviderOpensADirtyStoreReadOnlyWhenAsked() {
        leaveDirty();
        try (KeyValueStore store = new BTreeStoreProvider().openUncleanReadOnly(FILE, vfs)) {
            assertThat(((BTreeStore) store).isReadOnly()).isTrue();
        }
    }

    @Test
    void aDirtyStoreOpensReadOnlyForInspectionWhenAsked() {
        leaveDirty();
        try (BTreeStore store = open(BTreeStore.Options.defaults().withOpenUncleanReadOnly(true))) {
            assertThat(store.isReadOnly()).isTrue();
            assertThatThrownBy(() -> store.put(utf8("k"), utf8("v"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> store.delete(utf8("k"))).isInstanceOf(IllegalStateException.class);
            store.sync(); // nothing to do, and nothing written
        }
        assertThatThrownBy(this::open).isInstanceOf(UncleanShutdownException.class); // still dirty
        assertThat(new BTreeStoreProvider().inspect(FILE, vfs).text()).contains("NOT CLOSED CLEANLY");
    }

    /** Writes enough through a 3-page cache that pages are written back, then loses power. */
    private void leaveDirty() {
        BTreeStore store = open(BTreeStore.Options.defaults().withSyncEveryWrite(false).withCachePages(3));
        for (int i = 0; i < 50; i++) {
            store.put(BTreeCrashTest.longKey("k" + i), utf8("v" + i));
        }
        vfs.crash();
    }

    @Test
    void aFailedOpenReleasesTheLock() {
        vfs.putDurableFile(FILE, new byte[5000]);
        assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class).hasMessageContaining("not a step-4");
        assertThatThrownBy(this::open).isInstanceOf(CorruptionException.class); // not StoreLockedException
    }

    @Test
    void aSecondOpenFailsFastWhileTheFirstIsOpen() {
        try (BTreeStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StoreLockedException.class);
            store.put(utf8("k"), utf8("v"));
        }
    }

    @Test
    void deletedPagesAndOverflowPagesAreReusedBeforeTheFileGrows() {
        try (BTreeStore store = open(BTreeStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int i = 0; i < 2000; i++) {
                store.put(utf8("key" + i), filled(i % 50 == 0 ? 9000 : 100, 'v'));
            }
            int pagesAfterLoad = (int) store.stats().detail("pages");
            for (int i = 0; i < 2000; i++) {
                store.delete(utf8("key" + i));
            }
            assertThat(store.stats().detail("overflowPages")).isEqualTo(0);
            assertThat((int) store.stats().detail("freePages")).isEqualTo(pagesAfterLoad - 2); // all but page 0 and the root
            for (int i = 0; i < 2000; i++) {
                store.put(utf8("key" + i), filled(i % 50 == 0 ? 9000 : 100, 'v'));
            }
            assertThat((int) store.stats().detail("pages")).isLessThanOrEqualTo(pagesAfterLoad + 1);
        }
        Trees.assertHealthy(vfs, FILE);
    }

    @Test
    void overwritingALargeValueFreesItsOverflowChain() {
        try (BTreeStore store = open()) {
            store.put(utf8("k"), filled(20000, 'x'));
            assertThat((int) store.stats().detail("overflowPages")).isEqualTo(5);
            store.put(utf8("k"), utf8("small"));
            assertThat(store.stats().detail("overflowPages")).isEqualTo(0);
            assertThat(store.stats().detail("freePages")).isEqualTo(5);
            assertThat(store.stats().garbageBytes()).isEqualTo(5 * 4096);
        }
        Trees.assertHealthy(vfs, FILE);
    }

    @Test
    void aCursorStaysCorrectWhileTheSameThreadWritesAheadAndBehindIt() {
        try (BTreeStore store = open(BTreeStore.Options.defaults().withSyncEveryWrite(false))) {
            for (int i = 0; i < 3000; i += 2) {
                store.put(key(i), utf8("v"));
            }
            List<byte[]> seen = new ArrayList<>();
            try (CloseableIterator<Entry> it = store.iterator()) {
                while (it.hasNext()) {
                    byte[] current = it.next().key();
                    seen.add(current);
                    int n = Integer.parseInt(new String(current, 1, 5, java.nio.charset.StandardCharsets.US_ASCII));
                    if (n % 100 == 0) {
                        store.delete(key(n + 1000));   // ahead, beyond this batch: must not be seen
                        store.put(key(n + 1), utf8("new")); // ahead: may be seen
                        store.delete(key(Math.max(0, n - 10))); // behind: already seen, not repeated
                    }
                }
            }
            for (int i = 1; i < seen.size(); i++) {
                assertThat(Keys.COMPARATOR.compare(seen.get(i - 1), seen.get(i))).isNegative();
            }
            assertThat(seen).noneMatch(k -> Arrays.equals(k, key(1200)));
            assertThat(seen).anyMatch(k -> Arrays.equals(k, key(2998)));
        }
    }

    @Test
    void statsReportTheTreeAndTheCache() {
        try (BTreeStore store = open()) {
            store.put(utf8("a"), utf8("1"));
            var stats = store.stats();
            assertThat(stats.store()).isEqualTo("step4");
            assertThat(stats.liveKeys()).isEqualTo(1);
            assertThat(stats.bytesOnDisk()).isEqualTo(2 * 4096);
            assertThat(stats.details()).containsKeys("height", "pages", "freePages", "overflowPages", "cacheHits",
                    "cacheMisses", "pageSize", "fsyncs");
        }
    }

    @Test
    void pageSizeIsAnOptionAndAnExistingFileKeepsItsOwn() {
        try (BTreeStore store = open(BTreeStore.Options.defaults().withPageSize(8192))) {
            store.put(utf8("k"), utf8("v"));
        }
        try (BTreeStore store = open(BTreeStore.Options.defaults().withPageSize(4096))) {
            assertThat(store.stats().detail("pageSize")).isEqualTo(8192);
            assertThat(store.get(utf8("k"))).isEqualTo(utf8("v"));
        }
        assertThatThrownBy(() -> BTreeStore.Options.defaults().withPageSize(1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    }

    private static byte[] key(int i) {
        return utf8(String.format("k%05d", i));
    }

    static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
