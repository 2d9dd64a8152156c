package dev.kvbook.hashindex;

import dev.kvbook.api.vfs.CountingVfs;
import dev.kvbook.api.vfs.Vfs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.kvbook.api.Keys.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What hint files are for: an open that reads the hints instead of scanning the sealed segments.
 * On a real directory, a store of 1 KiB values is opened with hints and without, several times
 * each. The test asserts what does not depend on the machine: the open with hints uses a hint for
 * every sealed segment, scans none, finds every key, and reads under a fifth of the bytes the
 * scanning open reads (a hint holds no values). It only <em>prints</em> the times and the speed-up,
 * because a time depends on the machine, the page cache and the other processes: no timing is
 * asserted.
 */
@Tag("lab:step3.build-hints-merge")
class HintReopenSpeedTest {

    static final int KEYS = 20_000;
    static final int VALUE_SIZE = 1000;
    static final int RUNS = 5;

    @TempDir
    Path home;

    static byte[] value(int i) {
        byte[] value = new byte[VALUE_SIZE];
        Arrays.fill(value, (byte) ('a' + i % 26));
        return value;
    }

    HashIndexStore open(Vfs vfs, boolean hints) {
        return HashIndexStore.open(home.resolve("db"), HashIndexStore.Options.defaults().withVfs(vfs)
                .withSegmentSize(1 << 20).withSyncEveryWrite(false).withHintFiles(hints));
    }

    /** One open and close: its time in nanoseconds and the bytes it read. Checks what the open found. */
    long[] reopen(boolean hints) {
        CountingVfs vfs = new CountingVfs(Vfs.local());
        long start = System.nanoTime();
        try (HashIndexStore store = open(vfs, hints)) {
            long nanos = System.nanoTime() - start;
            long read = vfs.total().bytesRead();
            int sealed = (int) store.stats().detail("segments") - 1;
            assertThat(sealed).as("sealed segments").isGreaterThan(10);
            assertThat(store.stats().detail("segmentsScannedWithoutHint")).as("scanned, hints " + hints)
                    .isEqualTo(hints ? 0 : sealed);
            assertThat(store.stats().detail("hintFilesUsed")).as("hints used, hints " + hints).isEqualTo(hints ? sealed : 0);
            assertThat(store.size()).isEqualTo(KEYS);
            for (int i = 0; i < KEYS; i += 997) {
                assertThat(store.get(utf8("key" + i))).as("key%d", i).isEqualTo(value(i));
            }
            return new long[] {nanos, read};
        }
    }

    @Test
    void openingWithHintsReadsAFractionOfTheBytesAndThisPrintsHowMuchTimeItSaves() {
        try (HashIndexStore store = open(Vfs.local(), true)) {
            for (int i = 0; i < KEYS; i++) {
                store.put(utf8("key" + i), value(i));
            }
        }
        reopen(true); // one warm-up each: the JIT and the page cache, for both
        reopen(false);
        long[] with = new long[RUNS];
        long[] without = new long[RUNS];
        long readWith = 0;
        long readWithout = 0;
        for (int run = 0; run < RUNS; run++) {
            long[] w = reopen(true);
            long[] s = reopen(false);
            with[run] = w[0];
            without[run] = s[0];
            readWith = w[1];
            readWithout = s[1];
        }
        assertThat(readWith).as("bytes an open with hints reads").isLessThan(readWithout / 5);
        Arrays.sort(with);
        Arrays.sort(without);
        long medianWith = with[RUNS / 2];
        long medianWithout = without[RUNS / 2];
        System.out.printf("step3 reopen of %d keys of %d-byte values (median of %d, warm page cache): with hints %.1f ms"
                        + " reading %d bytes, scanning %.1f ms reading %d bytes: hints %.1fx faster%n", KEYS, VALUE_SIZE, RUNS,
                medianWith / 1e6, readWith, medianWithout / 1e6, readWithout, (double) medianWithout / medianWith);
    }
}
