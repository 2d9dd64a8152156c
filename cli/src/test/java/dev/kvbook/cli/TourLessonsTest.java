package dev.kvbook.cli;

import dev.kvbook.api.StoreStats;
import dev.kvbook.api.vfs.CountingVfs.IoCounts;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lessons come from the figures alone, so a store that lands later gets them too. */
class TourLessonsTest {

    private static final IoCounts NONE = IoCounts.ZERO;

    /** Figures of a 1,000-key tour with the given load and read I/O, garbage and wrong answers. */
    private static TourFigures figures(IoCounts loadIo, IoCounts readIo, long garbage, long wrong, long loaded) {
        return figures(loadIo, readIo, garbage, wrong, loaded, 0);
    }

    private static TourFigures figures(IoCounts loadIo, IoCounts readIo, long garbage, long wrong, long loaded, long heapHeld) {
        LoadCurve curve = new LoadCurve(100);
        for (long n = 100; n <= loaded; n += 100) {
            curve.record(n, n * 1_000_000, loadIo.bytesWritten() * n / loaded);
        }
        TourFigures.Phase load = new TourFigures.Phase("load", 1_000, loaded, loaded * 1_000_000, loadIo);
        TourFigures.Phase read = new TourFigures.Phase("read back", 1_000, 1_000, 1_000_000, readIo);
        TourFigures.Phase none = new TourFigures.Phase("overwrite", 0, 0, 0, NONE);
        StoreStats stats = new StoreStats("stepX", loaded, 1, 130_000, garbage, Map.of());
        return new TourFigures("stepX", "a store", 1_000, new TourFigures.Loaded(load, curve, 130_000), read, none, none,
                wrong, new TourFigures.Reopen(0, 0, NONE, heapHeld), stats);
    }

    private static IoCounts written(long bytes, long syncs) {
        return new IoCounts(0, bytes, 0, 1_000, syncs, 0);
    }

    private static IoCounts read(long bytes) {
        return new IoCounts(bytes, 0, 1_000, 0, 0, 0);
    }

    @Test
    void wrongAnswersComeFirstAsABug() {
        assertThat(TourLessons.of(figures(written(130_000, 1_000), read(130_000), 0, 3, 1_000)).get(0))
                .startsWith("BUG: 3 answer(s) differed");
    }

    @Test
    void aReadThatScansEverythingIsTheLesson() {
        assertThat(TourLessons.of(figures(written(130_000, 1_000), read(130_000L * 1_000), 0, 0, 1_000)).get(0))
                .startsWith("every get read the whole log");
    }

    @Test
    void muchGarbageIsWorthNoticing() {
        assertThat(TourLessons.of(figures(written(130_000, 1_000), read(130_000), 60_000, 0, 1_000)))
                .anyMatch(l -> l.startsWith("46% of the bytes on disk are garbage"));
    }

    @Test
    void aLoadCutShortSaysHowFarItGotAndWhatAllWouldCost() {
        TourFigures cut = figures(written(130_000, 1_000), read(130_000), 0, 0, 500);
        assertThat(TourLessons.whyStopped(cut, 3_000_000_000L))
                .startsWith("too slow for 1,000 keys: the load used up its 3.0 s after 500 keys;")
                .contains("would take upwards of 1.0 s", "The tour goes on with 500 keys.");
        assertThat(TourLessons.whyStopped(figures(written(130_000, 1_000), read(130_000), 0, 0, 1_000), 1)).isNull();
    }

    @Test
    void getsWithoutDiskReadsAndAHeapAsLargeAsTheDataMeanEverythingLivesInMemory() {
        assertThat(TourLessons.of(figures(written(130_000, 1_000), NONE, 0, 0, 1_000, 500_000)))
                .anyMatch(l -> l.startsWith("gets never touched the disk: all 1,000 keys live on the heap"));
    }

    @Test
    void getsWithoutDiskReadsAndASmallHeapMeanABoundedCacheServedThem() {
        assertThat(TourLessons.of(figures(written(130_000, 1_000), NONE, 0, 0, 1_000, 600)))
                .anyMatch(l -> l.contains("in a bounded cache, so the data can outgrow memory"))
                .noneMatch(l -> l.contains("live on the heap"));
    }
}
