package dev.kvbook.wal;

import dev.kvbook.api.Keys;
import dev.kvbook.api.vfs.VfsFile;
import dev.kvbook.btree.TreeMeta;
import dev.kvbook.testkit.vfs.CrashSimVfs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.kvbook.wal.HandMadeLogs.PAGE_SIZE;
import static dev.kvbook.wal.HandMadeLogs.page;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #27: the log stops changing size in the common case. It grows ahead of its frames by
 * doubling, with zeros, up to the checkpoint threshold ({@link Wal#preallocateUpTo}); after a
 * checkpoint it is overwritten in place; recovery finds its end from the frames, not from the
 * file's size (WalFormat invariants 6 and 7).
 */
class WalPreallocationTest {

    static final Path DIR = Path.of("/wal");
    static final Path LOG = DIR.resolve("t.db-wal");
    static final int F = WalFormat.frameSize(PAGE_SIZE);
    static final long H = WalFormat.HEADER_SIZE;
    static final TreeMeta META = new TreeMeta(1, 1, 0, 0, 0, 1);

    final CrashSimVfs vfs = new CrashSimVfs();

    WalPreallocationTest() {
        vfs.createDirectories(DIR);
    }

    private long logSize() {
        return vfs.files().get(LOG).length;
    }

    private static void commitOnePage(Wal wal, int marker) {
        wal.append(List.of(page(1, marker)), 2, META);
        wal.sync();
    }

    @Test
    void aLogGrowsAheadOfItsFramesByDoublingUpToTheThreshold() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        wal.preallocateUpTo(H + 8L * F);
        long[] expected = {H + F, H + 2L * F, H + 4L * F, H + 4L * F, H + 8L * F, H + 8L * F, H + 8L * F, H + 8L * F,
                H + 9L * F};
        for (int i = 0; i < expected.length; i++) {
            commitOnePage(wal, i);
            assertThat(logSize()).as("file size after commit %d", i + 1).isEqualTo(expected[i]);
        }
    }

    @Test
    void theBytesAheadOfTheFramesAreZerosAndDurableWithTheCommitThatGrewTheFile() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        wal.preallocateUpTo(H + 8L * F);
        for (int i = 0; i < 3; i++) {
            commitOnePage(wal, i);
        }
        vfs.crash();
        byte[] log = vfs.files().get(LOG);
        assertThat(log).as("the commit's data sync covered the size and the zeros").hasSize((int) (H + 4L * F));
        assertThat(Arrays.copyOfRange(log, (int) (H + 3L * F), log.length)).containsOnly(0);
    }

    @Test
    void aLogWithoutACheckpointLimitStillGrowsByDoubling() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        wal.preallocateUpTo(Long.MAX_VALUE);
        long[] expected = {H + F, H + 2L * F, H + 4L * F, H + 4L * F, H + 8L * F};
        for (int i = 0; i < expected.length; i++) {
            commitOnePage(wal, i);
            assertThat(logSize()).as("file size after commit %d", i + 1).isEqualTo(expected[i]);
        }
    }

    @Test
    void withoutAThresholdTheFileGrowsByExactlyEachTransaction() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        for (int i = 1; i <= 3; i++) {
            commitOnePage(wal, i);
            assertThat(logSize()).isEqualTo(H + (long) i * F);
        }
    }

    @Test
    void aRestartedLogIsOverwrittenInPlaceWithoutGrowingOrWritingZeros() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        wal.preallocateUpTo(H + 4L * F);
        for (int i = 0; i < 4; i++) {
            commitOnePage(wal, i);
        }
        wal.restart(2, Long.MAX_VALUE);
        vfs.resetCounters();
        for (int i = 0; i < 4; i++) {
            commitOnePage(wal, 10 + i);
        }
        assertThat(logSize()).isEqualTo(H + 4L * F);
        assertThat(vfs.mutationLog()).as("one frame write and one data sync per commit, no zeros")
                .allMatch(c -> c.equals("syncData " + LOG.getFileName()) || c.endsWith("+" + F + " bytes"))
                .hasSize(8);
    }

    @Test
    void recoveryEndsTheLogAtItsLastCommitNotAtTheEndOfThePreallocatedFile() {
        Wal wal = Wal.start(vfs, LOG, null, PAGE_SIZE, 1);
        wal.preallocateUpTo(H + 8L * F);
        for (int i = 0; i < 5; i++) {
            commitOnePage(wal, i);
        }
        wal.close();
        try (VfsFile file = vfs.open(LOG, false)) {
            Recovery.Scan scan = Recovery.scan(file, LOG, PAGE_SIZE, 1);
            assertThat(scan.committedEnd()).isEqualTo(5);
            assertThat(scan.tail().frames()).as("the zero frames, never replayed").isEqualTo(3);
            assertThat(scan.tail().bytes()).isEqualTo(3L * F);
        }
    }

    @Test
    void aStoreReopenedFromAPreallocatedLogHasExactlyItsCommits() {
        Path home = Path.of("/s");
        vfs.createDirectories(home);
        WalStore.Options options = WalStore.Options.defaults().withVfs(vfs).withCheckpointOnClose(false);
        int puts = 0;
        try (WalStore store = WalStore.open(home.resolve("p.db"), options)) {
            long logBytes;
            do {
                store.put(Keys.utf8("k" + puts), Keys.utf8("v" + puts));
                puts++;
                logBytes = (long) store.stats().detail("walBytes");
            } while (vfs.files().get(home.resolve("p.db-wal")).length == logBytes && puts < 20);
            assertThat((long) vfs.files().get(home.resolve("p.db-wal")).length).as("grown ahead of its frames")
                    .isGreaterThan(logBytes);
        }
        vfs.crash();
        try (WalStore store = WalStore.open(home.resolve("p.db"), options)) {
            assertThat(store.size()).isEqualTo(puts);
            assertThat(store.get(Keys.utf8("k" + (puts - 1)))).isEqualTo(Keys.utf8("v" + (puts - 1)));
        }
        Wals.assertHealthy(vfs, home.resolve("p.db"));
    }
}
