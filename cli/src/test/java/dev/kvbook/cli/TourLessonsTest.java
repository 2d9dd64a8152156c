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
        return figures(loadIo, readIo, garbage, wrong, loaded, heapHeld, NO_TRANSACTION, "stepX");
    }

    private static final TourFigures.Phase NO_TRANSACTION = new TourFigures.Phase("transaction", 0, 0, 0, NONE);

    private static TourFigures figures(IoCounts loadIo, IoCounts readIo, long garbage, long wrong, long loaded, long heapHeld,
                                       TourFigures.Phase transaction, String name) {
        LoadCurve curve = new LoadCurve(100);
        for (long n = 100; n <= loaded; n += 100) {
            curve.record(n, n * 1_000_000, loadIo.bytesWritten() * n / loaded);
        }
        TourFigures.Phase load = new TourFigures.Phase("load", 1_000, loaded, loaded * 1_000_000, loadIo);
        TourFigures.Phase read = new TourFigures.Phase("read back", 1_000, 1_000, 1_000_000, readIo);
        TourFigures.Phase none = new TourFigures.Phase("overwrite", 0, 0, 0, NONE);
        StoreStats stats = new StoreStats(name, loaded, 1, 130_000, garbage, Map.of());
        TourFigures.Phases phases = new TourFigures.Phases(new TourFigures.Loaded(load, curve, 130_000), read, none, none,
                transaction);
        return new TourFigures(name, "a store", 1_000, phases, wrong, new TourFigures.Reopen(0, 0, NONE, heapHeld), stats,
                new TourFigures.Own(Map.of(), stats));
    }

    private static IoCounts written(long bytes, long syncs) {
        return new IoCounts(0, bytes, 0, 1_000, syncs, 0);
    }

    private static IoCounts read(long bytes) {
        return new IoCounts(bytes, 0, 1_000, 0, 0, 0);
    }

    private static java.util.List<String> lessons(TourFigures f) {
        return TourLessons.of(f, java.util.List.of());
    }

    @Test
    void aGetOfOneRecordIsTheLessonAndNamesAnEarlierStoreThatScanned() {
        TourFigures scanner = figures(written(127_000, 1_000), read(127_000L * 1_000), 0, 0, 1_000, 0, NO_TRANSACTION, "scanner");
        TourFigures indexed = figures(written(127_000, 1_000), read(127_000), 0, 0, 1_000, 500_000, NO_TRANSACTION, "indexed");
        assertThat(TourLessons.of(indexed, java.util.List.of(scanner)).get(0))
                .startsWith("a get read one record, 127 B, from the offset an index on the heap gave it")
                .endsWith("; scanner read 127 KB per get, scanning its log");
        assertThat(lessons(indexed).get(0)).endsWith("one read however long the log grows");
    }

    @Test
    void pagesMadeDurableWithOneFsyncThroughALogIsTheLessonBesideAStoreThatNeededMore() {
        TourFigures inPlace = figures(written(4_500_000, 3_000), read(0), 0, 0, 1_000, 600, NO_TRANSACTION, "inplace");
        TourFigures logged = figures(written(4_900_000, 1_000), new IoCounts(409_600, 0, 100, 0, 0, 0), 0, 0, 1_000, 600,
                NO_TRANSACTION, "logged");
        assertThat(TourLessons.of(logged, java.util.List.of(inPlace)).get(0))
                .startsWith("a put changed whole pages (4.90 KB written) yet was durable after 1.0 fsync")
                .endsWith("; inplace, writing its pages in place, needed 3.0");
        assertThat(lessons(inPlace)).noneMatch(l -> l.contains("went to the end of a log"));
    }

    @Test
    void aCommittedTransactionSaysWhatItsCommitCost() {
        TourFigures.Phase transaction = new TourFigures.Phase("transaction", 100, 100, 2_000_000,
                new IoCounts(0, 500_000, 0, 101, 1, 0));
        assertThat(lessons(figures(written(4_900_000, 1_000), read(0), 0, 0, 1_000, 600, transaction, "tx")))
                .anyMatch(l -> l.startsWith("a transaction of 100 puts committed with 1 fsync in 2.0 ms"));
    }

    @Test
    void flushesAndCompactionsAreTheLessonOfSortedRunsAndTheBloomFiltersSavingsANotice() {
        TourFigures inPlace = figures(written(4_500_000, 3_000), read(0), 0, 0, 1_000, 600, NO_TRANSACTION, "inplace");
        TourFigures plain = figures(written(400_000, 1_000), new IoCounts(4_000_000, 0, 900, 0, 0, 0), 0, 0, 1_000, 600,
                NO_TRANSACTION, "lsm");
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("levels", "L0: 1 tables 50 B, L1: 2 tables 90 B");
        details.put("flushes", 12L);
        details.put("compactions", 5L);
        StoreStats atClose = new StoreStats("lsm", 1_000, 9, 130_000, 0, details);
        TourFigures lsm = new TourFigures("lsm", "a store", 1_000, plain.phases(), 0, plain.reopen(), plain.stats(),
                new TourFigures.Own(Map.of("tableProbes", 900L, "bloomSkips", 2_100L), atClose));
        TourFigures rewriter = figures(written(68_000_000, 2_000), read(0), 0, 0, 1_000, 600, NO_TRANSACTION, "rewriter");
        java.util.List<String> lessons = TourLessons.of(lsm, java.util.List.of(inPlace, rewriter));
        assertThat(lessons.get(0)).startsWith("puts went to a log and a sorted memtable; 12 times a full memtable was "
                        + "written out whole as a sorted table (a flush), and 5 compactions merged tables")
                .contains("(at the end: L0: 1 tables 50 B, L1: 2 tables 90 B)", "written 3.4 times over")
                .endsWith("; inplace, rewriting whole pages, wrote 38.8x");
        assertThat(lessons).anyMatch(l -> l.startsWith("a get had 3.0 tables whose key range held its key, but their "
                + "Bloom filters ruled out 2,100 of those 3,000 tables unread, so it read from 0.9 table"))
                .noneMatch(l -> l.contains("went to the end of a log"));
    }

    @Test
    void wrongAnswersComeFirstAsABug() {
        assertThat(lessons(figures(written(130_000, 1_000), read(130_000), 0, 3, 1_000)).get(0))
                .startsWith("BUG: 3 answers differed");
    }

    @Test
    void aReadThatScansEverythingIsTheLesson() {
        assertThat(lessons(figures(written(130_000, 1_000), read(130_000L * 1_000), 0, 0, 1_000)).get(0))
                .startsWith("every get read the whole log");
    }

    @Test
    void muchGarbageIsWorthNoticing() {
        assertThat(lessons(figures(written(130_000, 1_000), read(130_000), 60_000, 0, 1_000)))
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
        assertThat(lessons(figures(written(130_000, 1_000), NONE, 0, 0, 1_000, 500_000)))
                .anyMatch(l -> l.startsWith("gets never touched the disk: all 1,000 keys live on the heap"));
    }

    @Test
    void getsWithoutDiskReadsAndASmallHeapMeanABoundedCacheServedThem() {
        assertThat(lessons(figures(written(130_000, 1_000), NONE, 0, 0, 1_000, 600)))
                .anyMatch(l -> l.contains("in a bounded cache, so the data can outgrow memory"))
                .noneMatch(l -> l.contains("live on the heap"));
    }
}
